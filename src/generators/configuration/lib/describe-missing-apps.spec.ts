import type { DevopsGeneratorOptions } from './build-devops';
import { describeMissingApps } from './describe-missing-apps';

const PREFIX = 'Cannot add the release targets to';

describe('describeMissingApps', () => {
  it('says nothing when both apps are given', () => {
    expect(describeMissingApps('shop', { qaApp: 'shop-qa', prodApp: 'shop' })).toBeUndefined();
  });

  it.each<[string, string, DevopsGeneratorOptions, string]>([
    [
      'both missing',
      'shop',
      {},
      `${PREFIX} shop: --qa-app and --prod-app are required for a new configuration. Example: nx g nx-release-deploy:configuration --project=shop --qa-app=shop-qa --prod-app=shop --post-deploy-cmd="bin/rails db:migrate"`,
    ],
    [
      'app names made from a scoped project name',
      '@acme/Web_Shop',
      {},
      `${PREFIX} @acme/Web_Shop: --qa-app and --prod-app are required for a new configuration. Example: nx g nx-release-deploy:configuration --project=@acme/Web_Shop --qa-app=web-shop-qa --prod-app=web-shop --post-deploy-cmd="bin/rails db:migrate"`,
    ],
    [
      'a given QA app equal to the usual prod name',
      'shop',
      { qaApp: 'shop' },
      `${PREFIX} shop: --prod-app is required for a new configuration. Example: nx g nx-release-deploy:configuration --project=shop --qa-app=shop --prod-app=shop-prod --post-deploy-cmd="bin/rails db:migrate"`,
    ],
    [
      'every value given is repeated, quoted for the shell',
      'shop',
      {
        prodApp: 'shop',
        postDeployCmd: 'echo "$HOME"',
        postDeployTimeout: 600,
        platform: 'heroku',
        deployCmdQa: "it's",
      },
      `${PREFIX} shop: --qa-app is required for a new configuration. Example: nx g nx-release-deploy:configuration --project=shop --qa-app=shop-qa --prod-app=shop --post-deploy-cmd='echo "$HOME"' --platform=heroku --post-deploy-timeout=600 --deploy-cmd-qa="it's"`,
    ],
  ])('%s', (_name, project, options, message) => {
    expect(describeMissingApps(project, options)).toBe(message);
  });
});
