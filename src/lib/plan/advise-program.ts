import type { ProgramHint } from '../command/command-spec';

/**
 * How to make a program startable, as one sentence without its full stop: a real run that
 * refuses to start says it, and so does a step whose program disappeared after that check. A
 * program an adapter knows gets the adapter's install hint.
 */
export function adviseProgram(
  program: string,
  state: 'missing' | 'not_executable',
  hints: readonly ProgramHint[],
): string {
  if (state === 'not_executable') {
    return `Make it executable (chmod +x ${program}) and commit the mode (git update-index --chmod=+x ${program}), or run it through its interpreter (e.g. ["node", "${program}"])`;
  }
  if (program.includes('/')) return 'Fix the path, or add the file to the repository';
  const hint = findInstallHint(program, hints);
  return hint ? capitalize(hint) : `Install ${program}, or fix the PATH the executor sees`;
}

// The adapter's install hint for a program, as a clause: "install the Heroku CLI (...) and ...".
export function findInstallHint(
  program: string,
  hints: readonly ProgramHint[],
): string | undefined {
  return hints.find((hint) => hint.name === program)?.install;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
