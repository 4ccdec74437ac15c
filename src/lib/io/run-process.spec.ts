import { PassThrough } from 'node:stream';
import { runProcess, type RunOptions } from './run-process';

// Collects what the runner streams, as the terminal would receive it.
function createSinks() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const seen = { stdout: '', stderr: '' };
  stdout.on('data', (chunk: Buffer) => (seen.stdout += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (seen.stderr += chunk.toString()));
  return { stdout, stderr, seen };
}

function options(extra: Partial<RunOptions> = {}) {
  const sinks = createSinks();
  return {
    sinks,
    options: {
      cwd: process.cwd(),
      env: { PATH: process.env.PATH },
      stdout: sinks.stdout,
      stderr: sinks.stderr,
      ...extra,
    },
  };
}

const node = process.execPath;

describe('runProcess', () => {
  it('reports the exit code and streams stdout and stderr live', async () => {
    const { sinks, options: run } = options();
    const result = await runProcess(
      { argv: [node, '-e', 'console.log("out"); console.error("err"); process.exit(7)'] },
      run,
    );
    expect(result.outcome).toEqual({ kind: 'exited', exitCode: 7 });
    expect(sinks.seen).toEqual({ stdout: 'out\n', stderr: 'err\n' });
    expect(result.outputTail).toContain('out\n');
    expect(result.outputTail).toContain('err\n');
    expect(result.stdoutHead).toBe('out\n');
  });

  it('passes argv without a shell and adds the command env to the given env only', async () => {
    const { options: run } = options({ env: { PATH: process.env.PATH, KEEP: 'kept' } });
    const script =
      'console.log(JSON.stringify([process.argv.slice(1), process.env.KEEP, process.env.RELEASE_APP, process.env.HOME ?? null]))';
    const result = await runProcess(
      { argv: [node, '-e', script, '$HOME', 'a;b', '`x`'], env: { RELEASE_APP: 'shop-qa' } },
      run,
    );
    expect(JSON.parse(result.stdoutHead)).toEqual([
      ['$HOME', 'a;b', '`x`'],
      'kept',
      'shop-qa',
      null,
    ]);
  });

  it('keeps only a bounded tail of a large output, cut at a character boundary', async () => {
    const { sinks, options: run } = options({ tailBytes: 100 });
    const script =
      'for (let i = 0; i < 2000; i++) process.stdout.write("é" + String(i).padStart(5, "0") + "\\n")';
    const result = await runProcess({ argv: [node, '-e', script] }, run);
    expect(result.outcome).toEqual({ kind: 'exited', exitCode: 0 });
    expect(sinks.seen.stdout.length).toBe(2000 * 7);
    expect(Buffer.byteLength(result.outputTail)).toBeLessThanOrEqual(100);
    expect(result.outputTail.endsWith('é01999\n')).toBe(true);
    expect(result.outputTail).not.toContain('\uFFFD');
  });

  it('masks secrets in what it streams and in the tail, even when written in pieces', async () => {
    const { sinks, options: run } = options({
      redact: (text: string) => text.split('s3cr3t-t0ken').join('***'),
      tailBytes: 20,
    });
    const script =
      'process.stdout.write("token=s3cr"); setTimeout(() => console.log("3t-t0ken ok"), 50)';
    const result = await runProcess({ argv: [node, '-e', script] }, run);
    expect(sinks.seen.stdout).toBe('token=*** ok\n');
    expect(result.outputTail).toBe('token=*** ok\n');
  });

  it('reports each quiet stretch, and not while output flows', async () => {
    const started = Date.now();
    const beats: number[] = [];
    const { sinks, options: run } = options({
      heartbeat: { intervalMs: 200, onQuiet: (ms: number) => beats.push(ms) },
    });
    // When each piece of output arrived, on the clock the beats use (ms since the start).
    const outputAt: number[] = [];
    sinks.stdout.on('data', () => outputAt.push(Date.now() - started));
    const script =
      'const t = setInterval(() => console.log("tick"), 50); setTimeout(() => clearInterval(t), 400); setTimeout(() => {}, 1000)';
    await runProcess({ argv: [node, '-e', script] }, run);
    // A beat comes only after `intervalMs` without output (less the few ms between the runner
    // seeing a chunk and the sink receiving it).
    const quietBefore = beats.map(
      (beat) => beat - Math.max(0, ...outputAt.filter((at) => at <= beat)),
    );
    expect(outputAt.length).toBeGreaterThan(1);
    expect(beats.length).toBeGreaterThanOrEqual(2);
    expect(quietBefore.every((quiet) => quiet >= 190)).toBe(true);
    expect(beats).toEqual([...beats].sort((a, b) => a - b));
  });

  it('names a missing binary', async () => {
    const { options: run } = options();
    const result = await runProcess({ argv: ['nx-release-deploy-no-such-binary', 'x'] }, run);
    expect(result.outcome).toEqual({
      kind: 'not_found',
      binary: 'nx-release-deploy-no-such-binary',
    });
  });

  // Timeouts leave the child time to start on a loaded machine, so that it has printed.
  it('ends a command that runs past its timeout', async () => {
    const { options: run } = options({ timeoutMs: 1500 });
    const result = await runProcess(
      { argv: [node, '-e', 'console.log("started"); setTimeout(() => {}, 60000)'] },
      run,
    );
    expect(result.outcome).toEqual({ kind: 'timed_out', timeoutMs: 1500 });
    expect(result.outputTail).toBe('started\n');
  });

  it('kills a child that ignores SIGTERM after the grace period', async () => {
    const { options: run } = options({ timeoutMs: 1500, graceMs: 300 });
    const script =
      'process.on("SIGTERM", () => console.log("ignored")); console.log("up"); setInterval(() => {}, 1000)';
    const result = await runProcess({ argv: [node, '-e', script] }, run);
    expect(result.outcome).toEqual({ kind: 'timed_out', timeoutMs: 1500 });
    expect(result.outputTail).toBe('up\nignored\n');
  });

  it('ends the child on abort and reports the reason', async () => {
    const controller = new AbortController();
    const { options: run } = options({ signal: controller.signal });
    const running = runProcess(
      { argv: [node, '-e', 'console.log("up"); setInterval(() => {}, 1000)'] },
      run,
    );
    setTimeout(() => controller.abort('SIGINT'), 300);
    const result = await running;
    expect(result.outcome).toEqual({ kind: 'interrupted', signal: 'SIGINT' });
  });

  it('kills at once on the force signal, without waiting for the grace period', async () => {
    const graceful = new AbortController();
    const force = new AbortController();
    const { options: run } = options({
      signal: graceful.signal,
      force: force.signal,
      graceMs: 30_000,
    });
    const script =
      'process.on("SIGTERM", () => {}); console.log("up"); setInterval(() => {}, 1000)';
    const running = runProcess({ argv: [node, '-e', script] }, run);
    setTimeout(() => graceful.abort('SIGINT'), 300);
    setTimeout(() => force.abort('SIGTERM'), 600);
    const result = await running;
    expect(result.outcome).toEqual({ kind: 'interrupted', signal: 'SIGINT' });
    expect(result.durationMs).toBeLessThan(30_000);
  });

  it('counts a command stopped from outside (SIGTERM, SIGINT, SIGHUP) as interrupted', async () => {
    const { options: run } = options();
    const result = await runProcess(
      { argv: [node, '-e', 'process.kill(process.pid, "SIGTERM")'] },
      run,
    );
    expect(result.outcome).toEqual({ kind: 'interrupted', signal: 'SIGTERM' });
  });

  it('reports a child killed by a signal', async () => {
    const { options: run } = options();
    const result = await runProcess(
      { argv: [node, '-e', 'process.kill(process.pid, "SIGKILL")'] },
      run,
    );
    expect(result.outcome).toEqual({ kind: 'signaled', signal: 'SIGKILL' });
  });
});
