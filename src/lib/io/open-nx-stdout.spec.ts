import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, mkdtempSync, openSync, readlinkSync } from 'node:fs';
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
    // The shell opens the FIFO, then moves it to fd 1: wait for the second half.
    await waitFor(() => readLink(`/proc/${holder.pid}/fd/1`) === fifo);
    const stream = openNxStdout(holder.pid ?? -1);
    expect(stream).toBeDefined();
    await new Promise<void>((resolve) => stream?.end('reached the log\n', resolve));
    // Written: the bytes are in the pipe; reading them is the reader's turn.
    if (text === '') await once(reader, 'data');
    expect(text).toBe('reached the log\n');
    reader.destroy();
  }, 20_000);

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

function readLink(file: string): string | undefined {
  try {
    return readlinkSync(file);
  } catch {
    return undefined;
  }
}

// Polls a condition (a loaded machine may take a while), failing clearly after 10 s.
async function waitFor(condition: () => boolean): Promise<void> {
  for (let waited = 0; !condition(); waited += 20) {
    if (waited > 10_000) throw new Error('the condition did not hold within 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
