/**
 * A lexical pass over a command string that finds the first construct a POSIX shell would
 * treat as more than plain words. shell-quote accepts or silently rewrites several of them
 * (it drops text after `#`, turns `$VAR` into "", splits on no-break spaces, accepts an
 * unbalanced quote), so this pass decides what is refused and shell-quote only splits what
 * is left. The rules follow bash: single quotes are literal; inside double quotes a backslash
 * escapes only $ ` " \ and newline; outside quotes a backslash escapes any character.
 * A character that does not show as itself (a control, a direction override, a zero-width
 * character...) is refused anywhere, inside quotes too, so that the text a person reviews is
 * the command that runs; only a space or a tab between words is whitespace.
 */

import {
  classifyHiddenCharacter,
  describeCharacter,
  findHiddenCharacter,
  isHiddenCharacter,
} from './hidden-characters';
import { escapeCharacter } from './quote-command';

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
  if (char === '\n') {
    return at(
      'a line break (one command only)',
      'put the whole command on one line, or use an array of arguments',
    );
  }
  const hidden = refuseHidden(text, index);
  if (hidden) return hidden;
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
  if (next === '\n') {
    return {
      problem: 'a line continuation (backslash then line break)',
      fix: 'put the whole command on one line',
      index,
    };
  }
  return refuseHidden(text, index + 1) ?? index + 2;
}

function skipSingleQuoted(text: string, start: number): number | CommandRefusal {
  const end = text.indexOf("'", start + 1);
  if (end === -1) return unbalanced("'", start);
  const hidden = findHiddenCharacter(text, start + 1, end);
  return hidden === -1 ? end + 1 : (refuseHidden(text, hidden) as CommandRefusal);
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
    if (char === '\\') {
      const next = text[index + 1];
      if (next === '\n') {
        return {
          problem: 'a line continuation (backslash then line break)',
          fix: 'put the whole command on one line',
          index,
        };
      }
      index += next === '$' || next === '`' || next === '"' || next === '\\' ? 2 : 1;
      continue;
    }
    const hidden = refuseHidden(text, index);
    if (hidden) return hidden;
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

// Refuses the character at `index` when it does not show as itself; a NUL cannot be passed at all.
function refuseHidden(text: string, index: number): CommandRefusal | undefined {
  const code = text.codePointAt(index) ?? 0;
  if (code >= 0x20 && code < 0x7f) return undefined; // printable ASCII, the common case
  const char = String.fromCodePoint(code);
  if (!isHiddenCharacter(char)) return undefined;
  const problem = `${classifyHiddenCharacter(char)} ${describeCharacter(char)}`;
  if (char === '\0') {
    return { problem, fix: 'remove it: no program can receive a NUL in an argument', index };
  }
  return {
    problem,
    fix: `remove it, or if the command really needs it, give the command as an array of arguments (the dry run then shows it escaped, as $'${escapeCharacter(char)}')`,
    index,
  };
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
