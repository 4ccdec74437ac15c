import fc from 'fast-check';

// Tokens a remote shell or a tool's option parser would read as more than a word.
export const HOSTILE_TOKENS: readonly string[] = [
  "it's",
  "'",
  '"q"',
  '$HOME',
  '${HOME}',
  '$(id)',
  '`id`',
  'a;b',
  'a|b',
  '&&',
  '*',
  '?',
  '[a]',
  '{a,b}',
  '~',
  '#',
  'a #b',
  'two\nlines',
  '\t',
  '  spaced  ',
  '\\',
  'back\\slash',
  '!x',
  'héllo',
  '🚀',
  '-',
  '--',
  '--app=other',
  '-oProxyCommand=id',
  '',
  'A=b',
  'if',
  '%1',
];

// What an argv element can hold: no NUL, no lone surrogate (both refused before quoting).
function isArgvString(text: string): boolean {
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
