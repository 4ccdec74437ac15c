import { StringDecoder } from 'node:string_decoder';
import { Transform } from 'node:stream';

/**
 * A live output stream with secrets masked. Text is passed on up to the last line break
 * (`\n` or `\r`) so that a secret is never split between two redactions; a line still open
 * is held back, and flushed after `holdMs` of quiet (progress bars, prompts) or once it grows
 * past `maxLineBytes` (then all but its last `keepBytes`, which may hold a secret's start).
 */
export function createRedactStream(
  redact: (text: string) => string,
  { holdMs = 150, maxLineBytes = 64 * 1024, keepBytes = 1024 } = {},
): Transform {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let timer: NodeJS.Timeout | undefined;
  const stream: Transform = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      pending += decoder.write(chunk);
      const cut = Math.max(pending.lastIndexOf('\n'), pending.lastIndexOf('\r')) + 1;
      if (cut > 0) emit(cut);
      else if (pending.length > maxLineBytes) emit(pending.length - keepBytes);
      schedule();
      done();
    },
    flush(done) {
      clearTimeout(timer);
      pending += decoder.end();
      emit(pending.length);
      done();
    },
  });
  function emit(length: number): void {
    if (length <= 0) return;
    stream.push(redact(pending.slice(0, length)));
    pending = pending.slice(length);
  }
  function schedule(): void {
    clearTimeout(timer);
    if (pending === '') return;
    timer = setTimeout(() => emit(pending.length), holdMs);
    timer.unref();
  }
  return stream;
}
