/**
 * While a stage runs, SIGINT and SIGTERM do not kill this process outright: they abort the
 * current step (the runner ends its child with SIGTERM, then SIGKILL after a grace period),
 * so the step and the stage are recorded `interrupted` before the executor returns. A second
 * signal exits at once with the conventional status; the ledger on disk is still whole
 * (atomic writes), and --resume re-runs the step it shows `running`.
 */
export async function withInterrupts<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (controller.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
    process.stderr.write(
      `\nReceived ${signal}: stopping the current step (send it again to exit at once).\n`,
    );
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
