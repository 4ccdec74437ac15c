/**
 * Processes a test must signal, kill or watch: `nx` started so that the test holds its pid (and
 * its process group, to model a terminal's Ctrl-C), any program started the same way, and
 * liveness checks that do not mistake a zombie for a running process.
 *
 * What it models: a user's `nx` as `createWorkspace` runs it (same binary, same environment),
 * but in its own process group (`detached`), so that a signal to the group reaches nx, the
 * forked executor and the command it runs, as the terminal driver does on Ctrl-C, without
 * reaching Jest. What it does not: a controlling terminal (no TTY, so Nx never uses its
 * pseudo-terminal path), job control.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { constants } from 'node:os';
import { performance } from 'node:perf_hooks';
import { buildNxEnv, ensureInstallBase, readNxBin } from './nx-workspace';
import type { NxResult, Workspace } from './nx-workspace';

export interface StartedProcess {
  readonly pid: number;
  /** Settles when the process has exited and its output is closed (never rejects). */
  readonly result: Promise<NxResult>;
  /** performance.now() when the process was seen to exit, once it has. */
  exitedAt(): number | undefined;
  /** The output so far, stdout and stderr interleaved. */
  readOutput(): string;
}

// Starts argv (never a shell) in its own process group, collecting its output.
export function startProcess(
  command: string,
  args: readonly string[],
  options: { cwd: string; env: Record<string, string> },
): StartedProcess {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`Could not start ${command}`);
  const chunks = { stdout: [] as string[], stderr: [] as string[], output: [] as string[] };
  let exitedAt: number | undefined;
  child.once('exit', () => {
    exitedAt = performance.now();
  });
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    chunks.stdout.push(chunk);
    chunks.output.push(chunk);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    chunks.stderr.push(chunk);
    chunks.output.push(chunk);
  });
  const result = new Promise<NxResult>((resolve) => {
    child.on('error', (error) =>
      resolve({ exitCode: -1, stdout: '', stderr: String(error), output: String(error) }),
    );
    child.once('close', (code, signal) =>
      resolve({
        exitCode: code ?? 128 + (signal ? constants.signals[signal] : 0),
        stdout: chunks.stdout.join(''),
        stderr: chunks.stderr.join(''),
        output: chunks.output.join(''),
      }),
    );
  });
  return {
    pid: child.pid,
    result,
    exitedAt: () => exitedAt,
    readOutput: () => chunks.output.join(''),
  };
}

// `nx <args>` in the workspace, as ws.runNx runs it, but started in its own process group.
export async function startNx(
  workspace: Workspace,
  args: readonly string[],
  env: Record<string, string> = {},
): Promise<StartedProcess> {
  const nxBin = readNxBin(await ensureInstallBase());
  return startProcess(process.execPath, [nxBin, ...args], {
    cwd: workspace.root,
    env: buildNxEnv(workspace.root, env),
  });
}

// Gone: no such process, or a zombie waiting to be reaped (it runs no code any more).
export function isProcessGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
    throw error;
  }
  return readProcessState(pid) === 'Z';
}

// Polls until the process is gone; returns how long that took, or undefined at the deadline.
export async function waitUntilGone(pid: number, timeoutMs: number): Promise<number | undefined> {
  const started = performance.now();
  while (!isProcessGone(pid)) {
    if (performance.now() - started > timeoutMs) return undefined;
    await sleep(20);
  }
  return Math.round(performance.now() - started);
}

// Polls `probe` every 20 ms until it returns a value; throws with `what` at the deadline.
export async function waitFor<T>(
  what: string,
  probe: () => T | undefined,
  timeoutMs = 30_000,
): Promise<T> {
  const started = performance.now();
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (performance.now() - started > timeoutMs) throw new Error(`Timed out waiting for ${what}`);
    await sleep(20);
  }
}

// The parent of a live process (Linux /proc), e.g. the executor that started a command.
export function readParentPid(pid: number): number {
  return Number(readStatFields(pid)[1]);
}

// A live process's argv as one line (Linux /proc), e.g. to tell Nx's executor processes apart.
export function readCommandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
  } catch {
    return '(gone)';
  }
}

// The kernel's start time of a process (field 22 of /proc/<pid>/stat), as the lock records it.
export function readProcessStartTicks(pid: number): string {
  const value = readStatFields(pid)[19];
  if (value === undefined) throw new Error(`No start time in /proc/${pid}/stat`);
  return value;
}

// Sends SIGKILL to a pid if it still exists; for the cleanup of tests that may leave one.
export function killIfAlive(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function readProcessState(pid: number): string | undefined {
  try {
    return readStatFields(pid)[0];
  } catch {
    return undefined;
  }
}

// The fields of /proc/<pid>/stat after the command name: [state, ppid, pgrp, ...].
function readStatFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}
