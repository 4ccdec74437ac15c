/**
 * A lexical pass over a command string that finds the first construct a POSIX shell would
 * treat as more than plain words. shell-quote accepts or silently rewrites several of them
 * (it drops text after `#`, turns `$VAR` into "", splits on no-break spaces, accepts an
 * unbalanced quote), so this pass decides what is refused and shell-quote only splits what
 * is left. The rules follow bash: single quotes are literal; inside double quotes a backslash
 * escapes only $ ` " \ and newline; outside quotes a backslash escapes any character.
 */

// One reason a command string is not plain shell words, with where it starts.
export interface CommandRefusal {
  readonly problem: string;
  readonly fix: string;
  readonly index: number;
}

const OPERATORS = [
  '&&',
  '||',
  ';;',
  '>>',
  '<<',
  '>&',
  '<&',
  '&>',
  '|&',
  ';',
  '&',
  '|',
  '<',
  '>',
  '(',
  ')',
];
const GLOBS = new Set(['*', '?', '[']);
const QUOTE_IT = "quote it ('...') if it is meant literally";

// Returns the first refused construct of `text`, or undefined when it is plain words.
export function findRefusal(text: string): CommandRefusal | undefined {
  let index = 0;
  let wordStart = true;
  while (index < text.length) {
    const char = text[index] as string;
    if (char === ' ' || char === '\t') {
      wordStart = true;
      index += 1;
      continue;
    }
    const refusal = refusePlainChar(text, index, wordStart);
    if (refusal) return refusal;
    const next = skipWordPart(text, index);
    if (typeof next !== 'number') return next;
    index = next;
    wordStart = false;
  }
  return undefined;
}

function refusePlainChar(
  text: string,
  index: number,
  wordStart: boolean,
): CommandRefusal | undefined {
  const char = text[index] as string;
  const at = (problem: string, fix: string): CommandRefusal => ({ problem, fix, index });
  if (char === '\n' || char === '\r') {
    return at(
      'a line break (one command only)',
      'put the whole command on one line, or use an array of arguments',
    );
  }
  if (char === '$') {
    const next = text[index + 1];
    if (next === '(')
      return at(
        'a command substitution `$(...)`',
        'run that command inside a script in your app instead',
      );
    return at(
      'a variable expansion `$`',
      "set values in the app's environment, or quote a literal dollar sign ('$')",
    );
  }
  if (char === '`')
    return at(
      'a backtick command substitution',
      'run that command inside a script in your app instead',
    );
  if (char === '#') return at('a comment or unquoted `#`', `remove the comment, or ${QUOTE_IT}`);
  const operator = OPERATORS.find((op) => text.startsWith(op, index));
  if (operator) {
    return at(
      `a shell operator \`${operator}\``,
      `put the commands in a script in your app and call that script, or ${QUOTE_IT}`,
    );
  }
  if (GLOBS.has(char)) return at(`a glob pattern \`${char}\``, QUOTE_IT);
  if (char === '~' && (wordStart || text[index - 1] === '=' || text[index - 1] === ':')) {
    return at(
      'a `~` that the shell would expand to a home directory',
      'write the path out, or quote it',
    );
  }
  if (char === '{' && isBraceExpansion(text, index)) {
    return at('a brace expansion `{...,...}`', 'write the words out, or quote the braces');
  }
  if (isInvisible(char)) {
    return at(
      `an invisible character ${describeCodePoint(char)}`,
      'remove it, or quote it if it is meant literally',
    );
  }
  return undefined;
}

// Advances over one unquoted char, an escape, or a whole quoted part; returns the next index.
function skipWordPart(text: string, index: number): number | CommandRefusal {
  const char = text[index];
  if (char === '\\') return skipEscape(text, index);
  if (char === "'") return skipSingleQuoted(text, index);
  if (char === '"') return skipDoubleQuoted(text, index);
  return index + 1;
}

function skipEscape(text: string, index: number): number | CommandRefusal {
  const next = text[index + 1];
  if (next === undefined) {
    return {
      problem: 'a trailing backslash',
      fix: 'remove it, or write \\\\ for a literal backslash',
      index,
    };
  }
  if (next === '\n' || next === '\r') {
    return {
      problem: 'a line continuation (backslash then line break)',
      fix: 'put the whole command on one line',
      index,
    };
  }
  if (next === '\0' || isInvisible(next)) return refuseInvisible(next, index + 1);
  return index + 2;
}

function skipSingleQuoted(text: string, start: number): number | CommandRefusal {
  const end = text.indexOf("'", start + 1);
  if (end === -1) return unbalanced("'", start);
  const nul = text.indexOf('\0', start);
  if (nul !== -1 && nul < end) return refuseInvisible('\0', nul);
  return end + 1;
}

function skipDoubleQuoted(text: string, start: number): number | CommandRefusal {
  let index = start + 1;
  while (index < text.length) {
    const char = text[index];
    if (char === '"') return index + 1;
    if (char === '$' || char === '`') {
      return {
        problem:
          char === '$' ? 'a `$` expansion inside double quotes' : 'a backtick inside double quotes',
        fix: `use single quotes for literal text, or escape it as \\${char}`,
        index,
      };
    }
    if (char === '\0') return refuseInvisible(char, index);
    if (char === '\\') {
      const next = text[index + 1];
      if (next === '\n' || next === '\r') {
        return {
          problem: 'a line continuation (backslash then line break)',
          fix: 'put the whole command on one line',
          index,
        };
      }
      index += next === '$' || next === '`' || next === '"' || next === '\\' ? 2 : 1;
      continue;
    }
    index += 1;
  }
  return unbalanced('"', start);
}

function unbalanced(quote: string, index: number): CommandRefusal {
  return {
    problem: `an unbalanced quote (${quote} never closed)`,
    fix: `close the ${quote}`,
    index,
  };
}

function refuseInvisible(char: string, index: number): CommandRefusal {
  return { problem: `an invisible character ${describeCodePoint(char)}`, fix: 'remove it', index };
}

// bash expands `{a,b}` and `{1..3}` when the comma or `..` is unquoted and inside one word.
function isBraceExpansion(text: string, open: number): boolean {
  let index = open + 1;
  let depth = 1;
  let found = false;
  while (index < text.length) {
    const char = text[index] as string;
    if (char === ' ' || char === '\t' || char === '\n') return false;
    if (char === '\\') index += 2;
    else if (char === "'" || char === '"') {
      const next = char === "'" ? skipSingleQuoted(text, index) : skipDoubleQuoted(text, index);
      if (typeof next !== 'number') return false;
      index = next;
    } else {
      if (char === '{') depth += 1;
      if (char === '}') {
        depth -= 1;
        if (depth === 0) return found;
      }
      if (char === ',' || text.startsWith('..', index)) found = true;
      index += 1;
    }
  }
  return false;
}

// Control characters and Unicode spaces: bash keeps them inside a word, shell-quote splits on some.
function isInvisible(char: string): boolean {
  return (
    /[\p{Cc}\p{Zs}\p{Zl}\p{Zp}\u200B-\u200D\u2060\uFEFF]/u.test(char) &&
    char !== ' ' &&
    char !== '\t'
  );
}

function describeCodePoint(char: string): string {
  const code = (char.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return `U+${code}`;
}
