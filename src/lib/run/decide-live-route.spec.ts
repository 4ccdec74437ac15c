import { decideLiveRoute, type LiveRoute, type LiveRouteFacts } from './decide-live-route';

// A batch worker as Nx 24 forks it on a GitHub-hosted Linux runner.
const worker = {
  GITHUB_ACTIONS: 'true',
  CI: 'true',
  NX_FORKED_TASK_EXECUTOR: 'true',
  NX_INVOCATION_ANCESTOR_PIDS: '4120',
};
const facts = (
  env: Record<string, string | undefined>,
  more: Partial<LiveRouteFacts> = {},
): LiveRouteFacts => ({
  env: { ...worker, ...env },
  platform: 'linux',
  ppid: 4120,
  nxArgv: ['node', '/w/node_modules/nx/dist/bin/nx.js', 'run-many', '-t', 'release-prepare'],
  ...more,
});
const own = (why: string): LiveRoute => ({ kind: 'own', why });

describe('decideLiveRoute', () => {
  it.each<[string, LiveRouteFacts, LiveRoute]>([
    ['GitHub Actions, Linux, forked by Nx', facts({}), { kind: 'nx', pid: 4120 }],
    [
      'GITHUB_ACTIONS of any non-empty value (Nx tests it for truthiness)',
      facts({ GITHUB_ACTIONS: '1' }),
      { kind: 'nx', pid: 4120 },
    ],
    ['not on GitHub Actions', facts({ GITHUB_ACTIONS: undefined }), own('not on GitHub Actions')],
    ['GITHUB_ACTIONS empty', facts({ GITHUB_ACTIONS: '' }), own('not on GitHub Actions')],
    [
      'CI=true alone is not grouped by Nx',
      facts({ GITHUB_ACTIONS: undefined, CI: 'true' }),
      own('not on GitHub Actions'),
    ],
    [
      'NX_SKIP_LOG_GROUPING=true',
      facts({ NX_SKIP_LOG_GROUPING: 'true' }),
      own('NX_SKIP_LOG_GROUPING=true: Nx forwards the output live'),
    ],
    [
      'NX_SKIP_LOG_GROUPING of another value does not skip grouping',
      facts({ NX_SKIP_LOG_GROUPING: '1' }),
      { kind: 'nx', pid: 4120 },
    ],
    [
      'NX_STREAM_OUTPUT=true (set by the user, or by Nx for --output-style=stream)',
      facts({ NX_STREAM_OUTPUT: 'true' }),
      own('NX_STREAM_OUTPUT=true: Nx forwards the output live'),
    ],
    ['the TUI', facts({ NX_TUI: 'true' }), own('the TUI shows the output')],
    ['NX_TUI=false', facts({ NX_TUI: 'false' }), { kind: 'nx', pid: 4120 }],
    [
      '--output-style=summary',
      facts({}, { nxArgv: ['node', 'nx.js', 'run-many', '--output-style=summary'] }),
      own('output style summary keeps task output off the log'),
    ],
    [
      '--outputStyle summary (two words)',
      facts({}, { nxArgv: ['node', 'nx.js', 'affected', '--outputStyle', 'summary'] }),
      own('output style summary keeps task output off the log'),
    ],
    [
      'NX_DEFAULT_OUTPUT_STYLE=summary',
      facts({ NX_DEFAULT_OUTPUT_STYLE: 'summary' }),
      own('output style summary keeps task output off the log'),
    ],
    [
      'a style named on the command line wins over NX_DEFAULT_OUTPUT_STYLE',
      facts(
        { NX_DEFAULT_OUTPUT_STYLE: 'summary' },
        { nxArgv: ['node', 'nx.js', 'run-many', '--output-style=static'] },
      ),
      { kind: 'nx', pid: 4120 },
    ],
    [
      'the last --output-style wins',
      facts({}, { nxArgv: ['nx', '--output-style=summary', '--output-style', 'static'] }),
      { kind: 'nx', pid: 4120 },
    ],
    [
      'an --output-style after -- is an argument of the task, not of Nx',
      facts({}, { nxArgv: ['nx', 'run', 'shop:release-prepare', '--', '--output-style=summary'] }),
      { kind: 'nx', pid: 4120 },
    ],
    ['macOS runner', facts({}, { platform: 'darwin' }), own('no /proc on darwin')],
    ['Windows runner', facts({}, { platform: 'win32' }), own('no /proc on win32')],
    [
      'not in a process Nx forked',
      facts({ NX_FORKED_TASK_EXECUTOR: undefined }),
      own('not forked by Nx'),
    ],
    [
      'adopted by a reaper: the parent is not the Nx process that forked the worker',
      facts({}, { ppid: 77 }),
      own('the Nx process that forked this worker is gone'),
    ],
    [
      'adopted by init',
      facts({ NX_INVOCATION_ANCESTOR_PIDS: undefined }, { ppid: 1 }),
      own('the Nx process that forked this worker is gone'),
    ],
    [
      'the forking Nx is the last of several nested ones',
      facts({ NX_INVOCATION_ANCESTOR_PIDS: '300,4120' }),
      { kind: 'nx', pid: 4120 },
    ],
    [
      'an Nx without NX_INVOCATION_ANCESTOR_PIDS: the parent is trusted',
      facts({ NX_INVOCATION_ANCESTOR_PIDS: undefined }),
      { kind: 'nx', pid: 4120 },
    ],
  ])('%s', (_name, input, expected) => {
    expect(decideLiveRoute(input)).toEqual(expected);
  });
});
