/**
 * Interrupts through the real Nx 24 CLI (README "Interrupts"): SIGINT/SIGTERM while
 * a post-deploy command runs must stop the command, record the step and the stage
 * `interrupted`, exit non-zero, and leave a state `--resume` finishes; a command that ignores
 * SIGTERM is SIGKILLed after the 5 s grace; `post_deploy_timeout` stops a command the same way.
 *
 * How Nx 24.0.6 delivers signals (read from nx/dist/src/tasks-runner, measured here): the task's
 * executor runs in a child process forked by the nx process, in nx's process group, not
 * detached (forked-process-task-runner.js:175; with a TTY it runs under a pseudo terminal
 * instead, not modelled here). On SIGINT/SIGTERM/SIGHUP the nx process
 * (task-orchestrator.js:2279-2325) silences its own stdout/stderr (SIGINT only, no TUI), then
 * kills each running task's process TREE with the native killProcessTreeGraceful
 * (node-child-process.js:99-104, batch-process.js:362-364): SIGTERM to the LEAVES first (here:
 * the post-deploy command), their parents (the executor) only once the leaves are gone, and
 * SIGKILL to whatever is left after about 5 s; then it exits 130 (run-outcome.js:31-33).
 * So:
 * - a signal to the nx process alone reaches the command as SIGTERM from Nx, before the
 *   executor knows anything; the executor then gets SIGTERM once its command has exited;
 * - a terminal's Ctrl-C signals the foreground process group: nx and the executor at once, not
 *   the command, which the plugin starts in a process group of its own (and stops by signalling
 *   that group); Nx's tree kill then sends the executor a SECOND signal (SIGTERM) as soon as
 *   its command has exited;
 * - a command that ignores SIGTERM gets the executor SIGKILLed by Nx at ~5 s along with it,
 *   before the executor has heard of any signal;
 * - a shell running a command (`sh -c '...; sleep 30'`) exits 143 as soon as Nx has SIGTERMed
 *   its child, before the executor hears its own SIGTERM.
 *
 * Each test uses a fresh workspace; the commands are node scripts in it (or shells and a
 * wrapper script around them); times are printed, never asserted (except liveness bounds such
 * as "gone within 20 s").
 */
import { chmodSync, existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createWorkspace } from './support/nx-workspace';
import type { NxResult, Workspace } from './support/nx-workspace';
import {
  isProcessGone,
  killIfAlive,
  readCommandLine,
  readParentPid,
  startNx,
  waitFor,
  waitUntilGone,
} from './support/processes';
import type { StartedProcess } from './support/processes';
import { findCheck, readLockFile, readValidLedger } from './support/release-ledger';
import type { LockFile } from './support/release-ledger';
import { formatAbortedNext, shortRelease } from './support/release-text';

jest.setTimeout(120_000);

type Signal = 'SIGINT' | 'SIGTERM';
type Recipient = 'nx' | 'group' | 'executor';

const LEDGER = 'dist/release/shop/prepare/checks_run.json';
const LOCK = 'dist/release/shop/prepare.lock';
const PID_FILE = 'long-step.pid';
const SIGNALS_FILE = 'long-step.signals';
const PREPARE = ['run', 'shop:release-prepare'];
const RESUME = ['run', 'shop:release-prepare', '--resume'];
const GONE_WITHIN_MS = 20_000;
const LEFT_RUNNING_NOTE =
  'Step post_deploy was left running by a run that did not finish: its outcome is unknown, so it runs again.';
// LONG_STEP=slow: prints, then sleeps 60 s; ignore-term: the same, ignoring SIGTERM;
// fast: prints and exits 0 (what --resume runs: the same argv, made quick by its environment).
const LONG_STEP_JS = `const fs = require('node:fs');
const mode = process.env.LONG_STEP || 'slow';
console.log('started');
if (mode === 'fast') { console.log('done'); process.exit(0); }
if (mode === 'ignore-term')
  process.on('SIGTERM', () => fs.appendFileSync(${JSON.stringify(SIGNALS_FILE)}, 'SIGTERM ignored\\n'));
fs.writeFileSync(${JSON.stringify(PID_FILE)}, String(process.pid));
console.log('working');
setTimeout(() => {}, 60000);
`;
const DEPLOY_JS = `require('node:fs').appendFileSync('deploys.log', 'deploy\\n');`;
// A wrapper script (like a project's bin/migrate): the long step runs as its child.
const WRAPPER_SH =
  '#!/bin/sh\necho wrapper started\nnode scripts/long-step.js\necho wrapper done\n';
const OUTPUT_HELD_NOTE =
  '  ... the command exited, but a process it started still holds its output open: the run no longer waits for that output and leaves the process running';

function buildShop(devops: Record<string, unknown> = {}): object {
  return {
    root: 'apps/shop',
    targets: {
      'release-prepare': {
        executor: 'nx-release-deploy:prepare',
        outputs: ['{workspaceRoot}/dist/release/{projectName}/prepare'],
        options: {
          devops: {
            platform: 'local',
            qa_app: 'shop-qa',
            prod_app: 'shop',
            deploy_cmd: { qa: ['node', 'scripts/deploy.js'] },
            post_deploy_cmd: ['node', 'scripts/long-step.js'],
            ...devops,
          },
        },
      },
    },
  };
}

async function createShopWorkspace(devops?: Record<string, unknown>): Promise<Workspace> {
  const workspace = await createWorkspace({
    projects: { shop: buildShop(devops) },
    files: {
      'scripts/long-step.js': LONG_STEP_JS,
      'scripts/deploy.js': DEPLOY_JS,
      'scripts/wrapper.sh': WRAPPER_SH,
    },
  });
  chmodSync(path.join(workspace.root, 'scripts/wrapper.sh'), 0o755);
  await workspace.commit('Make the wrapper script executable');
  return workspace;
}

// Nx's result, or undefined when it has not exited within `ms` (a liveness bound, not a timing).
async function settleWithin(nx: StartedProcess, ms: number): Promise<NxResult | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  try {
    return await Promise.race([nx.result, bound]);
  } finally {
    clearTimeout(timer);
  }
}

// Starts `nx run shop:release-prepare` and waits until its post-deploy command runs.
async function startLongPrepare(
  workspace: Workspace,
  mode: 'slow' | 'ignore-term',
): Promise<{ nx: StartedProcess; commandPid: number; executorPid: number }> {
  rmSync(path.join(workspace.root, PID_FILE), { force: true });
  const nx = await startNx(workspace, PREPARE, { LONG_STEP: mode });
  const commandPid = await waitFor('the post-deploy command to start', () =>
    readPidFile(workspace),
  );
  return { nx, commandPid, executorPid: readParentPid(commandPid) };
}

function readPidFile(workspace: Workspace): number | undefined {
  const file = path.join(workspace.root, PID_FILE);
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8'));
  return pid > 0 ? pid : undefined;
}

function sendSignal(
  target: { nx: StartedProcess; executorPid: number },
  recipient: Recipient,
  signal: Signal,
): void {
  if (recipient === 'nx') process.kill(target.nx.pid, signal);
  // Ctrl-C in a terminal: the signal goes to the foreground process group.
  if (recipient === 'group') process.kill(-target.nx.pid, signal);
  if (recipient === 'executor') process.kill(target.executorPid, signal);
}

function formatTakeover(lock: LockFile): string {
  return `Took over the lock of shop:release-prepare left by pid ${lock.pid} (started ${lock.startedAt}), which is no longer running.`;
}

function hasLine(result: NxResult, line: string): boolean {
  return result.output.split('\n').includes(line);
}

function formatAborted(sha: string, reason: string): string {
  return `ABORTED: prepare of shop (release ${shortRelease(sha)}) stopped at step post_deploy on shop-qa: ${reason}; 0 steps did not run. ${formatAbortedNext('shop', 'prepare', 'other')}`;
}

function describeLedger(workspace: Workspace) {
  const ledger = readValidLedger(path.join(workspace.root, LEDGER));
  return {
    stage: ledger.status,
    checks: ledger.checks.map((check) => ({
      id: check.id,
      status: check.status,
      reason: check.reason,
    })),
  };
}

// --resume with the command made fast; what it printed and recorded, and whether it took over.
async function resumePrepare(workspace: Workspace) {
  const lock = readLockFile(path.join(workspace.root, LOCK));
  const result = await workspace.runNx(RESUME, { LONG_STEP: 'fast' });
  return {
    exitCode: result.exitCode,
    lockWasLeft: lock !== undefined,
    leftLockPidGone: lock === undefined || isProcessGone(lock.pid),
    tookOverWithWarning: lock === undefined || hasLine(result, formatTakeover(lock)),
    notedLeftRunning: hasLine(result, LEFT_RUNNING_NOTE),
    ledger: describeLedger(workspace),
    lockReleased: !workspace.exists(LOCK),
  };
}

const RESUMED_OK = {
  exitCode: 0,
  leftLockPidGone: true,
  tookOverWithWarning: true,
  ledger: {
    stage: 'ok',
    checks: [
      { id: 'deploy', status: 'skipped', reason: 'resumed' },
      { id: 'post_deploy', status: 'ok', reason: null },
    ],
  },
  lockReleased: true,
};

// One interrupted run and its --resume, observed (times printed, not asserted).
async function interruptAndResume(workspace: Workspace, recipient: Recipient, signal: Signal) {
  const target = await startLongPrepare(workspace, 'slow');
  const executor = readCommandLine(target.executorPid);
  const sentAt = performance.now();
  sendSignal(target, recipient, signal);
  const result = await target.nx.result;
  const nxMs = Math.round(performance.now() - sentAt);
  const commandGoneMs = await waitUntilGone(target.commandPid, GONE_WITHIN_MS);
  const interrupted = describeLedger(workspace);
  const resumed = await resumePrepare(workspace);
  console.log(
    `${signal} to ${recipient}: nx exited ${result.exitCode} after ${nxMs} ms, command gone after ${commandGoneMs ?? 'more than 20000'} ms; ledger ${JSON.stringify(interrupted)}; lock left: ${resumed.lockWasLeft}; executor: ${executor}`,
  );
  return {
    nxExitedNonZero: result.exitCode !== 0,
    commandGone: commandGoneMs !== undefined,
    interrupted,
    resumed,
  };
}

const INTERRUPTED_THEN_RESUMED = {
  nxExitedNonZero: true,
  commandGone: true,
  interrupted: {
    stage: 'interrupted',
    checks: [
      { id: 'deploy', status: 'ok', reason: null },
      {
        id: 'post_deploy',
        status: 'interrupted',
        reason: expect.stringMatching(/^interrupted by SIG(INT|TERM)$/),
      },
    ],
  },
  resumed: { ...RESUMED_OK, lockWasLeft: expect.any(Boolean), notedLeftRunning: false },
};

describe('a signal while the post-deploy command runs, through nx', () => {
  let workspace: Workspace | undefined;

  afterEach(async () => {
    if (workspace) killIfAlive(readPidFile(workspace));
    await workspace?.close();
    workspace = undefined;
  });

  // `kill -INT <nx pid>` / `kill <nx pid>` (a CI runner stopping the job's main process).
  it.each<Signal>(['SIGINT', 'SIGTERM'])(
    '%s to the nx process: the command is stopped, the step and the stage are interrupted, --resume finishes',
    async (signal) => {
      workspace = await createShopWorkspace();

      expect(await interruptAndResume(workspace, 'nx', signal)).toEqual(INTERRUPTED_THEN_RESUMED);
    },
  );

  // Ctrl-C in a terminal: nx, the executor and the command get the signal at once, and Nx's
  // tree kill then sends the executor SIGTERM as soon as its command has exited. Three times
  // each, as the outcome depends on which process gets there first.
  it.each<Signal>(['SIGINT', 'SIGTERM'])(
    '%s to the process group (Ctrl-C): the step and the stage are interrupted, every time',
    async (signal) => {
      workspace = await createShopWorkspace();
      const attempts = [];
      for (let attempt = 0; attempt < 3; attempt += 1)
        attempts.push(await interruptAndResume(workspace, 'group', signal));

      expect(attempts).toEqual([0, 1, 2].map(() => INTERRUPTED_THEN_RESUMED));
    },
  );
});

describe('a post-deploy command that ignores SIGTERM', () => {
  let workspace: Workspace | undefined;

  afterEach(async () => {
    if (workspace) killIfAlive(readPidFile(workspace));
    await workspace?.close();
    workspace = undefined;
  });

  it('is SIGKILLed after the 5 s grace when the executor gets SIGINT; the stage ends interrupted', async () => {
    workspace = await createShopWorkspace();
    const sha = await workspace.git(['rev-parse', 'HEAD']);
    const target = await startLongPrepare(workspace, 'ignore-term');

    const sentAt = performance.now();
    sendSignal(target, 'executor', 'SIGINT');
    const goneMs = await waitUntilGone(target.commandPid, GONE_WITHIN_MS);
    const result = await target.nx.result;
    console.log(
      `SIGINT to the executor: the command ignoring SIGTERM was gone after ${goneMs ?? 'more than 20000'} ms (nx exited after ${Math.round(performance.now() - sentAt)} ms)`,
    );

    expect({
      commandGone: goneMs !== undefined,
      sawSigterm: readFileSync(path.join(workspace.root, SIGNALS_FILE), 'utf8').includes(
        'SIGTERM ignored',
      ),
      nxExitedNonZero: result.exitCode !== 0,
      aborted: hasLine(result, formatAborted(sha, 'interrupted by SIGINT')),
      ledger: describeLedger(workspace),
      lockReleased: !workspace.exists(LOCK),
    }).toEqual({
      commandGone: true,
      sawSigterm: true,
      nxExitedNonZero: true,
      aborted: true,
      ledger: {
        stage: 'interrupted',
        checks: [
          { id: 'deploy', status: 'ok', reason: null },
          { id: 'post_deploy', status: 'interrupted', reason: 'interrupted by SIGINT' },
        ],
      },
      lockReleased: true,
    });
  });

  // Nx SIGTERMs the command first and SIGKILLs the whole tree (the executor with it) after its
  // own ~5 s grace, before the executor has received any signal: the plugin cannot record an
  // interrupt, and the ledger shows what --resume needs (the step running, the lock left).
  it('when nx gets SIGINT, nx SIGKILLs the tree after its grace; the ledger is whole and --resume re-runs the step', async () => {
    workspace = await createShopWorkspace();
    const target = await startLongPrepare(workspace, 'ignore-term');

    const sentAt = performance.now();
    sendSignal(target, 'nx', 'SIGINT');
    const result = await target.nx.result;
    const nxMs = Math.round(performance.now() - sentAt);
    const goneMs = await waitUntilGone(target.commandPid, GONE_WITHIN_MS);
    const interrupted = describeLedger(workspace);
    const stepStatus = findCheck(
      readValidLedger(path.join(workspace.root, LEDGER)),
      'post_deploy',
    )?.status;
    const resumed = await resumePrepare(workspace);
    console.log(
      `SIGINT to nx, command ignoring SIGTERM: nx exited ${result.exitCode} after ${nxMs} ms, command gone after ${goneMs ?? 'more than 20000'} ms; ledger ${JSON.stringify(interrupted)}`,
    );

    expect({
      nxExitedNonZero: result.exitCode !== 0,
      commandGone: goneMs !== undefined,
      stepStatus: ['running', 'interrupted'].includes(stepStatus ?? '')
        ? 'running or interrupted'
        : stepStatus,
      resumed,
    }).toEqual({
      nxExitedNonZero: true,
      commandGone: true,
      stepStatus: 'running or interrupted',
      resumed: {
        ...RESUMED_OK,
        lockWasLeft: expect.any(Boolean),
        notedLeftRunning: stepStatus === 'running',
      },
    });
  });

  // README ("Interrupts"): a second signal kills the running command at once (no grace) and
  // lets the stage record itself and release its lock, and the command is terminated.
  it('a second SIGINT during the grace kills the command at once, records interrupted, and --resume works', async () => {
    workspace = await createShopWorkspace();
    const target = await startLongPrepare(workspace, 'ignore-term');
    const signalsFile = path.join(workspace.root, SIGNALS_FILE);

    sendSignal(target, 'executor', 'SIGINT');
    await waitFor('the command to get SIGTERM', () => (existsSync(signalsFile) ? true : undefined));
    const secondAt = performance.now();
    sendSignal(target, 'executor', 'SIGINT');
    const executorGoneMs = await waitUntilGone(target.executorPid, GONE_WITHIN_MS);
    const result = await target.nx.result;
    const nxMs = Math.round((target.nx.exitedAt() ?? Number.NaN) - secondAt);
    const commandGoneMs = await waitUntilGone(target.commandPid, GONE_WITHIN_MS);
    console.log(
      `second SIGINT: executor gone after ${executorGoneMs ?? 'more than 20000'} ms, nx exited ${result.exitCode} after ${nxMs} ms, command gone ${commandGoneMs === undefined ? 'NOT within 20 s' : `after ${commandGoneMs} ms`}`,
    );
    const left = describeLedger(workspace);
    const resumed = await resumePrepare(workspace);

    expect({
      executorGone: executorGoneMs !== undefined,
      nxExitedNonZero: result.exitCode !== 0,
      commandGone: commandGoneMs !== undefined,
      left,
      resumed,
    }).toEqual({
      executorGone: true,
      nxExitedNonZero: true,
      commandGone: true,
      left: {
        stage: 'interrupted',
        checks: [
          { id: 'deploy', status: 'ok', reason: null },
          { id: 'post_deploy', status: 'interrupted', reason: 'interrupted by SIGINT' },
        ],
      },
      resumed: { ...RESUMED_OK, lockWasLeft: false, notedLeftRunning: false },
    });
  });
});

describe('post_deploy_timeout', () => {
  let workspace: Workspace | undefined;

  afterEach(async () => {
    if (workspace) killIfAlive(readPidFile(workspace));
    await workspace?.close();
    workspace = undefined;
  });

  it('stops a command that runs longer, records timed_out with its output, and says so in ABORTED', async () => {
    workspace = await createShopWorkspace({ post_deploy_timeout: 1 });
    const sha = await workspace.git(['rev-parse', 'HEAD']);

    const result = await workspace.runNx(PREPARE, { LONG_STEP: 'slow' });
    const commandPid = readPidFile(workspace);
    const ledger = readValidLedger(path.join(workspace.root, LEDGER));
    const check = findCheck(ledger, 'post_deploy');

    expect({
      nxExitedNonZero: result.exitCode !== 0,
      commandGone:
        commandPid !== undefined && (await waitUntilGone(commandPid, GONE_WITHIN_MS)) !== undefined,
      stage: ledger.status,
      status: check?.status,
      reason: check?.reason,
      tailHasOutput: check?.outputTail.includes('started'),
      aborted: hasLine(result, formatAborted(sha, 'timed out after 1s')),
      lockReleased: !workspace.exists(LOCK),
    }).toEqual({
      nxExitedNonZero: true,
      commandGone: true,
      stage: 'failed',
      status: 'timed_out',
      reason: 'timed out after 1s',
      tailHasOutput: true,
      aborted: true,
      lockReleased: true,
    });
  });
});

// The command as a tree: a wrapper script's child, a shell that reports its child's SIGTERM as
// its own exit 143, a background job that keeps the output open. Each has a pid file to check.
describe('commands that start processes of their own, through nx', () => {
  let workspace: Workspace | undefined;
  const pids: number[] = [];
  // An nx that did not exit within its bound, with its executor (nx's own process group).
  const nxGroups: number[] = [];

  afterEach(async () => {
    if (workspace) killIfAlive(readPidFile(workspace));
    for (const pid of pids.splice(0)) killIfAlive(pid);
    for (const pgid of nxGroups.splice(0)) killIfAlive(-pgid);
    await workspace?.close();
    workspace = undefined;
  });

  // Nx SIGTERMs the leaf (`sleep`) first; `sh` exits 143 at once; the executor hears its own
  // SIGTERM only then. The step is still an interrupt, not "exit code 143".
  it('SIGTERM to nx while `sh -c "...; sleep 30"` runs: the step and the stage are interrupted', async () => {
    workspace = await createShopWorkspace({
      post_deploy_cmd: ['sh', '-c', `echo $$ > ${PID_FILE}; echo started; sleep 30`],
    });
    const target = await startLongPrepare(workspace, 'slow');
    nxGroups.push(target.nx.pid);

    const sentAt = performance.now();
    sendSignal(target, 'nx', 'SIGTERM');
    const result = await settleWithin(target.nx, GONE_WITHIN_MS);
    console.log(
      `SIGTERM to nx during sh -c '...; sleep 30': nx exited ${result?.exitCode ?? 'NOT within 20 s'} after ${Math.round(performance.now() - sentAt)} ms`,
    );

    expect({
      nxExitedNonZero: result !== undefined && result.exitCode !== 0,
      shellGone: isProcessGone(target.commandPid),
      ledger: describeLedger(workspace),
      lockReleased: !workspace.exists(LOCK),
    }).toEqual({
      nxExitedNonZero: true,
      shellGone: true,
      ledger: {
        stage: 'interrupted',
        checks: [
          { id: 'deploy', status: 'ok', reason: null },
          { id: 'post_deploy', status: 'interrupted', reason: 'interrupted by SIGTERM' },
        ],
      },
      lockReleased: true,
    });
  });

  it('post_deploy_timeout ends a wrapper script and the process it runs: timed_out, nothing left', async () => {
    const shop = await createShopWorkspace({
      post_deploy_cmd: ['scripts/wrapper.sh'],
      post_deploy_timeout: 1,
    });
    workspace = shop;
    const nx = await startNx(shop, PREPARE, { LONG_STEP: 'slow' });
    nxGroups.push(nx.pid);
    const grandchild = await waitFor('the wrapped command to start', () => readPidFile(shop));
    const startedAt = performance.now();

    const result = await settleWithin(nx, GONE_WITHIN_MS);
    const grandchildGone = isProcessGone(grandchild);
    const check = findCheck(readValidLedger(path.join(shop.root, LEDGER)), 'post_deploy');
    console.log(
      `timeout of a wrapper through nx: nx exited ${result ? `${Math.round(performance.now() - startedAt)} ms after the wrapped command wrote its pid (the 1 s timeout counts from the wrapper's start)` : 'NOT within 20 s'}`,
    );

    expect({
      nxExitedNonZero: result !== undefined && result.exitCode !== 0,
      grandchildGone,
      status: check?.status,
      reason: check?.reason,
      tailHasOutput: check?.outputTail.includes('wrapper started\nstarted\nworking'),
    }).toEqual({
      nxExitedNonZero: true,
      grandchildGone: true,
      status: 'timed_out',
      reason: 'timed out after 1s',
      tailHasOutput: true,
    });
  });

  it('a command that leaves a background job holding its output: the stage succeeds, says so, the job is left running', async () => {
    workspace = await createShopWorkspace({
      post_deploy_cmd: ['sh', '-c', 'sleep 600 & echo $! > leftover.pid; echo done'],
    });
    const leftoverFile = path.join(workspace.root, 'leftover.pid');
    const nx = await startNx(workspace, PREPARE);
    nxGroups.push(nx.pid);

    const result = await settleWithin(nx, 60_000);
    const leftover = existsSync(leftoverFile) ? Number(readFileSync(leftoverFile, 'utf8')) : 0;
    if (leftover > 0) pids.push(leftover);
    const notice = result?.output.split('\n').find((line) => line.startsWith(OUTPUT_HELD_NOTE));
    console.log(`background job holding the output through nx: ${notice ?? 'no notice'}`);

    expect({
      exitCode: result?.exitCode,
      noticed: notice !== undefined,
      leftoverRunning: leftover > 0 && !isProcessGone(leftover),
      ledger: describeLedger(workspace),
    }).toEqual({
      exitCode: 0,
      noticed: true,
      leftoverRunning: true,
      ledger: {
        stage: 'ok',
        checks: [
          { id: 'deploy', status: 'ok', reason: null },
          { id: 'post_deploy', status: 'ok', reason: null },
        ],
      },
    });
  });
});
