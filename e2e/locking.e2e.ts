/**
 * One run per project and stage on a machine (README "One run at a time"), through the real Nx 24
 * CLI: a second run of the same project and stage refuses at once naming the holder; a lock left by
 * a dead process on this host is taken over with a warning; other projects and other stages are
 * never blocked; a lock cleared by hand (the refusal says how) no longer stops a run.
 *
 * The post-deploy command (scripts/hold.js) marks hold/<app>.running when it starts and
 * hold/<app>.finished when it ends; HOLD=until-released keeps it running until the test creates
 * hold/release, and HOLD=barrier until another app's command is running. So the tests assert
 * the order of events (the second run ended while the first's command was still running),
 * never durations.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createWorkspace } from './support/nx-workspace';
import type { NxResult, Workspace } from './support/nx-workspace';
import {
  isProcessGone,
  killIfAlive,
  readParentPid,
  readProcessStartTicks,
  startNx,
  waitFor,
} from './support/processes';
import { findCheck, readLockFile, readValidLedger } from './support/release-ledger';
import type { LockFile } from './support/release-ledger';

jest.setTimeout(120_000);

const HOLD_JS = `const fs = require('node:fs');
const app = process.env.RELEASE_APP;
const mode = process.env.HOLD || 'none';
fs.mkdirSync('hold', { recursive: true });
fs.writeFileSync('hold/' + app + '.running', String(process.pid));
const finish = () => { fs.writeFileSync('hold/' + app + '.finished', ''); console.log(app + ' finished'); };
const others = () => fs.readdirSync('hold').some((f) => f.endsWith('.running') && f !== app + '.running');
const ready = { 'until-released': () => fs.existsSync('hold/release'), barrier: others, none: () => true }[mode];
const deadline = Date.now() + 60000;
const timer = setInterval(() => {
  if (ready()) { clearInterval(timer); finish(); }
  else if (Date.now() > deadline) { console.log(app + ' gave up waiting (' + mode + ')'); process.exit(9); }
}, 20);
`;
const PREPARE_LOCK = 'dist/release/shop/prepare.lock';
const PREPARE_LEDGER = 'dist/release/shop/prepare/checks_run.json';
const SHIP_LEDGER = 'dist/release/shop/ship/checks_run.json';

function buildProject(name: string): object {
  return {
    root: `apps/${name}`,
    targets: {
      'release-prepare': {
        executor: 'nx-release-deploy:prepare',
        outputs: ['{workspaceRoot}/dist/release/{projectName}/prepare'],
        options: {
          devops: {
            platform: 'local',
            qa_app: `${name}-qa`,
            prod_app: name,
            post_deploy_cmd: ['node', 'scripts/hold.js'],
          },
        },
      },
      'release-ship': {
        executor: 'nx-release-deploy:ship',
        outputs: ['{workspaceRoot}/dist/release/{projectName}/ship'],
        options: {},
      },
    },
  };
}

function createTwoProjectWorkspace(): Promise<Workspace> {
  return createWorkspace({
    projects: { shop: buildProject('shop'), admin: buildProject('admin') },
    files: { 'scripts/hold.js': HOLD_JS },
  });
}

function holdMarker(workspace: Workspace, app: string, state: 'running' | 'finished'): string {
  return path.join(workspace.root, 'hold', `${app}.${state}`);
}

function readCommandPid(workspace: Workspace, app: string): number | undefined {
  const file = holdMarker(workspace, app, 'running');
  return existsSync(file) ? Number(readFileSync(file, 'utf8')) || undefined : undefined;
}

function releaseHold(workspace: Workspace): void {
  mkdirSync(path.join(workspace.root, 'hold'), { recursive: true });
  writeFileSync(path.join(workspace.root, 'hold', 'release'), '');
}

function formatHeldPrefix(holder: LockFile): string {
  return `Another run of shop:release-prepare is in progress: pid ${holder.pid} on host ${holder.host}, started ${holder.startedAt} (lock ${PREPARE_LOCK}).`;
}

// The refusal line: names the holder, and says to delete the lock file if that run is gone.
function findRefusal(result: NxResult, holder: LockFile): string | undefined {
  return result.output
    .split('\n')
    .find(
      (line) =>
        line.startsWith(formatHeldPrefix(holder)) && line.includes(`delete ${PREPARE_LOCK}`),
    );
}

function formatTakeover(pid: number, startedAt: string): string {
  return `Took over the lock of shop:release-prepare left by pid ${pid} (started ${startedAt}), which is no longer running.`;
}

function writeLock(workspace: Workspace, lock: LockFile): void {
  const file = path.join(workspace.root, PREPARE_LOCK);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(lock)}\n`);
}

function describeLedger(workspace: Workspace, relPath: string) {
  const ledger = readValidLedger(path.join(workspace.root, relPath));
  return { stage: ledger.status, checks: ledger.checks.map((check) => [check.id, check.status]) };
}

// A process that has exited and is not reaped (state Z): its parent, perl, sleeps without
// waiting for it, as a PID 1 that never reaps would. Killing the parent lets init reap it.
async function startZombie(): Promise<{ pid: number; parent: ChildProcess }> {
  const parent = spawn(
    'perl',
    ['-e', '$| = 1; my $p = fork(); exit 0 if $p == 0; print "$p\\n"; sleep 120'],
    { stdio: ['ignore', 'pipe', 'ignore'] },
  );
  const pid = await new Promise<number>((resolve, reject) => {
    parent.once('error', reject);
    parent.stdout?.once('data', (chunk: Buffer) => resolve(Number(String(chunk).trim())));
  });
  await waitFor('the forked child to become a zombie', () =>
    existsSync(`/proc/${pid}`) && isProcessGone(pid) ? true : undefined,
  );
  return { pid, parent };
}

// Every entry under a directory (links as `-> target`, files with content and mtime).
function listTree(dir: string): Record<string, string> {
  const tree: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    const entry = lstatSync(file);
    if (entry.isDirectory()) {
      for (const [inner, what] of Object.entries(listTree(file))) tree[`${name}/${inner}`] = what;
    } else {
      tree[name] = `${readFileSync(file, 'utf8')} @${entry.mtimeMs}`;
    }
  }
  return tree;
}

// The pid of a process that has exited (and been reaped).
function findDeadPid(): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', () => resolve(child.pid ?? 0));
  });
}

describe('one run per project and stage', () => {
  let workspace: Workspace | undefined;
  const strays: number[] = [];

  afterEach(async () => {
    if (workspace) {
      releaseHold(workspace);
      for (const app of ['shop-qa', 'admin-qa', 'shop'])
        killIfAlive(readCommandPid(workspace, app));
    }
    for (const pid of strays.splice(0)) killIfAlive(pid);
    await workspace?.close();
    workspace = undefined;
  });

  it('refuses a second run of the same project and stage at once, naming the holder; the first succeeds', async () => {
    workspace = await createTwoProjectWorkspace();
    const first = await startNx(workspace, ['run', 'shop:release-prepare'], {
      HOLD: 'until-released',
    });
    const commandPid = await waitFor('the first run to start its command', () =>
      readCommandPid(workspace as Workspace, 'shop-qa'),
    );
    const executorPid = readParentPid(commandPid);
    const holder = readLockFile(path.join(workspace.root, PREPARE_LOCK));
    const ledgerBefore = readFileSync(path.join(workspace.root, PREPARE_LEDGER), 'utf8');

    const second = await workspace.runNx(['run', 'shop:release-prepare'], { HOLD: 'none' });
    const firstStillRunning =
      !existsSync(holdMarker(workspace, 'shop-qa', 'finished')) && !isProcessGone(commandPid);
    const ledgerAfterSecond = readFileSync(path.join(workspace.root, PREPARE_LEDGER), 'utf8');
    releaseHold(workspace);
    const firstResult = await first.result;

    expect({
      holderIsFirstExecutor: holder?.pid === executorPid,
      holderHost: holder?.host,
      secondExitedNonZero: second.exitCode !== 0,
      secondRefused: holder !== undefined && findRefusal(second, holder) !== undefined,
      firstStillRunning,
      ledgerUntouchedBySecond: ledgerAfterSecond === ledgerBefore,
      firstExitCode: firstResult.exitCode,
      firstLedger: describeLedger(workspace, PREPARE_LEDGER),
      lockReleased: !workspace.exists(PREPARE_LOCK),
    }).toEqual({
      holderIsFirstExecutor: true,
      holderHost: os.hostname(),
      secondExitedNonZero: true,
      secondRefused: true,
      firstStillRunning: true,
      ledgerUntouchedBySecond: true,
      firstExitCode: 0,
      firstLedger: { stage: 'ok', checks: [['post_deploy', 'ok']] },
      lockReleased: true,
    });
  });

  it('takes over, with a warning, a lock left by a process of this host that has exited', async () => {
    workspace = await createTwoProjectWorkspace();
    const pid = await findDeadPid();
    const startedAt = '2026-01-02T03:04:05.000Z';
    writeLock(workspace, { pid, host: os.hostname(), startedAt });

    const result = await workspace.runNx(['run', 'shop:release-prepare']);

    expect({
      exitCode: result.exitCode,
      warned: result.output.split('\n').includes(formatTakeover(pid, startedAt)),
      ledger: describeLedger(workspace, PREPARE_LEDGER),
      lockReleased: !workspace.exists(PREPARE_LOCK),
    }).toEqual({
      exitCode: 0,
      warned: true,
      ledger: { stage: 'ok', checks: [['post_deploy', 'ok']] },
      lockReleased: true,
    });
  });

  // The lock records the holder's start time as the kernel counts it: a live process that is
  // not the one that wrote the lock (its pid was reused) does not hold it.
  it('takes over a lock whose pid now belongs to another process (pid reused)', async () => {
    workspace = await createTwoProjectWorkspace();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
      stdio: 'ignore',
    });
    const pid = other.pid ?? 0;
    strays.push(pid);
    const realStart = readProcessStartTicks(pid);
    const startedAt = '2026-01-02T03:04:05.000Z';
    writeLock(workspace, {
      pid,
      host: os.hostname(),
      startedAt,
      pidStart: `${Number(realStart) - 1}`,
    });

    const result = await workspace.runNx(['run', 'shop:release-prepare']);

    expect({
      exitCode: result.exitCode,
      warned: result.output.split('\n').includes(formatTakeover(pid, startedAt)),
      lockReleased: !workspace.exists(PREPARE_LOCK),
    }).toEqual({ exitCode: 0, warned: true, lockReleased: true });
  });

  it('refuses a lock naming a live process of this host (the one that wrote it)', async () => {
    workspace = await createTwoProjectWorkspace();
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], {
      stdio: 'ignore',
    });
    const pid = other.pid ?? 0;
    strays.push(pid);
    const holder = {
      pid,
      host: os.hostname(),
      startedAt: '2026-01-02T03:04:05.000Z',
      pidStart: readProcessStartTicks(pid),
    };
    writeLock(workspace, holder);

    const result = await workspace.runNx(['run', 'shop:release-prepare']);

    expect({
      exitCode: result.exitCode,
      refused: findRefusal(result, holder) !== undefined,
      ranNothing: !workspace.exists(PREPARE_LEDGER),
      lockKept: readLockFile(path.join(workspace.root, PREPARE_LOCK)),
    }).toEqual({ exitCode: 1, refused: true, ranNothing: true, lockKept: holder });
  });

  it('never blocks runs of different projects: two nx processes at once both succeed', async () => {
    workspace = await createTwoProjectWorkspace();
    const shop = await startNx(workspace, ['run', 'shop:release-prepare'], { HOLD: 'barrier' });
    const admin = await startNx(workspace, ['run', 'admin:release-prepare'], { HOLD: 'barrier' });
    const [shopResult, adminResult] = await Promise.all([shop.result, admin.result]);

    // Each command waited until the other project's command was running: they overlapped.
    expect({
      shop: shopResult.exitCode,
      admin: adminResult.exitCode,
      shopLedger: describeLedger(workspace, PREPARE_LEDGER),
      adminLedger: describeLedger(workspace, 'dist/release/admin/prepare/checks_run.json'),
      bothFinished: ['shop-qa', 'admin-qa'].every((app) =>
        existsSync(holdMarker(workspace as Workspace, app, 'finished')),
      ),
    }).toEqual({
      shop: 0,
      admin: 0,
      shopLedger: { stage: 'ok', checks: [['post_deploy', 'ok']] },
      adminLedger: { stage: 'ok', checks: [['post_deploy', 'ok']] },
      bothFinished: true,
    });
  });

  it('never blocks runs of different projects: nx run-many --parallel=2', async () => {
    workspace = await createTwoProjectWorkspace();

    const result = await workspace.runNx(
      ['run-many', '-t', 'release-prepare', '--projects=shop,admin', '--parallel=2'],
      { HOLD: 'barrier' },
    );

    expect({
      exitCode: result.exitCode,
      shopLedger: describeLedger(workspace, PREPARE_LEDGER),
      adminLedger: describeLedger(workspace, 'dist/release/admin/prepare/checks_run.json'),
      lockMessages: result.output.split('\n').filter((line) => line.includes('Another run of')),
    }).toEqual({
      exitCode: 0,
      shopLedger: { stage: 'ok', checks: [['post_deploy', 'ok']] },
      adminLedger: { stage: 'ok', checks: [['post_deploy', 'ok']] },
      lockMessages: [],
    });
  });

  it('does not share a lock between stages: ship started while prepare runs is not refused by the lock', async () => {
    workspace = await createTwoProjectWorkspace();
    const prepare = await startNx(workspace, ['run', 'shop:release-prepare'], {
      HOLD: 'until-released',
    });
    await waitFor('prepare to start its command', () =>
      readCommandPid(workspace as Workspace, 'shop-qa'),
    );

    const ship = await workspace.runNx(['run', 'shop:release-ship'], { HOLD: 'none' });
    const prepareStillRunning = !existsSync(holdMarker(workspace, 'shop-qa', 'finished'));
    const shipLedger = readValidLedger(path.join(workspace.root, SHIP_LEDGER));
    releaseHold(workspace);
    const prepareResult = await prepare.result;
    const shipAgain = await workspace.runNx(['run', 'shop:release-ship'], { HOLD: 'none' });

    // The gate fails (prepare has not finished): that is the gate doing its job, not the lock.
    expect({
      prepareStillRunning,
      shipLockMessages: ship.output.split('\n').filter((line) => line.includes('Another run of')),
      shipGate: findCheck(shipLedger, 'gate')?.status,
      prepareExitCode: prepareResult.exitCode,
      shipAgainExitCode: shipAgain.exitCode,
      shipAgainLedger: describeLedger(workspace, SHIP_LEDGER),
    }).toEqual({
      prepareStillRunning: true,
      shipLockMessages: [],
      shipGate: 'failed',
      prepareExitCode: 0,
      shipAgainExitCode: 0,
      shipAgainLedger: {
        stage: 'ok',
        checks: [
          ['gate', 'ok'],
          ['post_deploy', 'ok'],
        ],
      },
    });
  });

  it('refuses a lock held on another host; deleting the lock file, as the message says, clears it', async () => {
    workspace = await createTwoProjectWorkspace();
    const holder = { pid: 4242, host: 'ci-agent-7', startedAt: '2026-01-02T03:04:05.000Z' };
    writeLock(workspace, holder);

    const refused = await workspace.runNx(['run', 'shop:release-prepare']);
    rmSync(path.join(workspace.root, PREPARE_LOCK));
    const cleared = await workspace.runNx(['run', 'shop:release-prepare']);

    expect({
      refusedExitCode: refused.exitCode,
      refusal: findRefusal(refused, holder) !== undefined,
      clearedExitCode: cleared.exitCode,
      ledger: describeLedger(workspace, PREPARE_LEDGER),
      lockReleased: !workspace.exists(PREPARE_LOCK),
    }).toEqual({
      refusedExitCode: 1,
      refusal: true,
      clearedExitCode: 0,
      ledger: { stage: 'ok', checks: [['post_deploy', 'ok']] },
      lockReleased: true,
    });
  });
});

// Where a run writes, through the real CLI: problems of the output tree are one configuration
// message per project (never "This is a bug"), and nothing outside the workspace is touched.
describe('what a run writes stays in the workspace', () => {
  let workspace: Workspace | undefined;
  const strays: ChildProcess[] = [];

  afterEach(async () => {
    for (const child of strays.splice(0)) child.kill('SIGKILL');
    await workspace?.close();
    workspace = undefined;
  });

  function buildPathProject(name: string, outputPath?: string): object {
    return {
      root: `apps/${name}`,
      targets: {
        'release-prepare': {
          executor: 'nx-release-deploy:prepare',
          options: {
            ...(outputPath !== undefined && { outputPath }),
            devops: {
              platform: 'local',
              qa_app: 'x-qa',
              prod_app: 'x',
              post_deploy_cmd: ['node', '-e', '0'],
            },
          },
        },
      },
    };
  }

  function formatProblem(project: string, problem: string, fix: string): string {
    return `Invalid configuration for ${project}:release-prepare: outputPath ${problem}. ${fix}.`;
  }

  it('refuses every unusable output path in one run-many, each with its own message', async () => {
    const long = `dist/${'x'.repeat(256)}`;
    const elsewhere = 'or set outputPath to another directory inside the workspace';
    workspace = await createWorkspace({
      projects: {
        nul: buildPathProject('nul', 'dist/a\u0000b'),
        long: buildPathProject('long', long),
        throughfile: buildPathProject('throughfile', 'notes.txt/release'),
        ledgerfile: buildPathProject('ledgerfile'),
        lockdir: buildPathProject('lockdir'),
        outside: buildPathProject('outside'),
        fine: buildPathProject('fine'),
      },
      files: {
        'notes.txt': 'a file',
        'dist/release/ledgerfile/prepare': 'a file',
        'dist/release/lockdir/prepare.lock/keep': '',
      },
    });
    // The damaged ledger, the stale temp file and the dead holder's lock would all be acted
    // on (moved aside, removed, taken over) by a run that followed the link.
    const outside = mkdtempSync(path.join(os.tmpdir(), 'nxrd-outside-'));
    mkdirSync(path.join(outside, 'prepare'));
    writeFileSync(path.join(outside, 'prepare/checks_run.json'), 'not json');
    writeFileSync(path.join(outside, 'prepare/.checks_run.json.4242.1764412800000.tmp'), 'x');
    writeFileSync(
      path.join(outside, 'prepare.lock'),
      JSON.stringify({ pid: await findDeadPid(), host: os.hostname(), startedAt: 'then' }),
    );
    symlinkSync(outside, path.join(workspace.root, 'dist/release/outside'));
    const before = listTree(outside);

    const result = await workspace.runNx(['run-many', '-t', 'release-prepare']);
    const lines = result.output.split('\n').map((line) => line.trim());
    const expected = [
      formatProblem(
        'nul',
        '"dist/a\\u0000b" contains a NUL character',
        'Remove it: give a path relative to the workspace root, such as "dist/release/{projectName}"',
      ),
      formatProblem(
        'long',
        `"dist/${'x'.repeat(52)}..." has a name of 256 bytes ("${'x'.repeat(57)}..."), longer than the 255 a file system allows`,
        'Shorten each directory name in it to at most 255 bytes',
      ),
      formatProblem(
        'throughfile',
        '"notes.txt/release" goes through a file: notes.txt is not a directory',
        `Move that file away, ${elsewhere}`,
      ),
      formatProblem(
        'ledgerfile',
        '"dist/release/ledgerfile" cannot hold the ledger: dist/release/ledgerfile/prepare is a file, not a directory',
        `Move that file away, ${elsewhere}`,
      ),
      formatProblem(
        'lockdir',
        '"dist/release/lockdir" cannot hold the lock: dist/release/lockdir/prepare.lock is a directory, not a lock file',
        `Remove it (no run creates it), ${elsewhere}`,
      ),
      formatProblem(
        'outside',
        `"dist/release/outside" leads outside the workspace: dist/release/outside is a symbolic link to ${outside}`,
        `Remove that link (or point it at a directory inside the workspace), ${elsewhere}`,
      ),
    ];

    expect({
      exitCode: result.exitCode,
      messages: expected.filter((message) => lines.includes(message)),
      bugs: lines.filter((line) => line.includes('This is a bug')),
      outsideUntouched: listTree(outside),
      fineLedger: describeLedger(workspace, 'dist/release/fine/prepare/checks_run.json'),
    }).toEqual({
      exitCode: 1,
      messages: expected,
      bugs: [],
      outsideUntouched: before,
      fineLedger: { stage: 'ok', checks: [['post_deploy', 'ok']] },
    });
  });

  // After a SIGKILL the holder may stay a zombie for a while (forever under a PID 1 that never
  // reaps): kill(pid, 0) still succeeds, but it runs no code and holds nothing.
  it('takes over a lock whose holder is a zombie', async () => {
    workspace = await createTwoProjectWorkspace();
    const zombie = await startZombie();
    strays.push(zombie.parent);
    const startedAt = '2026-01-02T03:04:05.000Z';
    writeLock(workspace, {
      pid: zombie.pid,
      host: os.hostname(),
      startedAt,
      pidStart: readProcessStartTicks(zombie.pid),
    });

    const result = await workspace.runNx(['run', 'shop:release-prepare']);

    expect({
      exitCode: result.exitCode,
      warned: result.output.split('\n').includes(formatTakeover(zombie.pid, startedAt)),
      stillAZombie: existsSync(`/proc/${zombie.pid}`) && isProcessGone(zombie.pid),
      ledger: describeLedger(workspace, PREPARE_LEDGER),
      lockReleased: !workspace.exists(PREPARE_LOCK),
    }).toEqual({
      exitCode: 0,
      warned: true,
      stillAZombie: true,
      ledger: { stage: 'ok', checks: [['post_deploy', 'ok']] },
      lockReleased: true,
    });
  });
});
