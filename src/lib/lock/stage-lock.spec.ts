import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { decideLock, parseLockHolder } from './lock-holder';
import { acquireStageLock, isRunning } from './stage-lock';

const where = 'shop:release-prepare';
const makeLockPath = () =>
  path.join(mkdtempSync(path.join(os.tmpdir(), 'nxrd-lock-')), 'prepare.lock');
// A pid that existed and has exited (reaped), so nothing runs under it now.
const deadPid = () =>
  spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], {
    encoding: 'utf8',
  }).stdout.trim();

describe('acquireStageLock', () => {
  it('creates the lock naming this process, and removes it on release', async () => {
    const lockPath = makeLockPath();
    const lock = await acquireStageLock(lockPath, where, () => undefined);
    const holder = parseLockHolder(readFileSync(lockPath, 'utf8'));
    expect(holder).toMatchObject({ pid: process.pid, host: os.hostname() });
    await lock.release();
    expect(existsSync(lockPath)).toBe(false);
  });

  it('refuses at once while a live process holds it, naming the holder', async () => {
    const lockPath = makeLockPath();
    const sleeper = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    const holder = {
      pid: sleeper.pid as number,
      host: os.hostname(),
      startedAt: '2026-11-29T10:00:00.000Z',
    };
    writeFileSync(lockPath, JSON.stringify(holder));
    try {
      await expect(
        acquireStageLock(lockPath, where, () => undefined, 'dist/release/shop/prepare.lock'),
      ).rejects.toThrow(
        `Another run of shop:release-prepare is in progress: pid ${holder.pid} on host ${holder.host}, started 2026-11-29T10:00:00.000Z (lock dist/release/shop/prepare.lock). Wait for it to finish. If that run is gone (another machine, or a process this host cannot see), delete dist/release/shop/prepare.lock and run again.`,
      );
      expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toEqual(holder);
    } finally {
      sleeper.kill('SIGKILL');
    }
  });

  it('takes over a lock left by a dead process on this host, with a warning', async () => {
    const lockPath = makeLockPath();
    const pid = Number(deadPid());
    writeFileSync(
      lockPath,
      JSON.stringify({ pid, host: os.hostname(), startedAt: '2026-11-29T10:00:00.000Z' }),
    );
    const warnings: string[] = [];
    const lock = await acquireStageLock(lockPath, where, (message) => warnings.push(message));
    expect(warnings).toEqual([
      `Took over the lock of shop:release-prepare left by pid ${pid} (started 2026-11-29T10:00:00.000Z), which is no longer running.`,
    ]);
    expect(parseLockHolder(readFileSync(lockPath, 'utf8'))?.pid).toBe(process.pid);
    await lock.release();
  });

  it('refuses a lock from another host, whose process it cannot see', async () => {
    const lockPath = makeLockPath();
    writeFileSync(
      lockPath,
      JSON.stringify({ pid: 1, host: 'ci-agent-7', startedAt: '2026-11-29T10:00:00.000Z' }),
    );
    await expect(acquireStageLock(lockPath, where, () => undefined)).rejects.toThrow(
      /pid 1 on host ci-agent-7/,
    );
  });

  it('refuses a lock file it cannot read', async () => {
    const lockPath = makeLockPath();
    writeFileSync(lockPath, 'garbage');
    await expect(acquireStageLock(lockPath, where, () => undefined)).rejects.toThrow(
      `Cannot tell who holds the lock ${lockPath} of shop:release-prepare (it is not a lock this plugin wrote). Delete it if no run is in progress.`,
    );
  });

  it('does not remove a lock that another run holds by then', async () => {
    const lockPath = makeLockPath();
    const lock = await acquireStageLock(lockPath, where, () => undefined);
    const other = JSON.stringify({ pid: 1, host: 'elsewhere', startedAt: 'later' });
    writeFileSync(lockPath, other);
    await lock.release();
    expect(readFileSync(lockPath, 'utf8')).toBe(other);
  });

  it('lets only one of many concurrent runs take a stale lock', async () => {
    const lockPath = makeLockPath();
    writeFileSync(
      lockPath,
      JSON.stringify({ pid: Number(deadPid()), host: os.hostname(), startedAt: 'then' }),
    );
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, () => acquireStageLock(lockPath, where, () => undefined)),
    );
    // In one process every attempt has the same pid, so each sees the winner as running: one wins.
    expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
  });
});

describe('acquireStageLock and what is planted beside the lock', () => {
  // Earlier versions wrote the lock through `<lock>.<pid>.tmp` (and `<lock>.takeover.<pid>.tmp`),
  // opened following links: a link planted there made the lock write into any file.
  it('never writes through a link planted at the temp names earlier versions used', async () => {
    const lockPath = makeLockPath();
    const outside = path.join(mkdtempSync(path.join(os.tmpdir(), 'nxrd-outside-')), 'victim');
    writeFileSync(outside, 'precious\n');
    for (const name of [
      `${lockPath}.${process.pid}.tmp`,
      `${lockPath}.takeover.${process.pid}.tmp`,
    ])
      symlinkSync(outside, name);
    writeFileSync(
      lockPath,
      JSON.stringify({ pid: Number(deadPid()), host: os.hostname(), startedAt: 'then' }),
    );
    const lock = await acquireStageLock(lockPath, where, () => undefined);
    expect({
      outside: readFileSync(outside, 'utf8'),
      holder: parseLockHolder(readFileSync(lockPath, 'utf8'))?.pid,
      lockIsAFile: lstatSync(lockPath).isFile(),
    }).toEqual({ outside: 'precious\n', holder: process.pid, lockIsAFile: true });
    await lock.release();
  });

  it('removes temp files of the lock whose writer is dead or that are not whole, and leaves the rest', async () => {
    const lockPath = makeLockPath();
    const dir = path.dirname(lockPath);
    const dead = JSON.stringify({ pid: Number(deadPid()), host: os.hostname(), startedAt: 't' });
    const live = JSON.stringify({ pid: process.pid, host: os.hostname(), startedAt: 't' });
    writeFileSync(path.join(dir, '.prepare.lock.0123456789abcdef.tmp'), dead);
    writeFileSync(path.join(dir, '.prepare.lock.takeover.0123456789abcdef.tmp'), dead);
    writeFileSync(path.join(dir, 'prepare.lock.4242.tmp'), dead);
    writeFileSync(path.join(dir, '.prepare.lock.aaaaaaaaaaaaaaaa.tmp'), '');
    writeFileSync(path.join(dir, '.prepare.lock.fedcba9876543210.tmp'), live);
    writeFileSync(path.join(dir, '.ship.lock.0123456789abcdef.tmp'), dead);
    writeFileSync(path.join(dir, 'notes.txt'), dead);
    const lock = await acquireStageLock(lockPath, where, () => undefined);
    expect(readdirSync(dir).sort()).toEqual([
      '.prepare.lock.fedcba9876543210.tmp',
      '.ship.lock.0123456789abcdef.tmp',
      'notes.txt',
      'prepare.lock',
    ]);
    await lock.release();
  });

  it('refuses a lock that is a link, without reading what it points to', async () => {
    const lockPath = makeLockPath();
    const outside = path.join(mkdtempSync(path.join(os.tmpdir(), 'nxrd-outside-')), 'lock');
    writeFileSync(
      outside,
      JSON.stringify({ pid: Number(deadPid()), host: os.hostname(), startedAt: 'then' }),
    );
    symlinkSync(outside, lockPath);
    await expect(acquireStageLock(lockPath, where, () => undefined)).rejects.toThrow(
      `Cannot tell who holds the lock ${lockPath} of shop:release-prepare (it is not a lock this plugin wrote). Delete it if no run is in progress.`,
    );
    expect(lstatSync(lockPath).isSymbolicLink()).toBe(true);
  });
});

describe('acquireStageLock and a stale lock', () => {
  // A zombie has exited but is not reaped yet: kill(pid, 0) still succeeds, /proc shows `Z`.
  // In a container whose PID 1 never reaps, it stays so forever.
  it('takes over a lock whose holder is a zombie', async () => {
    const parent = spawn(
      'perl',
      ['-e', '$| = 1; my $p = fork(); exit 0 if $p == 0; print "$p\\n"; sleep 60'],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    try {
      const pid = await new Promise<number>((resolve) =>
        parent.stdout.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim()))),
      );
      await waitForZombie(pid);
      const lockPath = makeLockPath();
      const holder = {
        pid,
        host: os.hostname(),
        startedAt: '2026-11-29T10:00:00.000Z',
        pidStart: readStartTicks(pid),
      };
      writeFileSync(lockPath, JSON.stringify(holder));
      const warnings: string[] = [];
      const lock = await acquireStageLock(lockPath, where, (message) => warnings.push(message));
      expect({
        stillZombie: readState(pid),
        warnings,
        holder: parseLockHolder(readFileSync(lockPath, 'utf8'))?.pid,
      }).toEqual({
        stillZombie: 'Z',
        warnings: [
          `Took over the lock of shop:release-prepare left by pid ${pid} (started 2026-11-29T10:00:00.000Z), which is no longer running.`,
        ],
        holder: process.pid,
      });
      await lock.release();
    } finally {
      parent.kill('SIGKILL');
    }
  });

  // The race made exact: this run removes the stale lock, then another run creates its lock
  // before this one does. This run must refuse naming the winner, and not claim a takeover.
  it('says nothing of a takeover when another run takes the lock first', async () => {
    const lockPath = makeLockPath();
    writeFileSync(
      lockPath,
      JSON.stringify({ pid: Number(deadPid()), host: os.hostname(), startedAt: 'then' }),
    );
    const warnings: string[] = [];
    let winner: Awaited<ReturnType<typeof acquireStageLock>> | undefined;
    const attempt = acquireStageLock(
      lockPath,
      where,
      (message) => warnings.push(message),
      'dist/release/shop/prepare.lock',
      {
        afterRemovingStale: async () => {
          winner = await acquireStageLock(lockPath, where, () => undefined);
        },
      },
    );
    await expect(attempt).rejects.toThrow(
      /^Another run of shop:release-prepare is in progress: pid \d+ on host /,
    );
    expect({ warnings, winnerHolds: parseLockHolder(readFileSync(lockPath, 'utf8'))?.pid }).toEqual(
      { warnings: [], winnerHolds: process.pid },
    );
    expect(winner).toBeDefined();
    await winner?.release();
  });
});

function readStat(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}

function readState(pid: number): string | undefined {
  return readStat(pid)[0];
}

function readStartTicks(pid: number): string | undefined {
  return readStat(pid)[19];
}

async function waitForZombie(pid: number): Promise<void> {
  for (let tries = 0; tries < 500 && readState(pid) !== 'Z'; tries += 1)
    await new Promise((resolve) => setTimeout(resolve, 10));
  expect(readState(pid)).toBe('Z');
}

describe('isRunning and decideLock', () => {
  it('tells a reused pid from the process that wrote the lock (Linux)', () => {
    const me = { pid: process.pid, host: os.hostname(), startedAt: 'now' };
    expect(isRunning(me)).toBe(true);
    if (existsSync(`/proc/${process.pid}/stat`))
      expect(isRunning({ ...me, pidStart: '1' })).toBe(false);
    expect(isRunning({ ...me, pid: Number(deadPid()) })).toBe(false);
  });

  it('takes over only a dead holder on this host', () => {
    const holder = { pid: 5, host: 'a', startedAt: 't' };
    expect(decideLock(holder, 'a', () => false)).toEqual({ kind: 'take-over' });
    expect(decideLock(holder, 'a', () => true)).toEqual({ kind: 'refuse' });
    expect(decideLock(holder, 'b', () => false)).toEqual({ kind: 'refuse' });
  });
});
