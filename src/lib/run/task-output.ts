import { Writable } from 'node:stream';
import { FOLD_END, formatFailedOutput, formatFoldStart } from './format-fold';
import type { Output } from './output';

// A line of the log's own (a fold's start or end), written at the start of a line.
interface LogCommand {
  readonly command: string;
}

/**
 * A task's output inside a batch, where many tasks share one process and Nx prints each
 * task's reported `terminalOutput` again when the task ends (and replays it on a cache hit).
 * So a real run streams live (prefixed with the project when tasks run side by side) and
 * reports only its closing line; a dry run streams nothing and reports its whole plan.
 * When the live stream is the job log itself (GitHub Actions, where Nx prints its copy of the
 * closing line only at the batch's end, inside a fold or not at all), the closing line is
 * streamed too, and a task that runs alone may fold each step: its output between the header
 * and the result line, a failed step's tail shown again below, outside the fold, and every
 * line of the plugin's own on stderr (advice, warnings) outside any fold.
 */
export function createTaskOutput(options: {
  live?: NodeJS.WritableStream;
  prefix?: string;
  closingLive?: boolean;
  foldSteps?: boolean;
}) {
  const { live, prefix = '', closingLive = false, foldSteps = false } = options;
  let text = '';
  let last = '';
  let atLineStart = true;
  let folded = false;
  const forward = (chunk: string | LogCommand, done: () => void) => {
    if (!live) {
      if (typeof chunk === 'string') text += chunk;
      done();
      return;
    }
    const out =
      typeof chunk === 'string' ? addPrefix(chunk) : `${atLineStart ? '' : '\n'}${chunk.command}\n`;
    if (typeof chunk !== 'string') atLineStart = true;
    live.write(out, () => done());
  };
  const addPrefix = (chunk: string) => {
    let out = '';
    for (const piece of chunk.split(/(?<=\n)/)) {
      if (atLineStart && piece !== '') out += prefix;
      out += piece;
      if (piece !== '') atLineStart = piece.endsWith('\n');
    }
    return out;
  };
  const stream = new Writable({
    objectMode: true,
    write(chunk: Buffer | string | LogCommand, _encoding, done) {
      forward(Buffer.isBuffer(chunk) ? chunk.toString('utf8') : chunk, done);
    },
  });
  const line = (value: string) => {
    stream.write(`${value}\n`);
  };
  const endFold = () => {
    if (!folded) return;
    folded = false;
    stream.write({ command: FOLD_END });
  };
  // A real run's closing line is not streamed unless the live stream is the log itself.
  const close = (value: string) => {
    last = value;
    endFold();
    if (!live || closingLive) line(value);
  };
  const output: Output = {
    out: line,
    err: (value) => {
      endFold();
      line(value);
    },
    close,
    ...(live &&
      foldSteps && {
        openStep: (header: string) => {
          endFold();
          folded = true;
          stream.write({ command: formatFoldStart(header) });
        },
        closeStep: (result: string, failedOutput: string) => {
          endFold();
          line(result);
          const shown = formatFailedOutput(failedOutput);
          if (shown) stream.write(shown);
        },
      }),
  };
  return {
    output,
    stream,
    // What Nx prints at the end of the task and stores for cache replays.
    report: (): string => (live ? `${last}\n` : text),
    // Resolves once every line so far has been written to the live stream.
    flush: (): Promise<void> => {
      endFold();
      return new Promise((resolve) => stream.write('', () => resolve()));
    },
  };
}
