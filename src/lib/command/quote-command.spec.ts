import fc from 'fast-check';
import { readArgvWithBash, readWordsWithSh } from '../test-support/bash-argv';
import {
  HIDDEN_CHARACTER_CASES,
  WHITESPACE_CONTROL_CASES,
} from '../test-support/hidden-characters';
import { HOSTILE_TOKENS, isArgvString } from '../test-support/hostile-tokens';
import { findHiddenCharacter } from './hidden-characters';
import {
  formatCommandLine,
  formatVisibleCommandLine,
  quoteArgument,
  quoteArgumentVisibly,
  quoteCommandName,
} from './quote-command';

const ALL_HIDDEN = [...HIDDEN_CHARACTER_CASES, ...WHITESPACE_CONTROL_CASES];

describe('quoteArgument', () => {
  it.each([
    ['db:migrate', 'db:migrate'],
    ['bin/rails', 'bin/rails'],
    ['--app=shop-qa', '--app=shop-qa'],
    ['a,b', 'a,b'],
    ['user@host', 'user@host'],
    ['', "''"],
    ['a b', "'a b'"],
    ["it's", "'it'\\''s'"],
    ['$HOME', "'$HOME'"],
    ['~', "'~'"],
    ['héllo', "'héllo'"],
  ])('quotes %j as %s (bare only when nothing needs quoting)', (word, quoted) => {
    expect(quoteArgument(word)).toBe(quoted);
  });

  it('quotes a command word that bash would read as an assignment or keyword', () => {
    expect(quoteCommandName('A=b')).toBe("'A=b'");
    expect(quoteCommandName('if')).toBe("'if'");
    expect(quoteCommandName('rake')).toBe('rake');
    expect(quoteArgument('A=b')).toBe('A=b');
  });
});

describe('formatCommandLine', () => {
  it('prints env assignments before the command', () => {
    expect(
      formatCommandLine(['bin/migrate', 'a b'], { RELEASE_APP: 'shop-qa', RELEASE_ID: "x'y" }),
    ).toBe("RELEASE_APP=shop-qa RELEASE_ID='x'\\''y' bin/migrate 'a b'");
  });

  it.each(HOSTILE_TOKENS.map((token) => [token]))(
    'round-trips the hostile token %j through bash',
    (token) => {
      const argv = ['cmd', token, `x${token}y`];
      expect(readArgvWithBash(formatCommandLine(argv), 'cmd')).toEqual(argv);
    },
  );

  // checkArgv refuses an empty command name and one starting with % (a job to bash, quoted or not).
  it.each(
    HOSTILE_TOKENS.filter((token) => token !== '' && !token.startsWith('%')).map((token) => [
      token,
    ]),
  )('round-trips the hostile token %j in command position', (token) => {
    expect(readArgvWithBash(formatCommandLine([token, 'arg']), token)).toEqual([token, 'arg']);
  });

  // The display contract: pasting the printed line into bash runs exactly that argv.
  it('round-trips generated argv through bash', () => {
    const word = fc.string({ unit: 'binary', maxLength: 12 }).filter(isArgvString);
    const special = fc.string({
      unit: fc.constantFrom(...Array.from(HOSTILE_TOKENS.join(''))),
      maxLength: 8,
    });
    fc.assert(
      fc.property(fc.array(fc.oneof(word, special), { minLength: 1, maxLength: 5 }), (args) => {
        const argv = ['cmd', ...args];
        expect(readArgvWithBash(formatCommandLine(argv), 'cmd')).toEqual(argv);
      }),
      { numRuns: 800 },
    );
  });

  it('round-trips generated command names through bash', () => {
    const name = fc
      .string({ unit: 'binary', minLength: 1, maxLength: 10 })
      .filter((text) => isArgvString(text) && !text.startsWith('%'));
    fc.assert(
      fc.property(name, (command) => {
        expect(readArgvWithBash(formatCommandLine([command, 'x']), command)).toEqual([
          command,
          'x',
        ]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('quoteArgumentVisibly', () => {
  it.each(ALL_HIDDEN.map((c) => [c.name, c]))(
    "writes %s as an escape inside $'...'",
    (_name, { char, escape }) => {
      expect(quoteArgumentVisibly(`a${char}b`)).toBe(`$'a${escape}b'`);
    },
  );

  it.each([
    ['db:migrate', 'db:migrate'],
    ['a b', "'a b'"],
    ["it's", "'it'\\''s'"],
    ['héllo 日本 🚀', "'héllo 日本 🚀'"],
    ["it's\x1b", "$'it\\'s\\e'"],
    ['\\\x1b', "$'\\\\\\e'"],
    ['$HOME `id` "q"\r', '$\'$HOME `id` "q"\\r\''],
    ['\x1b[2J\u202egnp.exe', "$'\\e[2J\\xe2\\x80\\xaegnp.exe'"],
    ['\x1b12', "$'\\e12'"],
    ['\x7fab', "$'\\x7fab'"],
  ])('quotes %j as %s (ANSI-C only when a character would not show)', (word, quoted) => {
    expect(quoteArgumentVisibly(word)).toBe(quoted);
  });
});

describe('formatVisibleCommandLine', () => {
  // The display promise: the line shows every character, and pasted into bash it runs exactly
  // that argv, in a UTF-8 locale and in the C locale alike.
  it.each(ALL_HIDDEN.map((c) => [c.name, c]))(
    'shows %s escaped, as an argument, a command word and an env value, and bash reads it back',
    (_name, { char, escape }) => {
      const argv = [`x${char}`, char, `it's ${char}\\`];
      const line = formatVisibleCommandLine(argv, { RELEASE_NOTE: `n${char}` });
      expect(line).toContain(escape);
      expect(findHiddenCharacter(line)).toBe(-1);
      for (const lang of ['C.UTF-8', 'C']) {
        expect(readArgvWithBash(line, argv[0] as string, { lang, env: ['RELEASE_NOTE'] })).toEqual([
          `n${char}`,
          ...argv,
        ]);
        expect(
          readArgvWithBash(formatVisibleCommandLine(['cmd', ...argv]), 'cmd', { lang }),
        ).toEqual(['cmd', ...argv]);
      }
    },
  );

  it('prints a line without hidden characters that bash reads back as the argv, for generated argv', () => {
    const word = fc.string({
      unit: fc.oneof(
        fc.constantFrom(...ALL_HIDDEN.map((c) => c.char), ...Array.from(HOSTILE_TOKENS.join(''))),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
      ),
      maxLength: 10,
    });
    fc.assert(
      fc.property(
        fc.array(word.filter(isArgvString), { minLength: 1, maxLength: 4 }),
        fc.constantFrom('C.UTF-8', 'C'),
        (args, lang) => {
          const argv = ['cmd', ...args];
          const line = formatVisibleCommandLine(argv);
          expect(findHiddenCharacter(line)).toBe(-1);
          expect(readArgvWithBash(line, 'cmd', { lang })).toEqual(argv);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('is the transport form when nothing is hidden', () => {
    const argv = ['bin/migrate', "it's", 'a b', '$HOME', 'héllo'];
    expect(formatVisibleCommandLine(argv, { A: 'x y' })).toBe(
      formatCommandLine(argv, { A: 'x y' }),
    );
  });
});

// The transport form stays plain single quotes: a remote sh without $'...' (dash) reads it exactly.
describe('formatCommandLine with hidden characters', () => {
  it.each(ALL_HIDDEN.map((c) => [c.name, c]))('keeps %s raw, and sh reads it back', (_name, c) => {
    const tokens = ['cmd', c.char, `it's${c.char}`];
    const line = formatCommandLine(tokens);
    expect(line).toBe(`cmd '${c.char}' 'it'\\''s${c.char}'`);
    expect(readWordsWithSh(line)).toEqual(tokens);
  });

  it("is not $'...', which sh would read differently", () => {
    expect(readWordsWithSh(quoteArgumentVisibly('\x1b'))).toEqual(['$\\e']);
  });
});
