// A reason a command cannot run as given, and how to fix it.
export interface CommandProblem {
  readonly problem: string;
  readonly fix: string;
}

// Words bash reads as syntax when they come first; a command naming one is shell code, not argv.
export const SHELL_KEYWORDS = new Set([
  '!',
  '{',
  '}',
  '[[',
  ']]',
  'case',
  'coproc',
  'do',
  'done',
  'elif',
  'else',
  'esac',
  'fi',
  'for',
  'function',
  'if',
  'in',
  'select',
  'then',
  'time',
  'until',
  'while',
]);

// The longest command accepted, string or argv. On a platform that sends it as one quoted
// shell string, quoting can make it 4 times longer; Linux allows 128 KiB for one argument.
export const MAX_ARGV_LENGTH = 16 * 1024;

// Builtins that end the shell: through `heroku run --exit-code` the status would be lost.
const ENDS_SHELL = new Set(['exec', 'exit', 'logout', 'return']);

// Builtins that only change the shell they run in; there is none here (argv, or one command).
const SHELL_ONLY = new Set([
  'cd',
  'pushd',
  'popd',
  'export',
  'unset',
  'set',
  'shopt',
  'source',
  '.',
  'alias',
  'unalias',
  'eval',
  'trap',
  'umask',
  'ulimit',
  'readonly',
  'declare',
  'typeset',
  'local',
  'builtin',
  'command',
  'hash',
  'wait',
]);

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

// Checks an argv that will be run without a shell on one side and through one on the other.
export function checkArgv(
  argv: readonly string[],
  { allowEmptyArguments }: { allowEmptyArguments: boolean },
): CommandProblem | undefined {
  if (argv.length === 0) return { problem: 'an empty command', fix: 'give the command to run' };
  const first = argv[0] as string;
  if (first === '')
    return { problem: 'an empty command name', fix: 'start with the program to run' };
  if (ASSIGNMENT.test(first)) {
    const name = first.slice(0, first.indexOf('='));
    return {
      problem: `an environment assignment \`${name}=...\` before the command`,
      fix: `start with \`env ${name}=...\`, or set ${name} in the app's environment`,
    };
  }
  if (first.startsWith('%')) {
    return {
      problem: `a command name starting with % (\`${first}\`), which bash reads as a job`,
      fix: 'give the path to the program, e.g. ./' + first,
    };
  }
  if (ENDS_SHELL.has(first)) {
    return {
      problem: `the shell builtin \`${first}\` as the command, which ends a remote shell before it can report the exit status`,
      fix: 'run the program directly, without exec or exit',
    };
  }
  if (SHELL_ONLY.has(first)) {
    return {
      problem: `the shell builtin \`${first}\` as the command, which does nothing without a shell around it`,
      fix: 'run the program itself; for a directory or variables, use a script in your app (or `env NAME=value program`)',
    };
  }
  if (SHELL_KEYWORDS.has(first)) {
    return {
      problem: `the shell keyword \`${first}\` as the command`,
      fix: 'put the shell code in a script in your app',
    };
  }
  const total = argv.reduce((sum, token) => sum + token.length + 1, 0);
  if (total > MAX_ARGV_LENGTH) {
    return {
      problem: `a command of ${total} characters (at most ${MAX_ARGV_LENGTH})`,
      fix: 'put it in a script in your app and call that script',
    };
  }
  for (const [index, token] of argv.entries()) {
    if (token === '' && !allowEmptyArguments) {
      return { problem: `an empty argument at position ${index + 1}`, fix: 'remove it' };
    }
    if (token.includes('\0')) {
      return {
        problem: `a control character U+0000 NULL in argument ${index + 1}`,
        fix: 'remove it: no program can receive a NUL in an argument',
      };
    }
    if (/\p{Cs}/u.test(token)) {
      return {
        problem: `broken Unicode (a lone surrogate) in argument ${index + 1}`,
        fix: 'fix the text encoding',
      };
    }
  }
  return undefined;
}
