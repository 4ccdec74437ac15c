import { makeConfig } from '../test-support/make-config';
import { buildPlan } from './build-plan';
import { checkPrerequisites } from './check-prerequisites';

const devops = {
  qa_app: 'shop-qa',
  prod_app: 'shop',
  post_deploy_cmd: 'bin/rails db:migrate',
  deploy_cmd: { qa: 'tools/deploy {app}' },
};

describe('checkPrerequisites', () => {
  const config = makeConfig({ stage: 'prepare', devops });
  const plan = buildPlan(config);

  it('names programs that would not start and a missing Heroku key', () => {
    expect(checkPrerequisites(plan, config.devops.platform, {}, () => false)).toEqual([
      'tools/deploy does not exist or is not executable (paths are relative to the workspace root).',
      'heroku is not on PATH: install the Heroku CLI (npm install -g heroku) and put it on PATH.',
      'HEROKU_API_KEY is not set: the Heroku CLI would need a stored login (heroku login).',
    ]);
  });

  it('has nothing to say when everything is in place', () => {
    expect(
      checkPrerequisites(plan, config.devops.platform, { HEROKU_API_KEY: 'x' }, () => true),
    ).toEqual([]);
  });

  it('shows a program name holding a control or direction character escaped, as the $ line does', () => {
    const hidden = makeConfig({
      stage: 'prepare',
      devops: {
        ...devops,
        deploy_cmd: { qa: ['tools/\u202egnp.exe'] },
        post_deploy_cmd: ['\x1bx'],
      },
    });
    expect(
      checkPrerequisites(
        buildPlan(hidden),
        hidden.devops.platform,
        { HEROKU_API_KEY: 'x' },
        () => false,
      ),
    ).toEqual([
      "$'tools/\\xe2\\x80\\xaegnp.exe' does not exist or is not executable (paths are relative to the workspace root).",
      'heroku is not on PATH: install the Heroku CLI (npm install -g heroku) and put it on PATH.',
    ]);
  });
});
