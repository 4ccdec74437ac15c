import fc from 'fast-check';

// Tokens a shell (local or remote) or a tool's option parser would read as more than a word,
// or a terminal would show as something else (controls, direction and invisible characters),
// shared by the quoting and the platform tests.
export const HOSTILE_TOKENS: readonly string[] = [
  "it's",
  "'",
  "''",
  '"',
  '"q"',
  '$HOME',
  '${HOME}',
  '$(id)',
  '`id`',
  'a;b',
  ';',
  'a|b',
  '&&',
  '*',
  '?',
  '[a]',
  '{a,b}',
  '~',
  '~/x',
  '#',
  'a #b',
  '\n',
  'a\nb',
  'two\nlines',
  '\t',
  'a\tb',
  ' ',
  '  spaced  ',
  '\\',
  'a\\',
  'back\\slash',
  '!',
  '!x',
  'héllo',
  '日本語',
  '🚀',
  '\u00a0',
  '-',
  '--',
  '--app=other',
  '-oProxyCommand=id',
  '-rf',
  '',
  '=',
  'A=b',
  'if',
  'time',
  '{',
  '}',
  '[[',
  '%1',
  '^x',
  '\r',
  '\x7f',
  '\x1b[2J',
  'ok\rfake',
  '\u202e',
  '\u2066x\u2069',
  '\u200b',
  '\u00ad',
  '\u{e0041}',
  '\x85',
  '\ufe0f',
];

// What an argv element can hold: no NUL, no lone surrogate (both refused before quoting).
export function isArgvString(text: string): boolean {
  return !text.includes('\0') && !/\p{Cs}/u.test(text);
}

// Argument lists mixing any text with runs of the characters shells treat specially.
export function generateArgv(): fc.Arbitrary<string[]> {
  const word = fc.string({ unit: 'binary', maxLength: 12 }).filter(isArgvString);
  const special = fc.string({
    unit: fc.constantFrom(...Array.from(HOSTILE_TOKENS.join(''))),
    maxLength: 8,
  });
  return fc.array(fc.oneof(word, special), { minLength: 1, maxLength: 5 });
}
