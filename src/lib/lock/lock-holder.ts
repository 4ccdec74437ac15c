// Who holds a stage's lock: enough to tell whether it is still running, and to name it.
export interface LockHolder {
  readonly pid: number;
  readonly host: string;
  readonly startedAt: string;
  // The process's start time as the kernel counts it (Linux), so a reused pid is not mistaken.
  readonly pidStart?: string;
}

// What to do about a lock someone else holds.
export type LockDecision = { readonly kind: 'refuse' } | { readonly kind: 'take-over' };

// A lock is stale only when its holder is on this host and provably gone; anything else refuses.
export function decideLock(
  holder: LockHolder,
  host: string,
  isRunning: (holder: LockHolder) => boolean,
): LockDecision {
  if (holder.host !== host) return { kind: 'refuse' };
  return isRunning(holder) ? { kind: 'refuse' } : { kind: 'take-over' };
}

// The refusal, naming the holder and how to clear the lock by hand.
export function formatLockHeld(where: string, holder: LockHolder, lockPath: string): string {
  return (
    `Another run of ${where} is in progress: pid ${holder.pid} on host ${holder.host}, started ${holder.startedAt} ` +
    `(lock ${lockPath}). Wait for it to finish. If that run is gone (another machine, or a process this host cannot see), delete ${lockPath} and run again.`
  );
}

// The warning of the run that took over a dead holder's lock (said only once it holds it).
export function formatTakeover(where: string, holder: LockHolder): string {
  return `Took over the lock of ${where} left by pid ${holder.pid} (started ${holder.startedAt}), which is no longer running.`;
}

// Reads a lock file's content; anything malformed is treated as unknown (and so refused).
export function parseLockHolder(text: string): LockHolder | undefined {
  try {
    const data = JSON.parse(text) as Partial<LockHolder>;
    if (
      typeof data.pid !== 'number' ||
      typeof data.host !== 'string' ||
      typeof data.startedAt !== 'string'
    )
      return undefined;
    return {
      pid: data.pid,
      host: data.host,
      startedAt: data.startedAt,
      ...(typeof data.pidStart === 'string' && { pidStart: data.pidStart }),
    };
  } catch {
    return undefined;
  }
}
