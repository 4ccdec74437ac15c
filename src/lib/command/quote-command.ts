import { SHELL_KEYWORDS } from './check-argv';

/**
 * Minimal POSIX quoting: a word made only of characters no shell treats specially is left
 * bare; anything else is wrapped in single quotes, with each ' written as '\''. Inside single
 * quotes every byte is literal (newlines, $, backticks, non-ASCII), so this is exact for any
 * string. The first word is also quoted when bash would read it as an assignment or keyword.
 */
const BARE = /^[A-Za-z0-9_@%+=:,./-]+$/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

// Quotes one argument so that a POSIX shell reads it back as exactly that string.
export function quoteArgument(word: string): string {
  return BARE.test(word) ? word : `'${word.replace(/'/g, "'\\''")}'`;
}

// Quotes the command word, which bash also reads as an assignment or a keyword. (A name that
// starts with % is a job to bash even when quoted; checkArgv refuses it before it gets here.)
export function quoteCommandName(word: string): string {
  const bare = quoteArgument(word);
  const special = ASSIGNMENT.test(word) || SHELL_KEYWORDS.has(word);
  return bare === word && special ? `'${word}'` : bare;
}

// The command line that, pasted into bash, runs exactly `argv` with `env` added.
export function formatCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string>> = {},
): string {
  const assignments = Object.entries(env).map(([name, value]) => `${name}=${quoteArgument(value)}`);
  const words = argv.map((word, index) =>
    index === 0 ? quoteCommandName(word) : quoteArgument(word),
  );
  return [...assignments, ...words].join(' ');
}
