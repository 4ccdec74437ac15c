import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, mkdtempSync, openSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openNxStdout, readProcessArgv } from './open-nx-stdout';

// Real processes whose stdout is a pipe, a regular file or a socket; /proc is Linux's.
const onLinux = process.platform === 'linux' ? describe : describe.skip;

onLinux('openNxStdout', () => {
  const children: ChildProcess[] = [];
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'nxrd-nx-stdout-'));
  });
  afterEach(async () => {
    await Promise.all(
      children.splice(0).map(async (child) => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          await once(child, 'exit');
        }
      }),
    );
  });
  const start = (command: string, args: string[], stdout: 'ignore' | 'pipe' | number) => {
    const child = spawn(command, args, { stdio: ['ignore', stdout, 'ignore'] });
    children.push(child);
    return child;
  };

  it("writes into another process's stdout when it is a pipe that someone reads", async () => {
    const fifo = path.join(dir, 'job-log');
    execFileSync('mkfifo', [fifo]);
    const reader = createReadStream(fifo, { encoding: 'utf8' });
    let text = '';
    reader.on('data', (chunk) => (text += String(chunk)));
    const holder = start('sh', ['-c', `exec sleep 30 > '${fifo}'`], 'ignore');
    await once(reader, 'open');
    const stream = openNxStdout(holder.pid ?? -1);
    expect(stream).toBeDefined();
    await new Promise<void>((resolve) => stream?.end('reached the log\n', resolve));
    // Written: the bytes are in the pipe; reading them is the reader's turn.
    if (text === '') await once(reader, 'data');
    expect(text).toBe('reached the log\n');
    reader.destroy();
  });

  it('refuses a regular file (its own offset would overwrite what the process wrote)', () => {
    const file = openSync(path.join(dir, 'out.log'), 'w');
    const holder = start('sleep', ['30'], file);
    expect(openNxStdout(holder.pid ?? -1)).toBeUndefined();
  });

  it('refuses a socket, which /proc cannot open (how Node pipes a child)', () => {
    const holder = start('sleep', ['30'], 'pipe');
    expect(openNxStdout(holder.pid ?? -1)).toBeUndefined();
  });

  it('refuses a process that does not exist', () => {
    expect(openNxStdout(2 ** 22 + 1)).toBeUndefined();
  });

  it("reads a process's command line", () => {
    const holder = start('sleep', ['30'], 'ignore');
    expect(readProcessArgv(holder.pid ?? -1)).toEqual(['sleep', '30']);
    expect(readProcessArgv(2 ** 22 + 1)).toEqual([]);
  });
});
