import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startHerokuStandin } from './support/heroku-standin';
import type { DynoRun, HerokuStandin } from './support/heroku-standin';

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
  durationMs: number;
}

const HEROKU_BIN = path.resolve(__dirname, '..', 'node_modules', '.bin', 'heroku');
// What heroku dist/lib/run/dyno.js appends to the command when --exit-code is given.
const EXIT_CODE_SUFFIX = ' ; echo "\uFFFF heroku-command-exit-status: $?"';
const RUN = ['run', '--no-tty', '--no-notify', '--app=shop-qa'];

jest.setTimeout(30_000);

function runHeroku(standin: HerokuStandin, args: string[]): Promise<CliResult> {
  const startedAt = Date.now();
  const child = spawn(HEROKU_BIN, args, {
    env: { ...process.env, ...standin.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code, stdout, stderr, durationMs: Date.now() - startedAt }),
    );
  });
}

function readLoggedRuns(standin: HerokuStandin): DynoRun[] {
  const lines = readFileSync(standin.logPath, 'utf8').split('\n').filter(Boolean);
  return lines.map((line) => JSON.parse(line) as DynoRun);
}

function lastRun(standin: HerokuStandin): DynoRun | undefined {
  return standin.runs[standin.runs.length - 1];
}

describe('heroku-standin driven by the real Heroku CLI', () => {
  let standin: HerokuStandin;
  let dynoCwd: string;

  beforeAll(async () => {
    dynoCwd = mkdtempSync(path.join(os.tmpdir(), 'standin-dyno-cwd-'));
    writeFileSync(path.join(dynoCwd, 'Procfile'), 'web: echo web\n');
    standin = await startHerokuStandin({ apps: ['shop-qa'], dynoCwd, dynoEnv: { ROLE: 'qa' } });
  });

  afterAll(async () => {
    await standin?.close();
    rmSync(dynoCwd, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(readLoggedRuns(standin)).toEqual(standin.runs);
  });

  it('passes the dyno exit status through with --exit-code', async () => {
    // A bare `exit 3` would end bash before the CLI's status echo (see the `exit 4` test below),
    // so the status is produced by a subshell, as heroku/cli#2466 advises.
    const command = 'echo hello; (exit 3)';
    const result = await runHeroku(standin, [...RUN, '--exit-code', '--', command]);

    expect(result.code).toBe(3);
    expect(result.stdout).toBe('hello\n');
    expect(result.stderr).toContain('Process exited with code 3');
    expect(result.stderr).not.toMatch(/terms of service|update available|warning/i);
    expect(lastRun(standin)).toMatchObject({ app: 'shop-qa', command: command + EXIT_CODE_SUFFIX });
  });

  it('delivers a single argument to bash verbatim', async () => {
    const tricky =
      'printf \'%s|%s\\n\' "$HOME" `echo tick` | tr a-z A-Z; echo *\necho "it\'s" $ROLE';
    const result = await runHeroku(standin, [...RUN, '--exit-code', '--', tricky]);

    expect(lastRun(standin)?.command).toBe(tricky + EXIT_CODE_SUFFIX);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\/\S*\|TICK\nProcfile\nit's qa\n$/);
  });

  it('exits 0 for a failing command without --exit-code', async () => {
    const command = 'echo failing >&2; exit 5';
    const result = await runHeroku(standin, [...RUN, '--', command]);

    expect(result.code).toBe(0);
    expect(result.stdout).toBe('failing\n');
    expect(lastRun(standin)).toMatchObject({ command, exitCode: 5 });
  });

  it('fails with "No exit code returned" when bash exits before the status echo', async () => {
    const result = await runHeroku(standin, [...RUN, '--exit-code', '--', 'echo before; exit 4']);

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('before\n');
    expect(result.stderr).toContain('No exit code returned');
    expect(lastRun(standin)).toMatchObject({ exitCode: 4 });
  });

  it('joins several arguments, quoting those with a space or a double quote', async () => {
    const twoArgs = await runHeroku(standin, [...RUN, '--', 'echo', 'a b']);
    expect(lastRun(standin)?.command).toBe('echo "a b"');
    expect(twoArgs.stdout).toBe('a b\n');

    const quoted = await runHeroku(standin, [...RUN, '--', 'echo', 'say"hi', 'plain']);
    expect(lastRun(standin)?.command).toBe('echo "say\\"hi" plain');
    expect(quoted.stdout).toBe('say"hi plain\n');
  });

  it('fails for an unknown app without starting a dyno', async () => {
    const before = standin.runs.length;
    const result = await runHeroku(standin, [
      'run',
      '--no-tty',
      '--no-notify',
      '--app=no-such-app',
      '--',
      'echo never',
    ]);

    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain("Couldn't find that app");
    expect(standin.runs).toHaveLength(before);
  });

  it('reports the wall time of one run', async () => {
    const result = await runHeroku(standin, [...RUN, '--exit-code', '--', 'echo timed']);

    expect(result.code).toBe(0);
    console.log(`heroku run against the stand-in took ${result.durationMs} ms`);
  });
});
