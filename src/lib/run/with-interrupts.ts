/**
 * While stages run, SIGINT and SIGTERM do not kill this process outright: they abort the
 * current step of every running stage (the runner ends its child with SIGTERM, then SIGKILL
 * after a grace period), so steps and stages are recorded `interrupted` before the executor
 * returns. A second signal exits at once with the conventional status; the ledgers on disk
 * are still whole (atomic writes), and --resume re-runs the step a ledger shows `running`.
 * One pair of listeners serves every concurrent stage (a batch runs several at once).
 */
const running = new Set<AbortController>();
let interrupted = false;

function onSignal(signal: NodeJS.Signals): void {
  if (interrupted) process.exit(signal === 'SIGINT' ? 130 : 143);
  interrupted = true;
  process.stderr.write(
    `\nReceived ${signal}: stopping the current step (send it again to exit at once).\n`,
  );
  for (const controller of running) controller.abort(signal);
}

// Runs `work` with an abort signal that fires on SIGINT or SIGTERM.
export async function withInterrupts<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  if (running.size === 0) {
    interrupted = false;
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }
  running.add(controller);
  try {
    return await work(controller.signal);
  } finally {
    running.delete(controller);
    if (running.size === 0) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}
