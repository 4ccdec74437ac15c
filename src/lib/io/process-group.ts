import { readdir, readFile } from 'node:fs/promises';

/**
 * A command's process group: the runner starts every command as the leader of a group of its
 * own, so that one signal reaches the command and everything it started (a wrapper script's
 * children, `npm run`'s shell and its program), even after the leader itself has exited. A
 * process that leaves the group (setsid, a daemon) is not followed.
 */

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
// which a container's PID 1 may never do) is not one. Without /proc (not Linux), any member
// counts, zombies included, and `undefined` names them as unknown.
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
