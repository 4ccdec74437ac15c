import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runProcess, type ProcessResult, type RunOptions } from './run-process';

/**
 * What a stop reaches: the command and every process it started (wrapper scripts, an
 * `npm run`-style parent, background jobs), with real processes. The processes a test must see
 * gone write their pid to a file; a zombie (state Z) counts as gone, it runs no code.
 * Waits are bounded generously (BOUND_MS); durations are never asserted.
 */

jest.setTimeout(90_000);

const BOUND_MS = 30_000;
const node = process.execPath;
let dir: string;
const leftovers: number[] = [];

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'nxrd-tree-'));
});

afterEach(() => {
  for (const pid of [...leftovers, ...readPids()]) killIfAlive(pid);
  leftovers.length = 0;
  rmSync(dir, { recursive: true, force: true });
});

function writeScript(name: string, text: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, text);
  chmodSync(file, 0o755);
  return file;
}

function pidFile(name = 'grandchild'): string {
  return path.join(dir, `${name}.pid`);
}

function readPid(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const pid = Number(readFileSync(file, 'utf8').trim());
  return pid > 0 ? pid : undefined;
}

function readPids(): number[] {
  return ['grandchild', 'leftover']
    .map((name) => readPid(pidFile(name)))
    .filter((pid): pid is number => pid !== undefined);
}

function isGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

function killIfAlive(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function waitForPid(file: string): Promise<number> {
  for (let waited = 0; waited < BOUND_MS; waited += 20) {
    const pid = readPid(file);
    if (pid !== undefined) return pid;
    await sleep(20);
  }
  throw new Error(`no pid in ${file}`);
}

// The run's result, or `undefined` when it has not ended within the bound.
async function settleWithin(running: Promise<ProcessResult>): Promise<ProcessResult | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), BOUND_MS);
  });
  try {
    return await Promise.race([running, bound]);
  } finally {
    clearTimeout(timer);
  }
}

function createRun(extra: Partial<RunOptions> = {}) {
  const sink = new PassThrough();
  let seen = '';
  sink.on('data', (chunk: Buffer) => (seen += chunk.toString()));
  const held: string[][] = [];
  const options: RunOptions = {
    cwd: dir,
    env: { PATH: process.env.PATH },
    stdout: sink,
    stderr: sink,
    onOutputHeld: (running) => held.push((running ?? []).map((member) => member.name)),
    ...extra,
  };
  return { options, held, seen: () => seen };
}

// The grandchild: a shell that writes its pid, then becomes `sleep 40` (same pid); `trap`
// makes it ignore SIGTERM (an ignored signal stays ignored across exec).
const SLEEP_40 = `sh -c 'echo $$ > "$1"; exec sleep 40' sh "$PID_FILE"`;
const STUBBORN_SLEEP_40 = `sh -c 'trap "" TERM; echo $$ > "$1"; exec sleep 40' sh "$PID_FILE"`;

describe('runProcess and the processes a command starts', () => {
  it.each([
    ['keeps its output', SLEEP_40],
    ['writes elsewhere', `${SLEEP_40} > /dev/null 2>&1`],
    ['ignores SIGTERM and writes elsewhere', `${STUBBORN_SLEEP_40} > /dev/null 2>&1`],
  ])(
    'a timeout ends a wrapper script and its child that %s: timed_out, the child gone',
    async (_case, child) => {
      const wrapper = writeScript(
        'wrapper.sh',
        `#!/bin/sh\necho wrapper started\n${child}\necho wrapper done\n`,
      );
      const { options } = createRun({
        timeoutMs: 3000,
        graceMs: 1000,
        env: { PATH: process.env.PATH, PID_FILE: pidFile() },
      });

      const result = await settleWithin(runProcess({ argv: [wrapper] }, options));
      const sleepPid = readPid(pidFile());
      console.log(
        `timeout of a wrapper whose child ${_case}: ended ${result ? `${result.durationMs - 3000} ms after the timeout` : 'NOT within the bound'}`,
      );

      expect({
        outcome: result?.outcome,
        tail: result?.outputTail,
        sleepGone: sleepPid !== undefined && isGone(sleepPid),
      }).toEqual({
        outcome: { kind: 'timed_out', timeoutMs: 3000 },
        tail: 'wrapper started\n',
        sleepGone: true,
      });
    },
  );

  it('a command that exits while a background job holds its output ends promptly, says so, and leaves the job running', async () => {
    const { options, held, seen } = createRun();
    const script = `sleep 600 & echo $! > "$0"; echo done`;

    const result = await settleWithin(
      runProcess({ argv: ['sh', '-c', script, pidFile('leftover')] }, options),
    );
    const leftover = readPid(pidFile('leftover'));
    console.log(
      `exit with a background holder: ended after ${result ? `${result.durationMs} ms` : 'NOT within the bound'}`,
    );

    expect({
      outcome: result?.outcome,
      output: seen(),
      tail: result?.outputTail,
      held,
      leftoverRunning: leftover !== undefined && !isGone(leftover),
    }).toEqual({
      outcome: { kind: 'exited', exitCode: 0 },
      output: 'done\n',
      tail: 'done\n',
      held: [['sleep']],
      leftoverRunning: true,
    });
  });

  it('an interrupt while a job the command left holds its output ends that job too', async () => {
    const controller = new AbortController();
    const { options, held } = createRun({ signal: controller.signal, pipeGraceMs: BOUND_MS });
    const script = `sleep 600 & echo $! > "$0"; echo done`;

    const running = runProcess({ argv: ['sh', '-c', script, pidFile('leftover')] }, options);
    const leftover = await waitForPid(pidFile('leftover'));
    await sleep(300);
    controller.abort('SIGINT');
    const result = await settleWithin(running);

    expect({ outcome: result?.outcome, held, leftoverGone: isGone(leftover) }).toEqual({
      // The command itself had exited 0 before the interrupt.
      outcome: { kind: 'exited', exitCode: 0 },
      held: [],
      leftoverGone: true,
    });
  });

  it('a second interrupt kills at once a wrapper and its child that both ignore SIGTERM', async () => {
    const wrapper = writeScript('stubborn.sh', `#!/bin/sh\ntrap '' TERM\necho up\n${SLEEP_40}\n`);
    const graceful = new AbortController();
    const force = new AbortController();
    const { options } = createRun({
      signal: graceful.signal,
      force: force.signal,
      graceMs: 60_000,
      env: { PATH: process.env.PATH, PID_FILE: pidFile() },
    });

    const running = runProcess({ argv: [wrapper] }, options);
    const sleepPid = await waitForPid(pidFile());
    graceful.abort('SIGINT');
    await sleep(300);
    const sleepSurvivedSigterm = !isGone(sleepPid);
    const forcedAt = Date.now();
    force.abort('SIGINT');
    const result = await settleWithin(running);
    console.log(
      `second interrupt: ended ${result ? `${Date.now() - forcedAt} ms after it` : 'NOT within the bound'}`,
    );

    expect({
      outcome: result?.outcome,
      sleepSurvivedSigterm,
      sleepGone: isGone(sleepPid),
    }).toEqual({
      outcome: { kind: 'interrupted', signal: 'SIGINT' },
      sleepSurvivedSigterm: true,
      sleepGone: true,
    });
  });

  it('an interrupt stops an `npm run`-style parent and the program its shell runs', async () => {
    // Like npm run: a node parent runs the script through sh, passes SIGINT/SIGTERM on to that
    // shell only, and exits with the shell's status; the program is the shell's child.
    const parent = writeScript(
      'run-script.js',
      `const { spawn } = require('node:child_process');
const child = spawn('sh', ['-c', ${JSON.stringify(`${SLEEP_40}; echo after`)}], { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : 143)));
`,
    );
    const controller = new AbortController();
    const { options } = createRun({
      signal: controller.signal,
      env: { PATH: process.env.PATH, PID_FILE: pidFile() },
    });

    const running = runProcess({ argv: [node, parent] }, options);
    const sleepPid = await waitForPid(pidFile());
    const sentAt = Date.now();
    controller.abort('SIGTERM');
    const result = await settleWithin(running);
    console.log(
      `interrupt of an npm-run-style tree: ended ${result ? `${Date.now() - sentAt} ms after it` : 'NOT within the bound'}`,
    );

    expect({ outcome: result?.outcome, sleepGone: isGone(sleepPid) }).toEqual({
      outcome: { kind: 'interrupted', signal: 'SIGTERM' },
      sleepGone: true,
    });
  });
});

describe('runProcess and a command that reports a stop from outside (exit 128 + n)', () => {
  it.each([129, 130, 143])('exit %i followed by the stage signal is interrupted', async (code) => {
    const controller = new AbortController();
    const { options } = createRun({ signal: controller.signal });
    const running = runProcess(
      { argv: ['sh', '-c', `echo $$ > "$0"; exit ${code}`, pidFile('leftover')] },
      options,
    );
    const pid = await waitForPid(pidFile('leftover'));
    while (!isGone(pid)) await sleep(10);
    await sleep(100);
    controller.abort('SIGTERM');

    expect((await settleWithin(running))?.outcome).toEqual({
      kind: 'interrupted',
      signal: 'SIGTERM',
    });
  });

  it.each([129, 130, 143])('exit %i without any stage signal stays an exit code', async (code) => {
    const { options } = createRun({ signal: new AbortController().signal });

    const result = await runProcess({ argv: ['sh', '-c', `exit ${code}`] }, options);

    expect(result.outcome).toEqual({ kind: 'exited', exitCode: code });
  });
});

describe('runProcess and a command that cannot start', () => {
  it.each<[string, string[], Record<string, string>, string]>([
    ['a NUL byte in an argument', ['echo', 'a\0b'], {}, 'argument 1 contains a NUL byte'],
    ['a NUL byte in the program', ['ec\0ho'], {}, 'the program name contains a NUL byte'],
    ['a NUL byte in the env', ['echo'], { RELEASE_APP: 'a\0b' }, '"RELEASE_APP" contains a NUL'],
    ['an argument over the kernel limit', ['echo', 'x'.repeat(300_000)], {}, '(E2BIG)'],
  ])('%s is not_started with a clear message, never a throw', async (_case, argv, env, says) => {
    const { options } = createRun();

    const result = await runProcess({ argv, env }, options);

    expect(result.outcome).toEqual({ kind: 'not_started', message: expect.stringContaining(says) });
  });
});
