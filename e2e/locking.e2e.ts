/**
 * One run per project and stage on a machine (SPEC §5), through the real Nx 24 CLI: a second
 * run of the same project and stage refuses at once naming the holder; a lock left by a dead
 * process on this host is taken over with a warning; other projects and other stages are never
 * blocked; a lock cleared by hand (the refusal says how) no longer stops a run.
 *
 * The post-deploy command (scripts/hold.js) marks hold/<app>.running when it starts and
 * hold/<app>.finished when it ends; HOLD=until-released keeps it running until the test creates
 * hold/release, and HOLD=barrier until another app's command is running. So the tests assert
 * the order of events (the second run ended while the first's command was still running),
 * never durations.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
