// Where a batch's live output must be written for the log to show it as it happens.
export type LiveRoute =
  // The worker's own stdout: Nx forwards it to its log as it arrives (or, under the TUI and the
  // summary style, keeps it off the log by design).
  | { readonly kind: 'own'; readonly why: string }
  // The stdout of the Nx process that forked the worker: Nx holds the worker's own stdout back.
  | { readonly kind: 'nx'; readonly pid: number };

export interface LiveRouteFacts {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
  // The worker's parent: the Nx process that forked it, unless that process is gone.
  readonly ppid: number;
  // That process's command line (empty when it cannot be read).
  readonly nxArgv: readonly string[];
}

/**
 * Under GitHub Actions log grouping (GITHUB_ACTIONS set, NX_SKIP_LOG_GROUPING and
 * NX_STREAM_OUTPUT not "true": Nx 24's own test), Nx writes a batch worker's stdout to a file
 * and prints it only when the batch has ended, and only if a task failed or the output style
 * prints every task in full: a release is not seen as it happens, a successful one not at all.
 * Then the worker writes to Nx's own stdout, which is the job log; on Linux it is reached as
 * /proc/<pid>/fd/1. Nx names the process that forked the worker last in
 * NX_INVOCATION_ANCESTOR_PIDS: it must still be the parent (not a reaper that adopted the
 * worker). The TUI and the summary style keep task output off the log: they are left alone.
 */
export function decideLiveRoute(facts: LiveRouteFacts): LiveRoute {
  const { env, platform, ppid } = facts;
  if (!env.GITHUB_ACTIONS) return { kind: 'own', why: 'not on GitHub Actions' };
  if (env.NX_SKIP_LOG_GROUPING === 'true')
    return { kind: 'own', why: 'NX_SKIP_LOG_GROUPING=true: Nx forwards the output live' };
  if (env.NX_STREAM_OUTPUT === 'true')
    return { kind: 'own', why: 'NX_STREAM_OUTPUT=true: Nx forwards the output live' };
  if (env.NX_TUI === 'true') return { kind: 'own', why: 'the TUI shows the output' };
  const style = readOutputStyle(facts.nxArgv) ?? env.NX_DEFAULT_OUTPUT_STYLE;
  if (style === 'summary' || style === 'tui')
    return { kind: 'own', why: `output style ${style} keeps task output off the log` };
  if (platform !== 'linux') return { kind: 'own', why: `no /proc on ${platform}` };
  if (env.NX_FORKED_TASK_EXECUTOR !== 'true') return { kind: 'own', why: 'not forked by Nx' };
  const forker = env.NX_INVOCATION_ANCESTOR_PIDS
    ? Number(env.NX_INVOCATION_ANCESTOR_PIDS.split(',').at(-1))
    : ppid;
  if (!Number.isInteger(ppid) || ppid <= 1 || forker !== ppid)
    return { kind: 'own', why: 'the Nx process that forked this worker is gone' };
  return { kind: 'nx', pid: ppid };
}

// The `--output-style` (or `--outputStyle`) given to Nx, the last one winning, up to `--`.
function readOutputStyle(argv: readonly string[]): string | undefined {
  let style: string | undefined;
  for (const [index, arg] of argv.entries()) {
    if (arg === '--') break;
    const match = /^--(?:output-style|outputStyle)(?:=(.*))?$/.exec(arg);
    if (!match) continue;
    style = match[1] ?? argv[index + 1];
  }
  return style;
}
