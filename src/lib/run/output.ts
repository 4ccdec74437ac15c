// Where an executor writes: the terminal in production, a buffer in tests.
export interface Output {
  out(text: string): void;
  err(text: string): void;
}

// The process's own stdout and stderr, one line per call.
export const processOutput: Output = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};
