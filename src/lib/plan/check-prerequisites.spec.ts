import { makeConfig } from '../test-support/make-config';
import { buildPlan } from './build-plan';
import { checkPrerequisites, describeUnstartable, findUnstartable } from './check-prerequisites';

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

  it("gives npm the npm publisher's install hint, and asks a platform without a credential for none", () => {
    const local = makeConfig({
      stage: 'prepare',
      devops: { ...devops, platform: 'local', deploy_cmd: { qa: 'npm run deploy' } },
    });
    expect(checkPrerequisites(buildPlan(local), local.devops.platform, {}, () => false)).toEqual([
      'npm is not on PATH: install Node.js, which comes with npm, and put npm on the PATH the executor sees.',
      'bin/rails does not exist or is not executable (paths are relative to the workspace root).',
    ]);
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

describe('findUnstartable and describeUnstartable: a real run refuses before anything runs', () => {
  const located =
    (states: Record<string, 'missing' | 'not_executable'>) =>
    (program: string): 'found' | 'missing' | 'not_executable' =>
      states[program] ?? 'found';

  it.each<
    [string, Parameters<typeof makeConfig>[0], Record<string, 'missing' | 'not_executable'>, string]
  >([
    [
      'the platform CLI, with its install hint',
      { stage: 'prepare', devops },
      { heroku: 'missing' },
      'Cannot start shop:release-prepare: heroku is not on PATH (the post_deploy step runs it); nothing has run. Install the Heroku CLI (npm install -g heroku) and put it on PATH.',
    ],
    [
      'a script that is not executable',
      { stage: 'prepare', devops },
      { 'tools/deploy': 'not_executable' },
      'Cannot start shop:release-prepare: tools/deploy is not executable (the deploy step runs it); nothing has run. Make it executable (chmod +x tools/deploy) and commit the mode (git update-index --chmod=+x tools/deploy), or run it through its interpreter (e.g. ["node", "tools/deploy"]).',
    ],
    [
      'several programs, one line each',
      { stage: 'prepare', devops },
      { 'tools/deploy': 'missing', heroku: 'missing' },
      'Cannot start shop:release-prepare: 2 programs it runs cannot be started; nothing has run.\n' +
        '  - tools/deploy does not exist (paths are relative to the workspace root) (the deploy step runs it). Fix the path, or add the file to the repository.\n' +
        '  - heroku is not on PATH (the post_deploy step runs it). Install the Heroku CLI (npm install -g heroku) and put it on PATH.',
    ],
    [
      "npm, with the npm publisher's install hint",
      {
        stage: 'ship',
        devops,
        publish: [{ kind: 'npm', dir: 'packages/sdk', name: 'sdk', version: '1.0.0' }],
      },
      { npm: 'missing' },
      'Cannot start shop:release-ship: npm is not on PATH (the publish:sdk@1.0.0 step runs it); nothing has run. Install Node.js, which comes with npm, and put npm on the PATH the executor sees.',
    ],
    [
      'the rollback, which runs only after a failure',
      {
        stage: 'prepare',
        devops: { ...devops, rollback_cmd: { qa: 'tools/undo {app}' } },
      },
      { 'tools/undo': 'missing' },
      'Cannot start shop:release-prepare: tools/undo does not exist (paths are relative to the workspace root) (the rollback step runs it); nothing has run. Fix the path, or add the file to the repository.',
    ],
    [
      'both commands of a publish entry, and a program shared by steps',
      {
        stage: 'ship',
        devops: {
          ...devops,
          deploy_cmd: { prod: 'gem push {app}' },
        },
        publish: [{ kind: 'custom', name: 'shop-gem', check: ['gem', 'list'], publish: ['gem'] }],
      },
      { gem: 'missing' },
      'Cannot start shop:release-ship: gem is not on PATH (the publish:shop-gem and deploy steps run it); nothing has run. Install gem, or fix the PATH the executor sees.',
    ],
  ])('%s', (_name, input, states, message) => {
    const config = makeConfig(input);
    const plan = buildPlan(config);
    const unstartable = findUnstartable(plan, located(states));
    expect(describeUnstartable(`shop:${config.target}`, unstartable, plan.installHints)).toBe(
      message,
    );
  });

  it('finds nothing when every program starts', () => {
    const plan = buildPlan(makeConfig({ stage: 'prepare', devops }));
    expect(findUnstartable(plan, () => 'found')).toEqual([]);
  });
});
