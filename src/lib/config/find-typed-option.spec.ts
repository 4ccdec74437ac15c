import { findTypedOption, type TaskOverrides } from './find-typed-option';

const own = { project: 'shop', target: 'release-prepare' };

function task(target: string, unparsed: unknown, project = 'shop'): TaskOverrides {
  return { target: { project, target }, overrides: { __overrides_unparsed__: unparsed } };
}

describe('findTypedOption: the text typed for an option Nx parsed into a number', () => {
  it.each<[string, number, TaskOverrides[], string | undefined]>([
    ['a build number', 20261201, [task('release-prepare', ['--releaseId=20261201'])], '20261201'],
    ['exponent form', 100000, [task('release-prepare', ['--releaseId=1e5'])], '1e5'],
    ['trailing zero', 1.5, [task('release-prepare', ['--releaseId=1.50'])], '1.50'],
    ['leading plus', 7, [task('release-prepare', ['--releaseId=+7'])], '+7'],
    ['kebab case', 42, [task('release-prepare', ['--release-id=42'])], '42'],
    ['value as the next argument', 1, [task('release-prepare', ['--releaseId', '1e0'])], '1e0'],
    [
      'forwarded through dependsOn: the ship task holds the text',
      20261201,
      [task('release-prepare', []), task('release-ship', ['--releaseId=20261201'])],
      '20261201',
    ],
    [
      'the own task first',
      100000,
      [task('release-ship', ['--releaseId=100000']), task('release-prepare', ['--releaseId=1e5'])],
      '1e5',
    ],
    ['text that is not this number', 5, [task('release-prepare', ['--releaseId=6'])], undefined],
    [
      'given twice in the task',
      5,
      [task('release-prepare', ['--releaseId=5', '--releaseId=5.0'])],
      undefined,
    ],
    ['another option', 5, [task('release-prepare', ['--outputPath=5'])], undefined],
    ['a prefix of the option name', 5, [task('release-prepare', ['--releaseIdx=5'])], undefined],
    ['no unparsed list (from project.json)', 5, [task('release-prepare', undefined)], undefined],
    ['no tasks (no task graph)', 5, [], undefined],
  ])('%s', (_name, value, tasks, text) => {
    expect(findTypedOption('releaseId', value, tasks, own)).toBe(text);
  });
});
