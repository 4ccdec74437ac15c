import { StringDecoder } from 'node:string_decoder';
import { Transform } from 'node:stream';
import { createLiveMasker } from '../redact/live-masker';
import type { Redact } from '../redact/redact';

/**
 * A live output stream with secrets masked, whatever the reads that make it up. Complete
 * lines are passed on at once; an open line after `holdMs` of quiet (progress bars, prompts)
 * or once it grows past `maxLineBytes`; in both cases only what could still become a secret
 * (a start of a secret value, a token still open) waits, until more output shows it is none,
 * or the end. See live-masker.ts.
 */
export function createRedactStream(
  redact: Redact,
  { holdMs = 150, maxLineBytes = 64 * 1024, keepBytes = 1024 } = {},
): Transform {
  const decoder = new StringDecoder('utf8');
  const masker = createLiveMasker(redact, { maxLineChars: maxLineBytes, keepChars: keepBytes });
  let timer: NodeJS.Timeout | undefined;
  const stream: Transform = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      clearTimeout(timer);
      show(masker.write(decoder.write(chunk)));
      if (masker.waiting) {
        timer = setTimeout(() => show(masker.settle()), holdMs);
        timer.unref();
      }
      done();
    },
    flush(done) {
      clearTimeout(timer);
      show(masker.end(decoder.end()));
      done();
    },
  });
  function show(text: string): void {
    if (text !== '') stream.push(text);
  }
  return stream;
}
