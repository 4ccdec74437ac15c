import { createRedactStream } from './redact-stream';

const SECRET = 'HRKU-supersecretvalue-0123456789';
const mask = (text: string) => text.split(SECRET).join('***');

// Writes chunks (with optional pauses) and collects what comes out, in order.
async function pass(chunks: (string | Buffer | number)[], options = {}): Promise<string[]> {
  const stream = createRedactStream(mask, options);
  const out: string[] = [];
  stream.on('data', (chunk: Buffer) => out.push(chunk.toString('utf8')));
  for (const chunk of chunks) {
    if (typeof chunk === 'number') await new Promise((resolve) => setTimeout(resolve, chunk));
    else stream.write(chunk);
  }
  stream.end();
  await new Promise((resolve) => stream.on('end', resolve));
  return out;
}

describe('createRedactStream', () => {
  it('masks a secret split across chunks', async () => {
    const out = await pass([`key=${SECRET.slice(0, 10)}`, `${SECRET.slice(10)}\nnext\n`]);
    expect(out.join('')).toBe('key=***\nnext\n');
  });

  it('passes complete lines at once and holds back only the open one', async () => {
    const out = await pass(['one\ntwo\nthr', 'ee\n']);
    expect(out).toEqual(['one\ntwo\n', 'three\n']);
  });

  it('flushes an open line after a quiet moment (progress output)', async () => {
    const out = await pass(['Migrating... ', 100, 'done\n'], { holdMs: 20 });
    expect(out).toEqual(['Migrating... ', 'done\n']);
  });

  it('passes carriage-return progress lines on as they come', async () => {
    const out = await pass(['10%\r', '20%\r', '100%\n']);
    expect(out).toEqual(['10%\r', '20%\r', '100%\n']);
  });

  it('bounds an endless line, keeping enough back to mask a secret across the cut', async () => {
    const long = 'x'.repeat(5000);
    const out = await pass([long, SECRET.slice(0, 5), `${SECRET.slice(5)}y`], {
      maxLineBytes: 4096,
      keepBytes: 64,
    });
    expect(out.join('')).toBe(`${long}***y`);
    expect(out.length).toBeGreaterThan(1);
  });

  it('never splits a UTF-8 character', async () => {
    const bytes = Buffer.from('é\n', 'utf8');
    const out = await pass([bytes.subarray(0, 1), bytes.subarray(1)]);
    expect(out.join('')).toBe('é\n');
  });
});
