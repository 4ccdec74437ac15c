// Where an executor writes: the terminal in production, a buffer in tests.
export interface Output {
  out(text: string): void;
  err(text: string): void;
  // The run's closing line (success, ABORTED, or the error). In a batch it is not streamed but
  // reported as the task's result, which Nx prints once under the task's name.
  close?(text: string, stream: 'out' | 'err'): void;
  // A step's header and its result line, between which a CI log may fold the step's output;
  // `failedOutput` is the tail of a step that stopped the stage, to be shown outside the fold.
  openStep?(header: string): void;
  closeStep?(result: string, failedOutput: string): void;
}

// Writes the closing line where the output wants it.
export function writeClosing(output: Output, text: string, stream: 'out' | 'err'): void {
  if (output.close) output.close(text, stream);
  else output[stream](text);
}

// Writes a step's header: a plain line unless the output folds steps.
export function writeStepHeader(output: Output, header: string): void {
  if (output.openStep) output.openStep(header);
  else output.out(header);
}

// Writes a step's result line; an output that does not fold has already shown `failedOutput`.
export function writeStepResult(output: Output, result: string, failedOutput: string): void {
  if (output.closeStep) output.closeStep(result, failedOutput);
  else output.out(result);
}

// The process's own stdout and stderr, one line per call.
export const processOutput: Output = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};
