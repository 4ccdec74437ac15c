import { Writable } from 'node:stream';
import type { Output } from './output';

/**
 * A task's output inside a batch, where many tasks share one process and Nx prints each
 * task's reported `terminalOutput` again when the task ends (and replays it on a cache hit).
 * So a real run streams live (prefixed with the project when tasks run side by side) and
 * reports only its closing line; a dry run streams nothing and reports its whole plan.
 */
export function createTaskOutput(options: { live?: NodeJS.WritableStream; prefix?: string }) {
  const { live, prefix = '' } = options;
  let text = '';
  let last = '';
  let atLineStart = true;
  const forward = (chunk: string, done: () => void) => {
    if (!live) {
      text += chunk;
      done();
      return;
    }
    live.write(prefix ? addPrefix(chunk) : chunk, () => done());
  };
  const addPrefix = (chunk: string) => {
    let out = '';
    for (const piece of chunk.split(/(?<=\n)/)) {
      if (atLineStart && piece !== '') out += prefix;
      out += piece;
      atLineStart = piece.endsWith('\n');
    }
    return out;
  };
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      forward(chunk.toString('utf8'), done);
    },
  });
  const line = (value: string) => {
    stream.write(`${value}\n`);
  };
  // A real run's closing line is not streamed: Nx prints the reported result under the task.
  const close = (value: string) => {
    last = value;
    if (!live) line(value);
  };
  const output: Output = { out: line, err: line, close };
  return {
    output,
    stream,
    // What Nx prints at the end of the task and stores for cache replays.
    report: (): string => (live ? `${last}\n` : text),
  };
}
