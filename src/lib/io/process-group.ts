import { readdir, readFile } from 'node:fs/promises';

/**
 * A command's process group: the runner starts every command as the leader of a group of its
 * own, so that one signal reaches the command and everything it started (a wrapper script's
 * children, `npm run`'s shell and its program), even after the leader itself has exited. A
 * process that leaves the group (setsid, a daemon) is not followed.
 */

const GROUP_POLL_MS = 50;

// A process still running in a command's group, as a notice names it (`sleep 4242`).
export interface GroupMember {
  readonly pid: number;
  readonly name: string;
}

// Signals every process of the group; false once no process is left in it (ESRCH).
export function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    // EPERM: members exist, but none this process may signal (a setuid program).
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

// The group's processes that still run code: a zombie (state Z, dead and waiting to be reaped,
// which a container's PID 1 may never do) is not one. `undefined` when the group has members
// but /proc cannot list them (not Linux): they are unknown, zombies maybe included.
export async function listGroupMembers(pgid: number): Promise<GroupMember[] | undefined> {
  if (!signalGroup(pgid, 0)) return [];
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return undefined;
  }
  const members = await Promise.all(
    entries.filter((entry) => /^\d+$/.test(entry)).map((entry) => readMember(entry, pgid)),
  );
  return members.filter((member): member is GroupMember => member !== undefined);
}

// True while a process of the group still runs; unknown membership counts as running.
export async function isGroupRunning(pgid: number): Promise<boolean> {
  const members = await listGroupMembers(pgid);
  return members === undefined || members.length > 0;
}

// The groups of commands still running: SIGKILLed if this process exits before they end.
const liveGroups = new Set<number>();
let exitHookInstalled = false;

// Makes sure the group does not outlive this process; returns how to stop tracking it.
export function trackGroup(pgid: number): () => void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const group of liveGroups) signalGroup(group, 'SIGKILL');
    });
  }
  liveGroups.add(pgid);
  return () => liveGroups.delete(pgid);
}

// One command's stop, whatever asked for it first (its timeout, an interrupt, a second one).
export interface GroupStopper {
  readonly reason: 'timeout' | 'abort' | undefined;
  // Settles when the first stop begins.
  readonly stopping: Promise<void>;
  stop(reason: 'timeout' | 'abort'): void;
  kill(): void;
  // Settles once no process of the group runs, or SIGKILL has been sent to it.
  ended(): Promise<void>;
  dispose(): void;
}

// SIGTERM to the group, SIGKILL after the grace (or at once); both only once.
export function createGroupStopper(pgid: number | undefined, graceMs: number): GroupStopper {
  let reason: 'timeout' | 'abort' | undefined;
  let killTimer: NodeJS.Timeout | undefined;
  let killed = false;
  let markStopping = () => {};
  const stopping = new Promise<void>((resolve) => (markStopping = resolve));
  const killNow = () => {
    clearTimeout(killTimer);
    if (killed) return;
    killed = true;
    if (pgid !== undefined) signalGroup(pgid, 'SIGKILL');
  };
  return {
    get reason() {
      return reason;
    },
    stopping,
    stop(why) {
      if (reason !== undefined) return;
      reason = why;
      markStopping();
      if (pgid !== undefined) signalGroup(pgid, 'SIGTERM');
      killTimer = setTimeout(killNow, graceMs);
    },
    kill() {
      reason ??= 'abort';
      markStopping();
      killNow();
    },
    async ended() {
      while (!killed && pgid !== undefined && (await isGroupRunning(pgid)))
        await delay(GROUP_POLL_MS, undefined, undefined);
    },
    dispose() {
      clearTimeout(killTimer);
    },
  };
}

// A value after `ms`, unless `cancel` is aborted first (then never).
export function delay<T>(ms: number, value: T, cancel: AbortSignal | undefined): Promise<T> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(value), ms);
    cancel?.addEventListener('abort', () => clearTimeout(timer), { once: true });
  });
}

// /proc/<pid>/stat is "pid (name) state ppid pgrp ..."; the name may hold spaces and parens.
async function readMember(entry: string, pgid: number): Promise<GroupMember | undefined> {
  let stat: string;
  try {
    stat = await readFile(`/proc/${entry}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const close = stat.lastIndexOf(')');
  const [state, , pgrp] = stat.slice(close + 2).split(' ');
  if (Number(pgrp) !== pgid || state === 'Z' || state === 'X') return undefined;
  return { pid: Number(entry), name: stat.slice(stat.indexOf('(') + 1, close) };
}
