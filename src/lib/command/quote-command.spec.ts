import fc from 'fast-check';
import { readArgvWithBash } from '../test-support/bash-argv';
import { HOSTILE_TOKENS, isArgvString } from '../test-support/hostile-tokens';
import { formatCommandLine, quoteArgument, quoteCommandName } from './quote-command';

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
