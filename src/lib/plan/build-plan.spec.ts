import { makeConfig } from '../test-support/make-config';
import { buildPlan } from './build-plan';
import { formatDryRun } from './format-plan';

const devops = {
  qa_app: 'shop-qa',
  prod_app: 'shop',
  post_deploy_cmd: 'bin/rails db:migrate',
  deploy_cmd: {
    qa: 'git push --force https://git.heroku.com/{app}.git {sha}:refs/heads/main',
    prod: 'heroku pipelines:promote --app={qa_app} --to={prod_app}',
  },
};
const keep = (text: string) => text;

describe('buildPlan', () => {
  it('plans prepare as deploy then post_deploy on the QA app', () => {
    const plan = buildPlan(makeConfig({ stage: 'prepare', devops }));
    expect(plan.steps).toEqual([
      {
        kind: 'deploy',
        id: 'deploy',
        env: 'qa',
        target: 'shop-qa',
        command: {
          argv: [
            'git',
            'push',
            '--force',
            'https://git.heroku.com/shop-qa.git',
            'a1b2c3d:refs/heads/main',
          ],
        },
      },
      {
        kind: 'post_deploy',
        id: 'post_deploy',
        env: 'qa',
        target: 'shop-qa',
        command: {
          argv: [
            'heroku',
            'run',
            '--exit-code',
            '--no-tty',
            '--no-notify',
            '--app=shop-qa',
            '--',
            'bin/rails db:migrate',
          ],
        },
      },
    ]);
  });

  it('plans ship as gate, publish in order, deploy, post_deploy with the same tokens on prod', () => {
    const plan = buildPlan(
      makeConfig({
        stage: 'ship',
        devops: { ...devops, post_deploy_timeout: 90 },
        publish: [
          { kind: 'npm', dir: 'packages/sdk', name: '@acme/sdk', version: '1.4.0' },
          {
            kind: 'npm',
            dir: 'packages/beta',
            name: 'beta',
            version: '2.0.0-rc.1',
            registry: 'https://npm.acme.dev/',
            prereleaseTag: 'next',
          },
          {
            kind: 'custom',
            name: 'shop-gem',
            check: ['gem', 'search', 'shop'],
            publish: ['gem', 'push', 'shop.gem'],
          },
        ],
      }),
    );
    expect(plan.steps.map((step) => step.id)).toEqual([
      'gate',
      'publish:@acme/sdk@1.4.0',
      'publish:beta@2.0.0-rc.1',
      'publish:shop-gem',
      'deploy',
      'post_deploy',
    ]);
    expect(plan.steps[0]).toEqual({
      kind: 'gate',
      id: 'gate',
      env: 'prod',
      target: 'dist/release/shop/prepare/checks_run.json',
      prepareTarget: 'release-prepare',
      provenPostDeploy: {
        argv: [
          'heroku',
          'run',
          '--exit-code',
          '--no-tty',
          '--no-notify',
          '--app=shop-qa',
          '--',
          'bin/rails db:migrate',
        ],
      },
    });
    expect(plan.steps[2]).toMatchObject({
      check: {
        argv: ['npm', 'view', 'beta@2.0.0-rc.1', 'version', '--registry=https://npm.acme.dev/'],
      },
      publish: { argv: ['npm', 'publish', './packages/beta', '--tag=next'] },
      package: { kind: 'npm', name: 'beta', version: '2.0.0-rc.1' },
    });
    expect(plan.steps[3]).toMatchObject({
      package: { kind: 'custom', name: 'shop-gem' },
      check: { argv: ['gem', 'search', 'shop'] },
    });
    expect(plan.steps[4]).toMatchObject({
      command: { argv: ['heroku', 'pipelines:promote', '--app=shop-qa', '--to=shop'] },
    });
    expect(plan.steps[5]).toMatchObject({
      target: 'shop',
      timeoutMs: 90_000,
      command: {
        argv: [
          'heroku',
          'run',
          '--exit-code',
          '--no-tty',
          '--no-notify',
          '--app=shop',
          '--',
          'bin/rails db:migrate',
        ],
      },
    });
  });

  it('never lets a placeholder value add a token', () => {
    const plan = buildPlan(
      makeConfig({
        stage: 'prepare',
        devops: { ...devops, deploy_cmd: { qa: ['deploy', '{sha}'] } },
        releaseId: 'v1.2-rc_3',
      }),
    );
    expect(plan.steps[0]).toMatchObject({ command: { argv: ['deploy', 'v1.2-rc_3'] } });
  });

  it('sends hostile post-deploy tokens to Heroku as one quoted argument', () => {
    const tokens = ['echo', "it's", '$HOME', '--app=other', 'a;b', '*', '`id`'];
    const plan = buildPlan(
      makeConfig({
        stage: 'prepare',
        devops: { ...devops, post_deploy_cmd: tokens, deploy_cmd: {} },
      }),
    );
    expect(plan.steps[0]).toMatchObject({
      command: {
        argv: [
          'heroku',
          'run',
          '--exit-code',
          '--no-tty',
          '--no-notify',
          '--app=shop-qa',
          '--',
          "echo 'it'\\''s' '$HOME' --app=other 'a;b' '*' '`id`'",
        ],
      },
    });
  });

  it('runs the local platform as argv with the release in the environment', () => {
    const plan = buildPlan(
      makeConfig({ stage: 'prepare', devops: { ...devops, platform: 'local', deploy_cmd: {} } }),
    );
    expect(plan.steps).toEqual([
      expect.objectContaining({
        command: {
          argv: ['bin/rails', 'db:migrate'],
          env: { RELEASE_APP: 'shop-qa', RELEASE_ENV: 'qa', RELEASE_ID: 'a1b2c3d' },
        },
      }),
    ]);
  });
});

describe('formatDryRun', () => {
  it('prints every step and its exact command line', () => {
    const plan = buildPlan(
      makeConfig({
        stage: 'ship',
        devops,
        publish: [{ kind: 'npm', dir: 'packages/sdk', name: '@acme/sdk', version: '1.4.0' }],
      }),
    );
    expect(formatDryRun(plan, keep).split('\n')).toEqual([
      'nx-release-deploy ship · shop · release a1b2c3d · dry run (nothing runs, nothing is written)',
      '[1/4] gate · prod · dist/release/shop/prepare/checks_run.json',
      '  requires dist/release/shop/prepare/checks_run.json (from release-prepare) to show this release ok, with this post-deploy command ok on QA:',
      "  $ heroku run --exit-code --no-tty --no-notify --app=shop-qa -- 'bin/rails db:migrate'",
      '[2/4] publish:@acme/sdk@1.4.0 · prod · npm',
      '  skipped when live: npm answers version 1.4.0',
      '  $ npm view @acme/sdk@1.4.0 version',
      '  $ npm publish ./packages/sdk',
      '[3/4] deploy · prod · shop',
      '  $ heroku pipelines:promote --app=shop-qa --to=shop',
      '[4/4] post_deploy · prod · shop',
      "  $ heroku run --exit-code --no-tty --no-notify --app=shop -- 'bin/rails db:migrate'",
      'Dry run: 4 steps planned, none run.',
    ]);
  });

  it('shows the rollback as conditional', () => {
    const plan = buildPlan(
      makeConfig({
        stage: 'ship',
        devops: {
          ...devops,
          rollback_cmd: { prod: 'heroku rollback --app={app}' },
          rollback_on_interrupt: true,
        },
        options: { requirePrepared: false },
      }),
    );
    expect(formatDryRun(plan, keep).split('\n').slice(-3)).toEqual([
      '[if a step after deploy fails] rollback · prod · shop (also when interrupted)',
      '  $ heroku rollback --app=shop',
      'Dry run: 2 steps planned, none run.',
    ]);
  });

  it('masks secrets in the printed lines', () => {
    const plan = buildPlan(
      makeConfig({
        stage: 'prepare',
        devops: {
          ...devops,
          deploy_cmd: { qa: 'git push https://user:hunter22@git.example.com/x.git' },
        },
      }),
    );
    const text = formatDryRun(plan, (line) => line.replace('hunter22', '***'));
    expect(text).toContain('$ git push https://user:***@git.example.com/x.git');
    expect(text).not.toContain('hunter22');
  });
});
