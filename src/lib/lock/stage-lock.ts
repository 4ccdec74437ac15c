import { constants, readFileSync } from 'node:fs';
import { link, mkdir, open, readdir, unlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createTempFile } from '../io/create-temp-file';
import { isTempName } from '../io/temp-name';
import { ReleaseError } from '../core/release-error';
import {
  decideLock,
  formatLockHeld,
  formatTakeover,
  parseLockHolder,
  type LockHolder,
} from './lock-holder';

// A held lock; release it when the stage ends, whatever the outcome.
export interface HeldLock {
  release(): Promise<void>;
}

// Steps a test can slip in to make a race happen at an exact point.
export interface LockHooks {
  // After this run removed a stale lock, before it tries to create its own.
  readonly afterRemovingStale?: () => Promise<void>;
}

/**
 * One run per project and stage on a machine. The lock file is created whole and atomically
 * (written to a temp file, then hard-linked into place, which fails if it exists). A lock left
 * by a dead process on this host is removed (see removeStale) and taken over, with a warning
 * only once this run holds the lock: a run that found it stale but lost the race to another
 * refuses, naming the winner, and says nothing of a takeover. One held by a live process, or
 * from another host, refuses at once naming the holder.
 */
export async function acquireStageLock(
  lockPath: string,
  where: string,
  warn: (message: string) => void,
  displayPath = lockPath,
  hooks: LockHooks = {},
): Promise<HeldLock> {
  const me = describeThisProcess();
  await mkdir(path.dirname(lockPath), { recursive: true });
  let stale: LockHolder | undefined;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    if (await createExclusive(lockPath, me)) {
      if (stale) warn(formatTakeover(where, stale));
      await removeDeadTempFiles(lockPath);
      return { release: () => releaseLock(lockPath, me) };
    }
    const text = await readLockText(lockPath).catch((error: NodeJS.ErrnoException) => {
      throw new ReleaseError(
        `Cannot read the lock ${displayPath} of ${where} (${error.code ?? error.message}). Remove it if no run is in progress, and run again.`,
        { cause: error },
      );
    });
    if (text === undefined) continue;
    const holder = parseLockHolder(text);
    if (!holder) {
      throw new ReleaseError(
        `Cannot tell who holds the lock ${displayPath} of ${where} (it is not a lock this plugin wrote). Delete it if no run is in progress.`,
      );
    }
    if (decideLock(holder, me.host, isRunning).kind === 'refuse')
      throw new ReleaseError(formatLockHeld(where, holder, displayPath));
    stale = holder;
    if (await removeStale(lockPath, text, me)) await hooks.afterRemovingStale?.();
  }
  throw new ReleaseError(
    `Could not take the lock ${displayPath} of ${where}: other runs keep taking it. Try again.`,
  );
}

// Creates `file` holding `me`, whole, unless it exists. The temp file has a random name and is
// created new, so nothing planted beside the lock is ever written through. A temp file removed
// before it is linked (see removeDeadTempFiles) counts as not created: the caller tries again.
async function createExclusive(file: string, me: LockHolder): Promise<boolean> {
  const { path: temp, handle } = await createTempFile(file);
  try {
    try {
      await handle.writeFile(`${JSON.stringify(me)}\n`, 'utf8');
    } finally {
      await handle.close();
    }
    await link(temp, file);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOENT') return false;
    throw error;
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

// The lock's text, or undefined when it is gone. A link is not followed (it reads as junk), and
// a FIFO planted at the name does not block the open.
async function readLockText(file: string): Promise<string | undefined> {
  let handle;
  try {
    handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') return '';
    throw error;
  }
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
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
    const holder = parseLockHolder((await readLockText(guard).catch(() => undefined)) ?? '');
    if (holder && !isRunning(holder)) await unlink(guard).catch(() => undefined);
    return false;
  }
  try {
    const now = await readLockText(lockPath).catch(() => undefined);
    if (now !== staleText) return false;
    await unlink(lockPath);
    return true;
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

// Temp files of the lock (and its takeover guard) whose writer was killed before removing
// them: those naming a dead process, and those not even whole (a racer whose temp is removed
// before it is linked just tries again). A live writer's whole temp is left to it.
async function removeDeadTempFiles(lockPath: string): Promise<void> {
  const dir = path.dirname(lockPath);
  const base = path.basename(lockPath);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const mine = entries.filter(
    (entry) =>
      entry.isFile() &&
      isTempName(entry.name) &&
      (entry.name.startsWith(`.${base}.`) || entry.name.startsWith(`${base}.`)),
  );
  await Promise.all(
    mine.map(async (entry) => {
      const file = path.join(dir, entry.name);
      const holder = parseLockHolder((await readLockText(file).catch(() => undefined)) ?? '');
      if (!holder || (holder.host === os.hostname() && !isRunning(holder)))
        await unlink(file).catch(() => undefined);
    }),
  );
}

async function releaseLock(lockPath: string, me: LockHolder): Promise<void> {
  const text = await readLockText(lockPath).catch(() => undefined);
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
  const pidStart = readProcessStat(process.pid)?.start;
  return {
    pid: process.pid,
    host: os.hostname(),
    startedAt: new Date().toISOString(),
    ...(pidStart && { pidStart }),
  };
}

// Whether a holder on this host still runs: the pid exists and is not a zombie (a process
// that has exited but is not reaped yet, which in a container whose PID 1 never reaps is
// forever), and (where Linux tells) it is the same process that wrote the lock, not a later
// one given the same pid.
export function isRunning(holder: LockHolder): boolean {
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const stat = readProcessStat(holder.pid);
  if (stat && EXITED_STATES.has(stat.state)) return false;
  if (!holder.pidStart) return true;
  return stat === undefined || stat.start === holder.pidStart;
}

// Zombie (exited, not reaped) and dead (being torn down): neither runs code any more.
const EXITED_STATES = new Set(['Z', 'X', 'x']);

// Fields 3 (state) and 22 (start time in clock ticks since boot) of /proc/<pid>/stat (Linux
// only). The command name (field 2) may hold spaces and parentheses: fields count from the
// last ')'.
function readProcessStat(pid: number): { state: string; start: string | undefined } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', start: fields[19] };
  } catch {
    return undefined;
  }
}
