import type { NxJsonConfiguration } from '@nx/devkit';
import { findProvidedKeys } from './find-provided-keys';

type TargetDefaults = NonNullable<NxJsonConfiguration['targetDefaults']>;

const INPUTS = ['default', '^default', { runtime: 'git rev-parse HEAD' }, { env: 'NX_RELEASE_ID' }];
const PREPARE_OUTPUTS = [
  '{workspaceRoot}/dist/release/{projectName}/{options.dryRun ?? options.dry-run ?? prepare}',
];
const SHIP_OUTPUTS = [
  '{workspaceRoot}/dist/release/{projectName}/{options.dryRun ?? options.dry-run ?? ship}',
];
const DEPENDS_ON = [{ target: 'release-prepare', params: 'forward' as const }];
// What init writes.
const INIT_PREPARE = { cache: true, inputs: INPUTS, outputs: PREPARE_OUTPUTS };
const INIT_SHIP = { cache: true, inputs: INPUTS, outputs: SHIP_OUTPUTS };

describe('findProvidedKeys', () => {
  it.each<[string, TargetDefaults | undefined, 'prepare' | 'ship', string[]]>([
    ['no targetDefaults', undefined, 'prepare', []],
    ['no entry for the executor', { build: { cache: true } }, 'prepare', []],
    [
      'the target-name key is not the executor key',
      { 'release-prepare': INIT_PREPARE },
      'prepare',
      [],
    ],
    [
      'what init writes, prepare',
      { 'nx-release-deploy:prepare': INIT_PREPARE },
      'prepare',
      ['cache', 'inputs', 'outputs'],
    ],
    [
      "what init writes, ship: dependsOn is the project's",
      { 'nx-release-deploy:ship': INIT_SHIP },
      'ship',
      ['cache', 'inputs', 'outputs'],
    ],
    [
      'ship with dependsOn too',
      { 'nx-release-deploy:ship': { ...INIT_SHIP, dependsOn: DEPENDS_ON } },
      'ship',
      ['cache', 'dependsOn', 'inputs', 'outputs'],
    ],
    ["another stage's entry", { 'nx-release-deploy:ship': INIT_SHIP }, 'prepare', []],
    [
      'only the keys equal to the recommended values',
      { 'nx-release-deploy:prepare': { cache: true, inputs: ['default'], outputs: SHIP_OUTPUTS } },
      'prepare',
      ['cache'],
    ],
    [
      'cache: false is not the recommended cache',
      { 'nx-release-deploy:prepare': { ...INIT_PREPARE, cache: false } },
      'prepare',
      ['inputs', 'outputs'],
    ],
    [
      'the array form without filters, later entries winning',
      {
        'nx-release-deploy:prepare': [
          { cache: false, inputs: INPUTS },
          { cache: true, outputs: PREPARE_OUTPUTS },
        ],
      },
      'prepare',
      ['cache', 'inputs', 'outputs'],
    ],
    [
      'a filtered entry: which projects it reaches is not decided here',
      {
        'nx-release-deploy:prepare': [
          INIT_PREPARE,
          { filter: { projects: ['shop'] }, cache: true },
        ],
      },
      'prepare',
      [],
    ],
    [
      'an entry naming an executor',
      { 'nx-release-deploy:prepare': { ...INIT_PREPARE, executor: 'nx-release-deploy:prepare' } },
      'prepare',
      [],
    ],
    [
      'an entry with a spread',
      { 'nx-release-deploy:prepare': { ...INIT_PREPARE, '...': true } } as TargetDefaults,
      'prepare',
      [],
    ],
  ])('%s', (_name, targetDefaults, stage, expected) => {
    expect([...findProvidedKeys(targetDefaults, stage)].sort()).toEqual(expected);
  });
});
