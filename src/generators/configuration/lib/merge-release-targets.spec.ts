import { buildDevops, type DevopsGeneratorOptions } from './build-devops';
import { mergeReleaseTargets, type Targets } from './merge-release-targets';

const GIVEN: DevopsGeneratorOptions = {
  qaApp: 'shop-qa',
  prodApp: 'shop',
  postDeployCmd: 'bin/rails db:migrate',
};
const INPUTS = ['default', '^default', { runtime: 'git rev-parse HEAD' }, { env: 'NX_RELEASE_ID' }];

// The README's "Configure" JSON, with the devops block given.
function recommended(devops: Record<string, unknown>): Targets {
  return {
    'release-prepare': {
      executor: 'nx-release-deploy:prepare',
      cache: true,
      inputs: INPUTS,
      outputs: [
        '{workspaceRoot}/dist/release/{projectName}/{options.dryRun ?? options.dry-run ?? prepare}',
      ],
      options: { devops },
    },
    'release-ship': {
      executor: 'nx-release-deploy:ship',
      cache: true,
      dependsOn: [{ target: 'release-prepare', params: 'forward' }],
      inputs: INPUTS,
      outputs: [
        '{workspaceRoot}/dist/release/{projectName}/{options.dryRun ?? options.dry-run ?? ship}',
      ],
      options: {},
    },
  };
}

describe('buildDevops: the keys given replace, every other key stays', () => {
  it.each<[string, DevopsGeneratorOptions, unknown, Record<string, unknown>]>([
    [
      'a new block, in the README order, platform only when given',
      GIVEN,
      undefined,
      { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: 'bin/rails db:migrate' },
    ],
    [
      'every option',
      {
        ...GIVEN,
        platform: 'local',
        postDeployTimeout: 1800,
        deployCmdQa: 'deploy qa',
        deployCmdProd: 'deploy prod',
      },
      undefined,
      {
        platform: 'local',
        qa_app: 'shop-qa',
        prod_app: 'shop',
        post_deploy_cmd: 'bin/rails db:migrate',
        post_deploy_timeout: 1800,
        deploy_cmd: { qa: 'deploy qa', prod: 'deploy prod' },
      },
    ],
    [
      'user keys kept in place, new values written, new keys appended',
      { ...GIVEN, qaApp: 'shop-staging', postDeployTimeout: 60 },
      { publish: ['packages/sdk'], qa_app: 'old-qa', redact_env: ['DATABASE_URL'] },
      {
        publish: ['packages/sdk'],
        qa_app: 'shop-staging',
        redact_env: ['DATABASE_URL'],
        prod_app: 'shop',
        post_deploy_cmd: 'bin/rails db:migrate',
        post_deploy_timeout: 60,
      },
    ],
    [
      'an existing platform stays when none is given',
      GIVEN,
      { platform: 'local' },
      {
        platform: 'local',
        qa_app: 'shop-qa',
        prod_app: 'shop',
        post_deploy_cmd: 'bin/rails db:migrate',
      },
    ],
    [
      'an argv post_deploy_cmd is replaced by the string given',
      { postDeployCmd: 'rake db:migrate' },
      { post_deploy_cmd: ['bin/rails', 'db:migrate'] },
      { post_deploy_cmd: 'rake db:migrate' },
    ],
    [
      'one deploy command given: the other environment is kept',
      { deployCmdProd: 'new prod' },
      { deploy_cmd: { qa: 'old qa', prod: 'old prod' } },
      { deploy_cmd: { qa: 'old qa', prod: 'new prod' } },
    ],
    [
      'no deploy command given: deploy_cmd left exactly as it was',
      {},
      { deploy_cmd: 'not an object' },
      { deploy_cmd: 'not an object' },
    ],
    ['devops that is not an object is replaced', { qaApp: 'a-qa' }, 'x', { qa_app: 'a-qa' }],
  ])('%s', (_name, options, existing, expected) => {
    const devops = buildDevops(options, existing);

    expect(devops).toEqual(expected);
    expect(Object.keys(devops)).toEqual(Object.keys(expected));
  });
});

describe('mergeReleaseTargets', () => {
  const devops = { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: 'bin/rails db:migrate' };

  it.each<[string, Targets, Targets]>([
    ['no targets: both added as the README recommends', {}, recommended(devops)],
    [
      'other targets are kept, before the new ones',
      { build: { executor: 'nx:run-commands', options: { command: 'make' } } },
      {
        build: { executor: 'nx:run-commands', options: { command: 'make' } },
        ...recommended(devops),
      },
    ],
    [
      'an existing prepare keeps its own cache, outputs and options; ship is added',
      {
        'release-prepare': {
          executor: 'nx-release-deploy:prepare',
          outputs: ['{workspaceRoot}/dist/release/{projectName}/prepare'],
          options: { outputPath: 'dist/release/{projectName}', devops: { qa_app: 'old-qa' } },
          configurations: { eu: { releaseId: 'eu' } },
        },
      },
      {
        'release-prepare': {
          executor: 'nx-release-deploy:prepare',
          outputs: ['{workspaceRoot}/dist/release/{projectName}/prepare'],
          options: { outputPath: 'dist/release/{projectName}', devops },
          configurations: { eu: { releaseId: 'eu' } },
        },
        'release-ship': recommended(devops)['release-ship'] as object,
      },
    ],
    [
      'an existing ship is left exactly as it is',
      {
        'release-ship': { executor: 'nx-release-deploy:ship', options: { requirePrepared: false } },
      },
      {
        'release-ship': { executor: 'nx-release-deploy:ship', options: { requirePrepared: false } },
        'release-prepare': recommended(devops)['release-prepare'] as object,
      },
    ],
    ['the recommended configuration is a fixed point', recommended(devops), recommended(devops)],
  ])('%s', (_name, targets, expected) => {
    const merged = mergeReleaseTargets('shop', targets, GIVEN);

    expect(merged).toEqual({ targets: expected });
    if ('targets' in merged) expect(Object.keys(merged.targets)).toEqual(Object.keys(expected));
  });

  it.each<[string, Targets, string]>([
    [
      'a release-prepare run by another executor',
      { 'release-prepare': { executor: 'nx:run-commands', options: { command: 'deploy' } } },
      'Cannot add the release targets to shop: its target "release-prepare" runs nx:run-commands, not nx-release-deploy:prepare. Rename or remove that target, then run the generator again.',
    ],
    [
      'a release-ship given as a command',
      { 'release-ship': { command: 'ship it' } },
      'Cannot add the release targets to shop: its target "release-ship" runs nx:run-commands, not nx-release-deploy:ship. Rename or remove that target, then run the generator again.',
    ],
    [
      'a release-prepare with no executor',
      { 'release-prepare': { options: {} } },
      'Cannot add the release targets to shop: its target "release-prepare" runs no executor, not nx-release-deploy:prepare. Rename or remove that target, then run the generator again.',
    ],
  ])('refuses %s', (_name, targets, conflict) => {
    expect(mergeReleaseTargets('shop', targets, GIVEN)).toEqual({ refusal: conflict });
  });

  it('leaves out of new targets the keys nx.json provides, and never strips an existing one', () => {
    const provided = {
      prepare: new Set(['cache', 'inputs', 'outputs'] as const),
      ship: new Set(['cache', 'dependsOn'] as const),
    };
    const existingShip = recommended(devops)['release-ship'] as object;

    expect(mergeReleaseTargets('shop', {}, GIVEN, provided)).toEqual({
      targets: {
        'release-prepare': { executor: 'nx-release-deploy:prepare', options: { devops } },
        'release-ship': {
          executor: 'nx-release-deploy:ship',
          inputs: INPUTS,
          outputs: [
            '{workspaceRoot}/dist/release/{projectName}/{options.dryRun ?? options.dry-run ?? ship}',
          ],
          options: {},
        },
      },
    });
    expect(mergeReleaseTargets('shop', recommended(devops), GIVEN, provided)).toEqual({
      targets: recommended(devops),
    });
    expect(mergeReleaseTargets('shop', { 'release-ship': existingShip }, GIVEN, provided)).toEqual({
      targets: {
        'release-ship': existingShip,
        'release-prepare': { executor: 'nx-release-deploy:prepare', options: { devops } },
      },
    });
  });

  it.each<[string, DevopsGeneratorOptions, string | undefined]>([
    ['both apps given', GIVEN, undefined],
    [
      'no app given',
      { postDeployCmd: 'bin/rails db:migrate' },
      'Cannot add the release targets to shop: --qa-app and --prod-app are required for a new configuration. Example: nx g nx-release-deploy:configuration --project=shop --qa-app=shop-qa --prod-app=shop --post-deploy-cmd="bin/rails db:migrate"',
    ],
  ])('a new release-prepare with %s', (_name, options, refusal) => {
    const merged = mergeReleaseTargets('shop', {}, options);

    expect(merged).toEqual(refusal ? { refusal } : { targets: recommended(devops) });
  });

  it('an existing release-prepare needs no app: its devops has them', () => {
    const merged = mergeReleaseTargets('shop', recommended(devops), { postDeployTimeout: 60 });

    expect(merged).toEqual({
      targets: recommended({ ...devops, post_deploy_timeout: 60 }),
    });
  });

  it('does not change the targets it was given', () => {
    const targets = recommended({ qa_app: 'old-qa' });
    const before = structuredClone(targets);

    mergeReleaseTargets('shop', targets, GIVEN);

    expect(targets).toEqual(before);
  });
});
