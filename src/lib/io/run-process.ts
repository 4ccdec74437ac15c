import type { Writable } from 'node:stream';
import type * as ExecaModule from 'execa' with { 'resolution-mode': 'import' };
import { finished } from 'node:stream/promises';
import type { CommandSpec } from '../command/command-spec';
import { keepTail } from './keep-tail';
import {
  createGroupStopper,
  delay,
  listGroupMembers,
  trackGroup,
  type GroupMember,
  type GroupStopper,
} from './process-group';
import { createRedactStream } from './redact-stream';

/**
 * The one place that starts processes (and the only importer of execa): argv, never a shell;
 * stdin closed; stdout and stderr streamed live to the terminal (with backpressure) while
 * only a bounded tail is kept for the ledger. Each command leads a process group of its own
 * (a session, without a controlling terminal): a timeout and an abort signal send SIGTERM to
 * the whole group, then SIGKILL after a grace period, and the run waits until no process of
 * the group is left (or SIGKILL was sent). Once the command itself has exited, its output is
 * awaited only for a short grace: a process it started that keeps the pipes open (a
 * background job, an ssh ControlMaster) is reported, left running and no longer read.
 */

// How a process ended, in the terms the ledger records.
export type ProcessOutcome =
  | { readonly kind: 'exited'; readonly exitCode: number }
  | { readonly kind: 'signaled'; readonly signal: string }
  | { readonly kind: 'timed_out'; readonly timeoutMs: number }
  | { readonly kind: 'interrupted'; readonly signal: string }
  | { readonly kind: 'not_found'; readonly binary: string }
  | { readonly kind: 'not_executable'; readonly binary: string }
  | { readonly kind: 'not_started'; readonly message: string };

export interface ProcessResult {
  readonly outcome: ProcessOutcome;
  // The last bytes of stdout and stderr together, in arrival order.
  readonly outputTail: string;
  // The start of stdout alone (bounded), for commands whose answer is read (npm view).
  readonly stdoutHead: string;
  readonly durationMs: number;
}

export interface RunOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  // Kills the command's group at once (SIGKILL), without the grace period of `signal`.
  readonly force?: AbortSignal;
  readonly stdout?: Writable;
  readonly stderr?: Writable;
  readonly tailBytes?: number;
  // From SIGTERM to SIGKILL, for a timeout or `signal`.
  readonly graceMs?: number;
  // How long the output is still read once the command itself has exited.
  readonly pipeGraceMs?: number;
  // Masks secrets in what is streamed and kept; the tail is cut from the masked text, so a
  // cut can never leave part of a secret that no longer matches.
  readonly redact?: (text: string) => string;
  // Called when the command has printed nothing for `intervalMs` (and again every interval).
  readonly heartbeat?: {
    readonly intervalMs: number;
    readonly onQuiet: (elapsedMs: number) => void;
  };
  // Called when the command has exited but its output is still held open after the pipe
  // grace; `running` lists its group's processes that still run, when they can be read.
  readonly onOutputHeld?: (running: readonly GroupMember[] | undefined) => void;
}

export type { GroupMember };

export const DEFAULT_TAIL_BYTES = 4096;
const OUTSIDE_STOPS = new Set(['SIGTERM', 'SIGINT', 'SIGHUP']);
// 128 + SIGHUP, SIGINT, SIGTERM: how a shell reports a child stopped by one of them.
const OUTSIDE_STOP_CODES = new Set([129, 130, 143]);
const STDOUT_HEAD_BYTES = 64 * 1024;
const DEFAULT_GRACE_MS = 5000;
// Output still in a pipe arrives within milliseconds of the exit; two seconds leave room for a
// loaded machine and for a last line of a process that ends just after, while a background
// holder costs the run no more than that.
const DEFAULT_PIPE_GRACE_MS = 2000;
// Nx stops a task's processes leaves first: a shell whose child got SIGTERM exits 143 before
// the executor hears its own SIGTERM, a moment later (longer on a loaded machine).
const STAGE_SIGNAL_WAIT_MS = 2000;

let execaModule: Promise<typeof ExecaModule> | undefined;

// Loaded once, on the first command (a dry run never pays for it), and shared by concurrent runs.
function loadExeca(): Promise<typeof ExecaModule> {
  // module: node16 keeps this a real import() in the CommonJS build (execa is ESM-only).
  execaModule ??= import('execa');
  return execaModule;
}

// Runs one command to its end; never throws, only describes how the command ended.
export async function runProcess(
  command: CommandSpec,
  options: RunOptions,
): Promise<ProcessResult> {
  const started = Date.now();
  const refused = findUnpassable(command);
  if (refused !== undefined) return describeNotStarted(refused, started);
  let spawned: Spawned;
  try {
    spawned = await spawnCommand(command, options);
  } catch (error) {
    const redact = options.redact ?? ((text: string) => text);
    return describeNotStarted(
      redact(error instanceof Error ? error.message : String(error)),
      started,
    );
  }
  return superviseCommand(spawned, command.argv[0] as string, options, started);
}

// A value no program can receive, found before spawning: Node refuses it with a stack trace.
function findUnpassable(command: CommandSpec): string | undefined {
  if (command.argv.length === 0) return 'empty command';
  const argument = command.argv.findIndex((token) => token.includes('\0'));
  if (argument === 0) return 'the program name contains a NUL byte, which no program can receive';
  if (argument > 0) return `argument ${argument} contains a NUL byte, which no program can receive`;
  const variable = Object.entries(command.env ?? {}).find(([name, value]) =>
    `${name}${value}`.includes('\0'),
  );
  if (variable)
    return `the environment variable ${JSON.stringify(variable[0])} contains a NUL byte, which no program can receive`;
  return undefined;
}

function describeNotStarted(message: string, started: number): ProcessResult {
  return {
    outcome: { kind: 'not_started', message },
    outputTail: '',
    stdoutHead: '',
    durationMs: Date.now() - started,
  };
}

type Subprocess = ReturnType<typeof ExecaModule.execa>;
// Wrapped: the subprocess is a promise, which an async function returning it would await.
type Spawned = { readonly child: Subprocess };

async function spawnCommand(command: CommandSpec, options: RunOptions): Promise<Spawned> {
  const [file, ...args] = command.argv as [string, ...string[]];
  const { execa } = await loadExeca();
  const child = execa(file, args, {
    cwd: options.cwd,
    env: { ...options.env, ...command.env },
    extendEnv: false,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    buffer: false,
    reject: false,
    windowsHide: true,
    // A process group (and session) of its own, so that a stop reaches everything it starts.
    detached: true,
  });
  return { child };
}

async function superviseCommand(
  { child }: Spawned,
  file: string,
  options: RunOptions,
  started: number,
): Promise<ProcessResult> {
  const tail = createTail(options.tailBytes ?? DEFAULT_TAIL_BYTES);
  const head = createHead(STDOUT_HEAD_BYTES);
  const pid = child.pid;
  const done = new AbortController();
  const stopper = createGroupStopper(pid, options.graceMs ?? DEFAULT_GRACE_MS);
  const untrack = pid !== undefined ? trackGroup(pid) : () => {};
  const timer =
    options.timeoutMs !== undefined
      ? setTimeout(() => stopper.stop('timeout'), options.timeoutMs)
      : undefined;
  const onAbort = () => stopper.stop('abort');
  const onForce = () => stopper.kill();
  options.signal?.addEventListener('abort', onAbort, { once: true, signal: done.signal });
  options.force?.addEventListener('abort', onForce, { once: true, signal: done.signal });
  if (options.signal?.aborted) onAbort();
  if (options.force?.aborted) onForce();

  const redact = options.redact ?? ((text: string) => text);
  const stdout = child.stdout?.pipe(createRedactStream(redact));
  const stderr = child.stderr?.pipe(createRedactStream(redact));
  stdout?.on('data', (chunk: Buffer) => {
    tail.push(chunk);
    head.push(chunk);
  });
  stderr?.on('data', (chunk: Buffer) => tail.push(chunk));
  const quiet = watchQuiet(started, options.heartbeat);
  stdout?.on('data', quiet.touch);
  stderr?.on('data', quiet.touch);
  stdout?.pipe(options.stdout ?? process.stdout, { end: false });
  stderr?.pipe(options.stderr ?? process.stderr, { end: false });
  const output = Promise.all([stdout && finished(stdout), stderr && finished(stderr)]).then(
    () => 'closed' as const,
    () => 'closed' as const,
  );
  const settled = Promise.resolve(child);

  try {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await Promise.race([exited, settled]);
    // What stopped the command is what it was stopped for before it exited; a stop after its
    // exit still ends the processes it left, but does not change its own outcome.
    const stoppedFor = stopper.reason;
    // A command that never started has no output to wait for.
    const read =
      pid === undefined
        ? 'unstarted'
        : await awaitOutput(
            output,
            stopper,
            options.pipeGraceMs ?? DEFAULT_PIPE_GRACE_MS,
            done.signal,
          );
    if (read !== 'closed') {
      if (read === 'held' && pid !== undefined) options.onOutputHeld?.(await listGroupMembers(pid));
      child.stdout?.destroy();
      child.stderr?.destroy();
      stdout?.end();
      stderr?.end();
    }
    const result = await settled;
    await output;
    const durationMs = Date.now() - started;
    const outcome = classifyEnd(result, file, stoppedFor, options);
    return {
      outcome: await confirmOutsideStop(outcome, options, done.signal),
      outputTail: tail.read(),
      stdoutHead: head.read(),
      durationMs,
    };
  } finally {
    done.abort();
    clearTimeout(timer);
    stopper.dispose();
    quiet.stop();
    untrack();
  }
}

// After the command's exit: its output, until the pipes close or the grace has passed. Once a
// stop has begun, the rest of the group is ended first (SIGTERM-proof processes that do not
// hold the output included), then the output gets the same grace.
async function awaitOutput(
  output: Promise<'closed'>,
  stopper: GroupStopper,
  pipeGraceMs: number,
  cancel: AbortSignal,
): Promise<'closed' | 'held'> {
  const first =
    stopper.reason === undefined
      ? await Promise.race([
          output,
          stopper.stopping.then(() => 'stop' as const),
          delay(pipeGraceMs, 'held' as const, cancel),
        ])
      : 'stop';
  if (first !== 'stop') return first;
  await stopper.ended();
  return Promise.race([output, delay(pipeGraceMs, 'held' as const, cancel)]);
}

// A shell reports a child stopped by SIGTERM as its own exit 143, often before the stage's own
// signal arrives (Nx signals leaves first): with that signal, or within a short wait for it,
// the exit is an interrupt; without it, the exit code stands.
async function confirmOutsideStop(
  outcome: ProcessOutcome,
  options: RunOptions,
  cancel: AbortSignal,
): Promise<ProcessOutcome> {
  if (outcome.kind !== 'exited' || !OUTSIDE_STOP_CODES.has(outcome.exitCode)) return outcome;
  const stage = options.signal;
  if (!stage) return outcome;
  const arrived =
    stage.aborted ||
    (await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), STAGE_SIGNAL_WAIT_MS);
      const onAbort = () => {
        clearTimeout(timer);
        resolve(true);
      };
      stage.addEventListener('abort', onAbort, { once: true, signal: cancel });
      cancel.addEventListener('abort', () => clearTimeout(timer), { once: true });
    }));
  return arrived ? { kind: 'interrupted', signal: describeAbortReason(stage) } : outcome;
}

interface EndState {
  readonly exitCode?: number;
  readonly signal?: string;
  readonly code?: string;
  readonly originalMessage?: string;
  readonly shortMessage?: string;
}

// How the process ended, in the runner's terms (describe-outcome.ts words it for the ledger).
function classifyEnd(
  result: EndState,
  file: string,
  stoppedFor: 'timeout' | 'abort' | undefined,
  options: RunOptions,
): ProcessOutcome {
  if (result.code === 'ENOENT') return { kind: 'not_found', binary: file };
  if (result.code === 'EACCES') return { kind: 'not_executable', binary: file };
  if (result.code === 'E2BIG')
    return {
      kind: 'not_started',
      message: 'the command and its environment are longer than the system allows (E2BIG)',
    };
  if (stoppedFor === 'timeout') return { kind: 'timed_out', timeoutMs: options.timeoutMs ?? 0 };
  if (stoppedFor === 'abort') {
    const by = options.signal?.aborted ? options.signal : options.force;
    return { kind: 'interrupted', signal: describeAbortReason(by) };
  }
  if (typeof result.exitCode === 'number') return { kind: 'exited', exitCode: result.exitCode };
  // Stopped from outside (Nx stopping its tasks, a container stop, a CI cancel): an interrupt.
  if (result.signal && OUTSIDE_STOPS.has(result.signal))
    return { kind: 'interrupted', signal: result.signal };
  if (result.signal) return { kind: 'signaled', signal: result.signal };
  return {
    kind: 'not_started',
    message: result.originalMessage ?? result.shortMessage ?? 'the process could not start',
  };
}

// The last `limit` bytes of a stream, without ever holding more than about twice that.
function createTail(limit: number) {
  let chunks: Buffer[] = [];
  let size = 0;
  return {
    push(chunk: Buffer): void {
      chunks.push(chunk);
      size += chunk.length;
      while (chunks.length > 1 && size - (chunks[0] as Buffer).length >= limit)
        size -= (chunks.shift() as Buffer).length;
      if (size > limit * 2) {
        chunks = [Buffer.concat(chunks).subarray(-limit)];
        size = limit;
      }
    },
    read(): string {
      return keepTail(Buffer.concat(chunks), limit);
    },
  };
}

// The first `limit` bytes of a stream.
function createHead(limit: number) {
  const chunks: Buffer[] = [];
  let size = 0;
  return {
    push(chunk: Buffer): void {
      if (size >= limit) return;
      chunks.push(chunk.subarray(0, limit - size));
      size += Math.min(chunk.length, limit - size);
    },
    read: (): string => Buffer.concat(chunks).toString('utf8'),
  };
}

// Tracks the last output; a long silence is reported so that CI logs show the step is alive.
function watchQuiet(started: number, heartbeat: RunOptions['heartbeat']) {
  let last = started;
  const timer = heartbeat
    ? setInterval(
        () => {
          const now = Date.now();
          if (now - last < heartbeat.intervalMs) return;
          last = now;
          heartbeat.onQuiet(now - started);
        },
        Math.max(10, Math.floor(heartbeat.intervalMs / 10)),
      )
    : undefined;
  timer?.unref();
  return {
    touch: () => {
      last = Date.now();
    },
    stop: () => clearInterval(timer),
  };
}

// The signal that aborted a step, as the ledger words it ("SIGINT"), whoever aborted it.
export function describeAbortReason(signal: AbortSignal | undefined): string {
  return typeof signal?.reason === 'string' ? signal.reason : 'interrupt';
}
