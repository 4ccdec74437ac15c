import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// An empty directory, so that a glob the code under test failed to refuse could never match.
const EMPTY_DIR = mkdtempSync(path.join(tmpdir(), 'nxrd-bash-'));

// Builtins and keywords: a first word that bash would run itself instead of as a command.
export const BASH_BUILTINS = new Set(
  spawnSync('bash', ['--norc', '-c', 'compgen -b; compgen -k'], { encoding: 'utf8' })
    .stdout.split('\n')
    .filter(Boolean),
);

/**
 * Asks a real bash what argv a command line produces. The line is run as a command with PATH
 * pointing nowhere, and bash's command_not_found_handle prints the argv it got, so the first
 * word is read in command position too (as an assignment or keyword, if bash sees one). When
 * that cannot work (the expected command is a builtin, or a path, which bash does not look
 * up), the words become arguments of printf instead. Each word comes back NUL-terminated.
 * `lang` is the locale bash runs in (a pasted line must mean the same in a C locale too);
 * the values of the variables named in `env`, as the command sees them, come first.
 */
export function readArgvWithBash(
  line: string,
  expectedCommand: string,
  { lang = 'C.UTF-8', env = [] }: { lang?: string; env?: readonly string[] } = {},
): string[] {
  const asCommand = !BASH_BUILTINS.has(expectedCommand) && !expectedCommand.includes('/');
  const values = env.map((name) => `"$${name}" `).join('');
  const script = asCommand
    ? `command_not_found_handle() { printf '%s\\0' ${values}"$@"; }\nPATH=/nonexistent\n${line}\n`
    : `printf '%s\\0' ${line}\n`;
  const result = spawnSync('bash', ['--norc', '--noprofile', '-c', script], {
    cwd: EMPTY_DIR,
    env: { HOME: '/home/nobody', LANG: lang },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`bash exited ${result.status}: ${result.stderr}`);
  const words = result.stdout.split('\0');
  words.pop();
  return words;
}

/**
 * The words a plain POSIX `sh` (dash on Debian, which has no $'...') makes of `line` after a
 * command name: what a remote login shell that is not bash does with a transport string.
 */
export function readWordsWithSh(line: string): string[] {
  const result = spawnSync('sh', ['-c', `printf '%s\\0' ${line}\n`], {
    cwd: EMPTY_DIR,
    env: { HOME: '/home/nobody', LANG: 'C.UTF-8' },
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`sh exited ${result.status}: ${result.stderr}`);
  const words = result.stdout.split('\0');
  words.pop();
  return words;
}
