/**
 * `nx` run as a step of a GitHub-hosted job runs it, and the job log as GitHub folds it.
 *
 * What it models (actions/runner `ProcessInvoker`, .NET's Process on Unix): the runner starts
 * the step with stdout and stderr redirected to OS pipes (pipe(2), not sockets), stdin closed,
 * GITHUB_ACTIONS=true and CI=true, and reads the pipes line by line into the log as the bytes
 * arrive; a `::group::<title>` line starts a fold and `::endgroup::` ends it. Here the step is
 * `bash -c '"$@" 2>&1 | cat'`, so nx's stdout and stderr are one OS pipe, read as it fills
 * (`readOutput()`), in nx's own process group. Nx picks its default output style for a job
 * (static-failures-only, set explicitly because Nx may pick another from ambient variables).
 * What it does not: two separate pipes (how the runner interleaves them), the log viewer, the
 * runner's masking of registered secrets.
 */
import { buildNxEnv, ensureInstallBase, readNxBin, type Workspace } from './nx-workspace';
import { startProcess, type StartedProcess } from './processes';

const STEP_SCRIPT = 'set -o pipefail; "$@" 2>&1 | cat';

// `nx <args>` as a job's step, started in its own process group.
export async function startNxInJob(
  workspace: Workspace,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<StartedProcess> {
  const nxBin = readNxBin(await ensureInstallBase());
  return startProcess('bash', ['-c', STEP_SCRIPT, 'bash', process.execPath, nxBin, ...args], {
    cwd: workspace.root,
    env: buildNxEnv(workspace.root, {
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      NX_DEFAULT_OUTPUT_STYLE: 'static-failures-only',
      ...env,
    }),
  });
}

export interface LogLine {
  readonly text: string;
  // The title of the fold the line is in; undefined for a line shown without unfolding.
  readonly fold?: string;
}

// The lines of a job log as GitHub shows them: a fold's title is a line of its own, shown
// without unfolding; each line up to `::endgroup::` is in that fold.
export function readJobLog(log: string): LogLine[] {
  const lines: LogLine[] = [];
  let fold: string | undefined;
  for (const text of log.split('\n')) {
    if (text.startsWith('::group::')) {
      fold = text.slice('::group::'.length);
      lines.push({ text: fold });
    } else if (text === '::endgroup::') fold = undefined;
    else lines.push(fold === undefined ? { text } : { text, fold });
  }
  return lines;
}
