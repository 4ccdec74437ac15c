import { SHELL_KEYWORDS } from './check-argv';
import { findHiddenCharacter, isHiddenCharacter } from './hidden-characters';

/**
 * Two quotings. The transport one (quoteArgument, formatCommandLine) builds the string a
 * remote shell runs: minimal POSIX quoting, a word made only of characters no shell treats
 * specially is left bare, anything else is wrapped in single quotes with each ' written as
 * '\''. Inside single quotes every byte is literal, so it is exact for any string in sh, dash
 * and bash alike. The visible one (quoteArgumentVisibly, formatVisibleCommandLine) builds the
 * line a person reads: the same, except that a word holding a character that does not show as
 * itself (ESC, CR, a direction override...) is written in bash's ANSI-C quoting $'...', each
 * such character as an escape, so the line shows what runs and pasting it into bash still
 * gives exactly that argv. The first word is also quoted when bash would read it as an
 * assignment or keyword.
 */
const BARE = /^[A-Za-z0-9_@%+=:,./-]+$/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const NAMED_ESCAPES: Readonly<Record<string, string>> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
  '\x1b': '\\e',
  "'": "\\'",
  '\\': '\\\\',
};

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

// The transport form: the command line that, run by any POSIX shell, runs exactly `argv` with `env`.
export function formatCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string>> = {},
): string {
  return joinWords(argv, env, quoteArgument, quoteCommandName);
}

/**
 * The escape of one character inside $'...': the named escapes bash knows for common
 * controls, else each UTF-8 byte as \xHH. (bash's \uHHHH depends on the locale: under LANG=C
 * bash 5.2 leaves `\u202E` as those six characters, and bash 3.2 has no \u at all.)
 */
export function escapeCharacter(char: string): string {
  return (
    NAMED_ESCAPES[char] ??
    [...Buffer.from(char, 'utf8')]
      .map((byte) => `\\x${byte.toString(16).padStart(2, '0')}`)
      .join('')
  );
}

// Quotes one argument for a person to read: visible escapes when it holds a hidden character.
export function quoteArgumentVisibly(word: string): string {
  return findHiddenCharacter(word) === -1 ? quoteArgument(word) : quoteAnsiC(word);
}

// The visible form of the command word ($'...' is never an assignment or a keyword to bash).
export function quoteCommandNameVisibly(word: string): string {
  return findHiddenCharacter(word) === -1 ? quoteCommandName(word) : quoteAnsiC(word);
}

// The printed form: pasted into bash it runs exactly `argv` with `env`, and it shows every character.
export function formatVisibleCommandLine(
  argv: readonly string[],
  env: Readonly<Record<string, string>> = {},
): string {
  return joinWords(argv, env, quoteArgumentVisibly, quoteCommandNameVisibly);
}

function quoteAnsiC(word: string): string {
  let body = '';
  for (const char of word) {
    body += char === "'" || char === '\\' || isHiddenCharacter(char) ? escapeCharacter(char) : char;
  }
  return `$'${body}'`;
}

function joinWords(
  argv: readonly string[],
  env: Readonly<Record<string, string>>,
  quote: (word: string) => string,
  quoteName: (word: string) => string,
): string {
  const assignments = Object.entries(env).map(([name, value]) => `${name}=${quote(value)}`);
  const words = argv.map((word, index) => (index === 0 ? quoteName(word) : quote(word)));
  return [...assignments, ...words].join(' ');
}
