import type { ProjectTargets } from './find-release-targets';
import { readRedactNames } from './read-redact-names';

const targets: ProjectTargets = {
  'release-prepare': {
    executor: 'nx-release-deploy:prepare',
    options: { devops: { redact_env: ['DATABASE_URL', 5] } },
    configurations: { ci: { devops: { redact_env: ['CI_SECRET'] } } },
  },
  'release-ship': {
    executor: 'nx-release-deploy:ship',
    options: { devops: { redact_env: ['SHIP_TOKEN'] } },
  },
  'other-ship': {
    executor: 'nx-release-deploy:ship',
    options: { prepareTarget: 'other-prepare', devops: { redact_env: ['OTHER'] } },
  },
  build: { executor: 'nx:run-commands', options: { devops: { redact_env: ['NOT_MINE'] } } },
};

describe('readRedactNames: the names to mask, read before the options are validated', () => {
  it.each<[string, Parameters<typeof readRedactNames>[0], string[]]>([
    [
      'prepare: its own names and those of the ship targets that inherit from it (strings only)',
      {
        stage: 'prepare',
        target: 'release-prepare',
        options: targets['release-prepare']?.options ?? {},
        targets,
        configurationName: undefined,
      },
      ['DATABASE_URL', 'SHIP_TOKEN'],
    ],
    [
      "ship: its own names and its prepare target's, with the configuration run",
      {
        stage: 'ship',
        target: 'release-ship',
        options: { devops: { redact_env: ['SHIP_TOKEN'] } },
        targets,
        configurationName: 'ci',
      },
      ['SHIP_TOKEN', 'CI_SECRET'],
    ],
    [
      'a devops block of any shape',
      {
        stage: 'ship',
        target: 'release-ship',
        options: { devops: 'x', prepareTarget: 'missing' },
        targets,
        configurationName: undefined,
      },
      [],
    ],
    [
      'redact_env that is not an array',
      {
        stage: 'prepare',
        target: 'release-prepare',
        options: { devops: { redact_env: 'DATABASE_URL' } },
        targets: {},
        configurationName: undefined,
      },
      [],
    ],
  ])('%s', (_name, input, names) => {
    expect(readRedactNames(input)).toEqual(names);
  });
});
