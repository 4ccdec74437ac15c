import type { Writable } from 'node:stream';
import type * as ExecaModule from 'execa' with { 'resolution-mode': 'import' };
import { finished } from 'node:stream/promises';
import type { CommandSpec } from '../command/command-spec';
import { keepTail } from './keep-tail';
import { createRedactStream } from './redact-stream';

/**
 * The one place that starts processes (and the only importer of execa): argv, never a shell;
 * stdin closed; stdout and stderr streamed live to the terminal (with backpressure) while
 * only a bounded tail is kept for the ledger; a timeout and an abort signal end the child
 * with SIGTERM, then SIGKILL after a grace period.
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
  // Kills the command at once (SIGKILL), without the grace period of `signal`.
  readonly force?: AbortSignal;
  readonly stdout?: Writable;
  readonly stderr?: Writable;
  readonly tailBytes?: number;
  readonly graceMs?: number;
  // Masks secrets in what is streamed and kept; the tail is cut from the masked text, so a
  // cut can never leave part of a secret that no longer matches.
  readonly redact?: (text: string) => string;
  // Called when the command has printed nothing for `intervalMs` (and again every interval).
  readonly heartbeat?: {
    readonly intervalMs: number;
    readonly onQuiet: (elapsedMs: number) => void;
  };
}

export const DEFAULT_TAIL_BYTES = 4096;
const OUTSIDE_STOPS = new Set(['SIGTERM', 'SIGINT', 'SIGHUP']);
const STDOUT_HEAD_BYTES = 64 * 1024;
const DEFAULT_GRACE_MS = 5000;

let execaModule: Promise<typeof ExecaModule> | undefined;

// Loaded once, on the first command (a dry run never pays for it), and shared by concurrent runs.
function loadExeca(): Promise<typeof ExecaModule> {
  // module: node16 keeps this a real import() in the CommonJS build (execa is ESM-only).
  execaModule ??= import('execa');
  return execaModule;
}

// Runs one command to its end; never throws for a command that fails, only describes it.
export async function runProcess(
  command: CommandSpec,
  options: RunOptions,
): Promise<ProcessResult> {
  const [file, ...args] = command.argv;
  const started = Date.now();
  const tail = createTail(options.tailBytes ?? DEFAULT_TAIL_BYTES);
  const head = createHead(STDOUT_HEAD_BYTES);
  if (file === undefined)
    return {
      outcome: { kind: 'not_started', message: 'empty command' },
      outputTail: '',
      stdoutHead: '',
      durationMs: 0,
    };
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
    ...(options.timeoutMs !== undefined && { timeout: options.timeoutMs }),
    ...(options.signal && { cancelSignal: options.signal }),
    killSignal: 'SIGTERM',
    forceKillAfterDelay: options.graceMs ?? DEFAULT_GRACE_MS,
  });
  const killNow = () => child.kill('SIGKILL');
  options.force?.addEventListener('abort', killNow, { once: true });
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
  const [result] = await Promise.all([
    child,
    stdout && finished(stdout),
    stderr && finished(stderr),
  ]);
  options.force?.removeEventListener('abort', killNow);
  quiet.stop();
  return {
    outcome: classifyEnd(result, file, options),
    outputTail: tail.read(),
    stdoutHead: head.read(),
    durationMs: Date.now() - started,
  };
}

interface EndState {
  readonly exitCode?: number;
  readonly signal?: string;
  readonly timedOut: boolean;
  readonly isCanceled: boolean;
  readonly failed: boolean;
  readonly code?: string;
  readonly originalMessage?: string;
  readonly shortMessage?: string;
}

// How the process ended, in the runner's terms (describe-outcome.ts words it for the ledger).
function classifyEnd(result: EndState, file: string, options: RunOptions): ProcessOutcome {
  if (result.code === 'ENOENT') return { kind: 'not_found', binary: file };
  if (result.code === 'EACCES') return { kind: 'not_executable', binary: file };
  if (result.timedOut) return { kind: 'timed_out', timeoutMs: options.timeoutMs ?? 0 };
  if (result.isCanceled || options.force?.aborted) {
    return { kind: 'interrupted', signal: describeAbortReason(options.signal) };
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
