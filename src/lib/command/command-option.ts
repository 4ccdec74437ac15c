import { z } from 'zod';
import type { ConfigIssue } from '../core/config-issue';
import { checkArgv, type CommandProblem } from './check-argv';
import { splitCommand } from './split-command';

// A command option: one string of shell words, or an argv array taken verbatim.
export const commandSchema = z.union([z.string(), z.array(z.string())], {
  error: 'must be a command string or an array of strings',
});

export type CommandInput = z.infer<typeof commandSchema>;

// The argv of a command option, or undefined with its problem added to `issues` (at `at`).
export function readCommand(
  command: CommandInput,
  at: string,
  issues: ConfigIssue[],
): string[] | undefined {
  const result: { tokens: string[] } | { problem: CommandProblem } =
    typeof command === 'string'
      ? splitCommand(command)
      : ((problem) => (problem ? { problem } : { tokens: [...command] }))(
          checkArgv(command, { allowEmptyArguments: false }),
        );
  if ('problem' in result) {
    issues.push({
      path: at,
      problem:
        result.problem.problem === 'an empty command'
          ? 'is empty'
          : `contains ${result.problem.problem}`,
      fix: result.problem.fix,
    });
    return undefined;
  }
  return result.tokens;
}
