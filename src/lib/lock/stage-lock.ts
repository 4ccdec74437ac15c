import { readFileSync } from 'node:fs';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ReleaseError } from '../errors/release-error';
import { decideLock, formatLockHeld, parseLockHolder, type LockHolder } from './lock-holder';

// A held lock; release it when the stage ends, whatever the outcome.
export interface HeldLock {
  release(): Promise<void>;
}

/**
 * One run per project and stage on a machine. The lock file is created whole and atomically
 * (written to a temp file, then hard-linked into place, which fails if it exists). A lock left
 * by a dead process on this host is removed (see removeStale) and taken over, with a warning;
 * one held by a live process, or from another host, refuses at once naming the holder.
 */
export async function acquireStageLock(
  lockPath: string,
  where: string,
  warn: (message: string) => void,
  displayPath = lockPath,
): Promise<HeldLock> {
  const me = describeThisProcess();
  await mkdir(path.dirname(lockPath), { recursive: true });
  for (let attempt = 0; attempt < 5; attempt += 1) {
    if (await createExclusive(lockPath, me)) return { release: () => releaseLock(lockPath, me) };
    const text = await readFile(lockPath, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const holder = parseLockHolder(text);
    if (!holder) {
      throw new ReleaseError(
        `Cannot tell who holds the lock ${displayPath} of ${where} (it is not a lock this plugin wrote). Delete it if no run is in progress.`,
      );
    }
    if (decideLock(holder, me.host, isRunning).kind === 'refuse')
      throw new ReleaseError(formatLockHeld(where, holder, displayPath));
    if (await removeStale(lockPath, text, me)) {
      warn(
        `Took over the lock of ${where} left by pid ${holder.pid} (started ${holder.startedAt}), which is no longer running.`,
      );
    }
  }
  throw new ReleaseError(
    `Could not take the lock ${displayPath} of ${where}: other runs keep taking it. Try again.`,
  );
}

async function createExclusive(lockPath: string, me: LockHolder): Promise<boolean> {
  const temp = `${lockPath}.${me.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(me)}\n`, 'utf8');
  try {
    await link(temp, lockPath);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

/**
 * Removes a stale lock so that this run can try to take it. Only one run at a time may do so:
 * it first creates `<lock>.takeover` exclusively, then removes the lock only if it still holds
 * the stale content it judged (no other run can change it meanwhile: a new lock cannot be
 * created while the stale file exists). A takeover file left by a dead process is removed.
 */
async function removeStale(lockPath: string, staleText: string, me: LockHolder): Promise<boolean> {
  const guard = `${lockPath}.takeover`;
  if (!(await createExclusive(guard, me))) {
    const holder = parseLockHolder(await readFile(guard, 'utf8').catch(() => ''));
    if (holder && !isRunning(holder)) await unlink(guard).catch(() => undefined);
    return false;
  }
  try {
    const now = await readFile(lockPath, 'utf8').catch(() => undefined);
    if (now !== staleText) return false;
    await unlink(lockPath);
    return true;
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

async function releaseLock(lockPath: string, me: LockHolder): Promise<void> {
  const text = await readFile(lockPath, 'utf8').catch(() => undefined);
  const holder = text === undefined ? undefined : parseLockHolder(text);
  if (
    holder &&
    holder.pid === me.pid &&
    holder.host === me.host &&
    holder.startedAt === me.startedAt
  ) {
    await unlink(lockPath).catch(() => undefined);
  }
}

function describeThisProcess(): LockHolder {
  const pidStart = readProcessStart(process.pid);
  return {
    pid: process.pid,
    host: os.hostname(),
    startedAt: new Date().toISOString(),
    ...(pidStart && { pidStart }),
  };
}

// Whether a holder on this host still runs: the pid exists, and (where Linux tells) it is the
// same process that wrote the lock, not a later one given the same pid.
export function isRunning(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  if (!holder.pidStart) return true;
  const now = readProcessStart(holder.pid);
  return now === undefined || now === holder.pidStart;
}

// Field 22 of /proc/<pid>/stat: the start time in clock ticks since boot (Linux only).
function readProcessStart(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}
