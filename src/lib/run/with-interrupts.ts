/**
 * While stages run, SIGINT and SIGTERM do not kill this process outright. The first aborts the
 * current step of every running stage: the runner ends its command's process group with
 * SIGTERM, then SIGKILL after a grace period, and the step and stage are recorded
 * `interrupted`. The second kills those groups at once (SIGKILL) and lets the stages record
 * that and release their locks:
 * Nx, after a Ctrl-C, sends its own SIGTERM as soon as the command has exited, and that must
 * not cut the recording short. A third exits at once with the conventional status; the
 * ledgers on disk are still whole (atomic writes), and --resume re-runs a step left `running`.
 * One set of listeners serves every concurrent stage (a batch runs several at once).
 */
interface Interruptible {
  readonly graceful: AbortController;
  readonly force: AbortController;
}

const running = new Set<Interruptible>();
let received = 0;

function onSignal(signal: NodeJS.Signals): void {
  received += 1;
  if (received >= 3) process.exit(signal === 'SIGINT' ? 130 : 143);
  if (received === 1) {
    process.stderr.write(
      `\nReceived ${signal}: stopping the current step (twice more to exit at once).\n`,
    );
    for (const stage of running) stage.graceful.abort(signal);
  } else {
    for (const stage of running) stage.force.abort(signal);
  }
}

// The signals a stage passes to its steps: stop gracefully, and stop now.
export interface InterruptSignals {
  readonly signal: AbortSignal;
  readonly force: AbortSignal;
}

// Runs `work` with abort signals that fire on SIGINT or SIGTERM.
export async function withInterrupts<T>(
  work: (signals: InterruptSignals) => Promise<T>,
): Promise<T> {
  const stage: Interruptible = { graceful: new AbortController(), force: new AbortController() };
  if (running.size === 0) {
    received = 0;
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  running.add(stage);
  try {
    return await work({ signal: stage.graceful.signal, force: stage.force.signal });
  } finally {
    running.delete(stage);
    if (running.size === 0) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
