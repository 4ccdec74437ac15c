import { parse } from 'shell-quote';
import { findRefusal } from './scan-command';
import { checkArgv, MAX_ARGV_LENGTH, type CommandProblem } from './check-argv';

// The longest command string accepted (checked before any scanning, so a huge input costs nothing).
export const MAX_COMMAND_LENGTH = MAX_ARGV_LENGTH;

// The outcome of splitting: the argv, or the one problem that stopped it.
export type SplitResult = { tokens: string[] } | { problem: CommandProblem };

// Splits a command string into argv the way bash would, refusing anything beyond plain words.
export function splitCommand(text: string): SplitResult {
  if (text.length > MAX_COMMAND_LENGTH) {
    return {
      problem: {
        problem: `a command of ${text.length} characters (at most ${MAX_COMMAND_LENGTH})`,
        fix: 'put it in a script in your app and call that script',
      },
    };
  }
  if (text.trim() === '')
    return { problem: { problem: 'an empty command', fix: 'give the command to run' } };
  const refusal = findRefusal(text);
  if (refusal) {
    return {
      problem: {
        problem: `${refusal.problem} at character ${countCharacters(text, refusal.index) + 1}`,
        fix: refusal.fix,
      },
    };
  }
  const tokens = parse(text, refuseVariable).map(readWord);
  if (!tokens.every((token): token is string => typeof token === 'string')) {
    return {
      problem: { problem: 'an unsupported shell construct', fix: 'use an array of arguments' },
    };
  }
  const problem = checkArgv(tokens, { allowEmptyArguments: true });
  return problem ? { problem } : { tokens };
}

// Characters (code points) before a UTF-16 index: an emoji or a tag character counts as one.
function countCharacters(text: string, index: number): number {
  return Array.from(text.slice(0, index)).length;
}

// The scan has already refused every `$`; reaching this means the two disagree, so fail loudly.
function refuseVariable(name: string): never {
  throw new Error(`internal: unexpected variable ${name} after scanning`);
}

/**
 * shell-quote reports a word holding an escaped glob character (`a\*b`) as a glob. The scan
 * has already refused every unquoted glob character, so such a "glob" is a literal word.
 */
function readWord(entry: ReturnType<typeof parse>[number]): string | undefined {
  if (typeof entry === 'string') return entry;
  if ('op' in entry && entry.op === 'glob') return entry.pattern;
  return undefined;
}
