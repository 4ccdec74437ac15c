import { mergeTargetDefaults, type TargetDefaults } from './merge-target-defaults';

const INPUTS = ['default', '^default', { runtime: 'git rev-parse HEAD' }, { env: 'NX_RELEASE_ID' }];
const PREPARE = {
  cache: true,
  inputs: INPUTS,
  outputs: [
    '{workspaceRoot}/dist/release/{projectName}/{options.dryRun ?? options.dry-run ?? prepare}',
  ],
};
const SHIP = {
  cache: true,
  inputs: INPUTS,
  outputs: [
    '{workspaceRoot}/dist/release/{projectName}/{options.dryRun ?? options.dry-run ?? ship}',
  ],
};

describe('mergeTargetDefaults', () => {
  it.each<[string, TargetDefaults | undefined, TargetDefaults]>([
    [
      'none yet',
      undefined,
      { 'nx-release-deploy:prepare': PREPARE, 'nx-release-deploy:ship': SHIP },
    ],
    [
      'other defaults kept, ours appended',
      { build: { cache: true } },
      {
        build: { cache: true },
        'nx-release-deploy:prepare': PREPARE,
        'nx-release-deploy:ship': SHIP,
      },
    ],
    [
      'an existing executor key is the workspace choice (object form)',
      { 'nx-release-deploy:prepare': { cache: false } },
      { 'nx-release-deploy:prepare': { cache: false }, 'nx-release-deploy:ship': SHIP },
    ],
    [
      'an existing executor key is the workspace choice (Nx 24 array form)',
      { 'nx-release-deploy:ship': [{ cache: true, filter: { projects: ['shop'] } }] },
      {
        'nx-release-deploy:ship': [{ cache: true, filter: { projects: ['shop'] } }],
        'nx-release-deploy:prepare': PREPARE,
      },
    ],
    [
      'target-name keys are separate: both executor keys are still added',
      { 'release-prepare': { cache: false } },
      {
        'release-prepare': { cache: false },
        'nx-release-deploy:prepare': PREPARE,
        'nx-release-deploy:ship': SHIP,
      },
    ],
  ])('%s', (_name, existing, expected) => {
    expect(mergeTargetDefaults(existing)).toEqual(expected);
  });

  it('returns the same object when both keys are there, so nx.json is not rewritten', () => {
    const existing = { 'nx-release-deploy:prepare': {}, 'nx-release-deploy:ship': {} };

    expect(mergeTargetDefaults(existing)).toBe(existing);
  });
});
