import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { isGroupRunning, listGroupMembers, signalGroup } from './process-group';

// The states of a group's processes as /proc shows them, zombies included.
function readGroupStates(pgid: number): string[] {
  const states: string[] = [];
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== undefined) states.push(state);
    } catch {
      // Gone meanwhile.
    }
  }
  return states.sort();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// A group of two: `sleep 30` as its leader, and a child it never reaps (a zombie), because the
// shell that started that child became `sleep` by exec.
async function startGroupWithZombie(): Promise<number> {
  const child = spawn('sh', ['-c', 'true & exec sleep 30'], { detached: true, stdio: 'ignore' });
  const pid = child.pid as number;
  for (let waited = 0; waited < 30_000; waited += 20) {
    if (readGroupStates(pid).includes('Z')) return pid;
    await sleep(20);
  }
  throw new Error('no zombie in the group');
}

describe('process groups', () => {
  // Once killed, the group may keep its zombie for a while (until PID 1 reaps it, or forever
  // where PID 1 never does): it no longer counts as running.
  it('lists the processes that still run, not a zombie, and none once they are killed', async () => {
    const pgid = await startGroupWithZombie();
    const before = {
      states: readGroupStates(pgid).length,
      members: await listGroupMembers(pgid),
      running: await isGroupRunning(pgid),
    };
    const signalled = signalGroup(pgid, 'SIGKILL');
    let stopped = false;
    for (let waited = 0; !stopped && waited < 30_000; waited += 20) {
      stopped = !(await isGroupRunning(pgid));
      if (!stopped) await sleep(20);
    }

    expect({
      before,
      signalled,
      stopped,
      after: await listGroupMembers(pgid),
    }).toEqual({
      before: { states: 2, members: [{ pid: pgid, name: 'sleep' }], running: true },
      signalled: true,
      stopped: true,
      after: [],
    });
  });
});
