import fc from 'fast-check';
import { readArgvWithBash } from '../test-support/bash-argv';
import {
  HIDDEN_CHARACTER_CASES,
  WHITESPACE_CONTROL_CASES,
} from '../test-support/hidden-characters';
import { checkArgv } from './check-argv';
import { findHiddenCharacter } from './hidden-characters';
import { formatCommandLine } from './quote-command';
import { MAX_COMMAND_LENGTH, splitCommand } from './split-command';

describe('splitCommand', () => {
  it.each([
    ['bin/rails db:migrate', ['bin/rails', 'db:migrate']],
    ['  rake   db:migrate\t', ['rake', 'db:migrate']],
    [`echo 'a b' "c d"`, ['echo', 'a b', 'c d']],
    [`echo 'it'\\''s'`, ['echo', "it's"]],
    [`echo "a\\"b" "\\$x" "\\\\"`, ['echo', 'a"b', '$x', '\\']],
    [`echo "a\\qb"`, ['echo', 'a\\qb']],
    ['echo a\\ b a\\;b', ['echo', 'a b', 'a;b']],
    ['echo a\\*b \\? x\\[y "a*"b\\*', ['echo', 'a*b', '?', 'x[y', 'a*b*']],
    [`echo 'a#b' "$'x'" '*' '~'`, undefined],
    [`echo 'a#b' '*' '~' '{a,b}'`, ['echo', 'a#b', '*', '~', '{a,b}']],
    ['git push {app} {sha}:refs/heads/main', ['git', 'push', '{app}', '{sha}:refs/heads/main']],
    ['echo a~b --opt=value x=y', ['echo', 'a~b', '--opt=value', 'x=y']],
    [`echo '' x`, ['echo', '', 'x']],
    ['echo héllo 日本', ['echo', 'héllo', '日本']],
  ])('splits %j like bash', (text, expected) => {
    const result = splitCommand(text);
    if (expected === undefined) {
      expect(result).toHaveProperty('problem');
      return;
    }
    expect(result).toEqual({ tokens: expected });
    expect(readArgvWithBash(text, expected[0] as string)).toEqual(expected);
  });

  // Each refused construct has its own message, so the user knows what to change.
  it.each([
    ['rake db:migrate; rake seed', 'a shell operator `;` at character 16'],
    ['rake a && rake b', 'a shell operator `&&` at character 8'],
    ['rake a || true', 'a shell operator `||` at character 8'],
    ['rake | tee log', 'a shell operator `|` at character 6'],
    ['rake > log', 'a shell operator `>` at character 6'],
    ['rake 2>&1', 'a shell operator `>&` at character 7'],
    ['rake < input', 'a shell operator `<` at character 6'],
    ['rake &', 'a shell operator `&` at character 6'],
    ['(rake)', 'a shell operator `(` at character 1'],
    ['rm *.log', 'a glob pattern `*` at character 4'],
    ['ls file?', 'a glob pattern `?` at character 8'],
    ['ls [ab]', 'a glob pattern `[` at character 4'],
    ['rake # migrate', 'a comment or unquoted `#` at character 6'],
    ['rake a#b', 'a comment or unquoted `#` at character 7'],
    ['echo $HOME', 'a variable expansion `$` at character 6'],
    ['echo ${HOME}', 'a variable expansion `$` at character 6'],
    ['echo $(whoami)', 'a command substitution `$(...)` at character 6'],
    ['echo "$HOME"', 'a `$` expansion inside double quotes at character 7'],
    ['echo `whoami`', 'a backtick command substitution at character 6'],
    ['echo "`whoami`"', 'a backtick inside double quotes at character 7'],
    ["echo 'unbalanced", "an unbalanced quote (' never closed) at character 6"],
    ['echo "unbalanced', 'an unbalanced quote (" never closed) at character 6'],
    ['echo trailing\\', 'a trailing backslash at character 14'],
    ['rake a\nrake b', 'a line break (one command only) at character 7'],
    ['rake a\\\nb', 'a line continuation (backslash then line break) at character 7'],
    ['ls ~/x', 'a `~` that the shell would expand to a home directory at character 4'],
    ['env A=~/x', 'a `~` that the shell would expand to a home directory at character 7'],
    ['echo {a,b}', 'a brace expansion `{...,...}` at character 6'],
    ['echo {1..3}', 'a brace expansion `{...,...}` at character 6'],
  ])('refuses %j', (text, problem) => {
    expect(splitCommand(text)).toEqual({ problem: expect.objectContaining({ problem }) });
  });

  it.each([
    ['', 'an empty command'],
    ['   \t ', 'an empty command'],
    ["'' rake", 'an empty command name'],
    [
      'RAILS_ENV=production bin/rails db:migrate',
      'an environment assignment `RAILS_ENV=...` before the command',
    ],
    ['time rake', 'the shell keyword `time` as the command'],
    ['! rake', 'the shell keyword `!` as the command'],
    [
      'exec rake',
      'the shell builtin `exec` as the command, which ends a remote shell before it can report the exit status',
    ],
    [
      'exit 3',
      'the shell builtin `exit` as the command, which ends a remote shell before it can report the exit status',
    ],
    [
      'cd apps/shop',
      'the shell builtin `cd` as the command, which does nothing without a shell around it',
    ],
    [
      'eval rake',
      'the shell builtin `eval` as the command, which does nothing without a shell around it',
    ],
    [
      '. bin/setup',
      'the shell builtin `.` as the command, which does nothing without a shell around it',
    ],
    ['%1 rake', 'a command name starting with % (`%1`), which bash reads as a job'],
    ["echo 'a\0b'", 'a control character U+0000 NULL at character 8'],
    ['echo a\0b', 'a control character U+0000 NULL at character 7'],
    ['echo a\\\0b', 'a control character U+0000 NULL at character 8'],
    ['echo \ud800', 'broken Unicode (a lone surrogate) in argument 2'],
  ])('refuses %j as %s', (text, problem) => {
    expect(splitCommand(text)).toEqual({ problem: expect.objectContaining({ problem }) });
  });

  // What a person reviews is what runs: a character that does not show as itself is refused
  // wherever it is, quoted or not, and the message says which one and where.
  describe.each(HIDDEN_CHARACTER_CASES.map((c) => [c.name, c]))(
    'a string holding %s',
    (_name, { char, kind, name, escape }) => {
      const fix = `remove it, or if the command really needs it, give the command as an array of arguments (the dry run then shows it escaped, as $'${escape}')`;
      it.each([
        ['between letters', `echo a${char}b`, 7],
        ['as the command word', `${char}rake db:migrate`, 1],
        ['inside single quotes', `echo 'a${char}b'`, 8],
        ['inside double quotes', `echo "a${char}b"`, 8],
        ['after a backslash', `echo a\\${char}b`, 8],
        ['after an emoji (counted as one character)', `echo 🚀 '${char}'`, 9],
      ])('is refused %s', (_where, text, position) => {
        expect(splitCommand(text)).toEqual({
          problem: { problem: `${kind} ${name} at character ${position}`, fix },
        });
      });
    },
  );

  it.each<[string, string]>([
    ["echo 'a\tb'", 'a control character U+0009 CHARACTER TABULATION at character 8'],
    ['echo "a\tb"', 'a control character U+0009 CHARACTER TABULATION at character 8'],
    ['echo a\\\tb', 'a control character U+0009 CHARACTER TABULATION at character 8'],
    ["echo 'a\nb'", 'a line break U+000A LINE FEED at character 8'],
    ['echo "a\nb"', 'a line break U+000A LINE FEED at character 8'],
    ["echo '\x1b[2J' '\x1b]0;x\x07'", 'a control character U+001B ESCAPE at character 7'],
    ['echo "ok\rmalicious"', 'a control character U+000D CARRIAGE RETURN at character 9'],
  ])('refuses a tab, a line break, ESC or CR inside quotes: %j', (text, problem) => {
    expect(splitCommand(text)).toEqual({ problem: expect.objectContaining({ problem }) });
  });

  it('still splits on a tab between words', () => {
    expect(splitCommand('rake\tdb:migrate')).toEqual({ tokens: ['rake', 'db:migrate'] });
  });

  it('accepts no string whose tokens hold a character that does not show as itself', () => {
    const unit = fc.oneof(
      fc.constantFrom(
        ...[...HIDDEN_CHARACTER_CASES, ...WHITESPACE_CONTROL_CASES].map((c) => c.char),
        ...Array.from(' \'a\\"b-é'),
      ),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
    );
    let accepted = 0;
    fc.assert(
      fc.property(fc.string({ unit, minLength: 1, maxLength: 16 }), (text) => {
        const result = splitCommand(text);
        if ('problem' in result) return;
        accepted += 1;
        expect(result.tokens.filter((token) => findHiddenCharacter(token) !== -1)).toEqual([]);
      }),
      { numRuns: 5000 },
    );
    expect(accepted).toBeGreaterThan(50);
  });

  it('refuses an argv array longer than the limit', () => {
    expect(
      checkArgv(['echo', 'x'.repeat(MAX_COMMAND_LENGTH)], { allowEmptyArguments: false }),
    ).toEqual({
      problem: 'a command of 16390 characters (at most 16384)',
      fix: 'put it in a script in your app and call that script',
    });
  });

  it('gives every refusal a fix', () => {
    const result = splitCommand('rake a && rake b');
    expect(result).toEqual({
      problem: { problem: expect.any(String), fix: expect.stringMatching(/script/) },
    });
  });

  it('refuses a command longer than the limit without scanning it character by character', () => {
    const result = splitCommand(`echo ${'a'.repeat(MAX_COMMAND_LENGTH)}`);
    expect(result).toEqual({
      problem: expect.objectContaining({
        problem: expect.stringMatching(/^a command of 16389 characters \(at most 16384\)$/),
      }),
    });
  });

  /**
   * The parser's promise (README "Commands, quoting and the Heroku CLI"): for any string it either
   * refuses with its own message, or yields exactly the argv bash would build from that text, and
   * those tokens survive the Heroku path unchanged: POSIX-quoted into one argument, which the CLI
   * sends verbatim (one argument is never re-joined), read back by the dyno's bash.
   */
  it('either refuses or agrees with bash, directly and through the Heroku quoting, for generated strings', () => {
    const alphabet = fc.constantFrom(
      ...[
        ' ',
        ' ',
        '\t',
        "'",
        '"',
        '\\',
        '$',
        '`',
        ';',
        '|',
        '&',
        '*',
        '?',
        '[',
        ']',
        '{',
        '}',
        ',',
        '.',
        '#',
      ],
      ...[
        '~',
        '=',
        ':',
        '!',
        '(',
        ')',
        '<',
        '>',
        '\n',
        '\r',
        'a',
        'b',
        'x',
        '-',
        '/',
        'é',
        '\u00a0',
        '\u2028',
        '_',
        '%',
      ],
    );
    let accepted = 0;
    fc.assert(
      fc.property(fc.string({ unit: alphabet, minLength: 1, maxLength: 24 }), (text) => {
        const result = splitCommand(text);
        if ('problem' in result) {
          expect(result.problem.problem.length).toBeGreaterThan(0);
          return;
        }
        accepted += 1;
        const command = result.tokens[0] as string;
        expect(readArgvWithBash(text, command)).toEqual(result.tokens);
        expect(readArgvWithBash(formatCommandLine(result.tokens), command)).toEqual(result.tokens);
      }),
      { numRuns: 2500 },
    );
    expect(accepted).toBeGreaterThan(100);
  });

  it('never throws, whatever the input, and answers with one of its own messages', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 64 }), fc.string({ maxLength: 64 })),
        (text) => {
          const result = splitCommand(text);
          if ('problem' in result) {
            expect(result.problem.problem).toMatch(/^(a|an|the|broken) /);
            expect(result.problem.fix.length).toBeGreaterThan(0);
          } else expect(result.tokens.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 20000 },
    );
  });

  it('refuses a 1 MB command by its length alone', () => {
    const result = splitCommand(`rake ${"'a".repeat(512 * 1024)}`);
    expect(result).toEqual({
      problem: expect.objectContaining({
        problem: 'a command of 1048581 characters (at most 16384)',
      }),
    });
  });
});
