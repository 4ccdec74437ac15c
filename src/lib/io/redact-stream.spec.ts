import type { Redact } from '../redact/redact';
import { makeRedactor } from '../test-support/make-redactor';
import { createRedactStream } from './redact-stream';

const SECRET = 'HRKU-supersecretvalue-0123456789';
// A plain function: the stream can only cut after line breaks (and bound a long line).
const mask = (text: string) => text.split(SECRET).join('***');
const KEY = 'sk-live-9d8c7b6a5f4e';
const PEM =
  '-----BEGIN TEST KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcN\nLYLInFEX6Ppy1tPf9Cnzj4p4WGeK\n-----END TEST KEY-----';
const redactor = makeRedactor(['KEY', 'PEM'], { KEY, PEM });

// Writes chunks (with optional pauses) and collects what comes out, in order.
async function pass(
  chunks: (string | Buffer | number)[],
  options = {},
  redact: Redact = mask,
): Promise<string[]> {
  const stream = createRedactStream(redact, options);
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

  it('masks a value whose pieces come with a quiet moment between them', async () => {
    const out = await pass(
      [`key=${KEY.slice(0, 8)}`, 100, `${KEY.slice(8)}\n`],
      { holdMs: 20 },
      redactor,
    );
    expect(out).toEqual(['key=', '***\n']);
  });

  it('masks a multi-line value whose lines come in separate reads', async () => {
    const [first, second, rest] = [PEM.slice(0, 30), PEM.slice(30, 60), PEM.slice(60)];
    const out = await pass(
      ['key:\n', first, 100, second, 100, `${rest}\nok\n`],
      { holdMs: 20 },
      redactor,
    );
    expect(out.join('')).toBe('key:\n***\nok\n');
    expect(out[0]).toBe('key:\n');
  });

  it('shows what it held once more output shows it is no secret', async () => {
    const out = await pass(['key=sk-li', 100, 'ghtly', 100, ' done\n'], { holdMs: 20 }, redactor);
    expect(out).toEqual(['key=', 'sk-lightly', ' done\n']);
  });

  it('shows a quiet line whole when nothing in it can start a secret', async () => {
    const out = await pass(
      ['Downloading 45%', 100, '\rDownloading 46%\n'],
      { holdMs: 20 },
      redactor,
    );
    expect(out).toEqual(['Downloading 45%', '\rDownloading 46%\n']);
  });

  it('never splits a UTF-8 character', async () => {
    const bytes = Buffer.from('é\n', 'utf8');
    const out = await pass([bytes.subarray(0, 1), bytes.subarray(1)]);
    expect(out.join('')).toBe('é\n');
  });
});
