// Where an executor writes: the terminal in production, a buffer in tests.
export interface Output {
  out(text: string): void;
  err(text: string): void;
  // The run's closing line (success, ABORTED, or the error). In a batch it is not streamed but
  // reported as the task's result, which Nx prints once under the task's name.
  close?(text: string, stream: 'out' | 'err'): void;
}

// Writes the closing line where the output wants it.
export function writeClosing(output: Output, text: string, stream: 'out' | 'err'): void {
  if (output.close) output.close(text, stream);
  else output[stream](text);
}

// The process's own stdout and stderr, one line per call.
export const processOutput: Output = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};
