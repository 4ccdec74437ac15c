/**
 * What the stand-ins of kubectl, docker, fly and ssh share: the "world" they act on (a JSON file
 * named by FAKE_TOOLS_STATE mapping each tool's targets to local directories that play the
 * remote machine), a log of every call (FAKE_TOOLS_LOG, one JSON line each: the argv received,
 * the target resolved, what the remote side ran), running a remote argv WITHOUT a shell, and
 * failing the way the real tool does (message on stderr, exit status).
 */
const { spawnSync } = require('node:child_process');
const { appendFileSync, mkdtempSync, readFileSync, rmSync } = require('node:fs');
const { constants, tmpdir } = require('node:os');
const path = require('node:path');

// The world description, read fresh on every call (tests may change it between runs).
function readWorld(tool) {
  const file = process.env.FAKE_TOOLS_STATE;
  if (!file) fail(tool, `fake ${tool}: FAKE_TOOLS_STATE is not set`, 2);
  return JSON.parse(readFileSync(file, 'utf8'));
}

// Appends one call to the log, so a test can read exactly what each tool received and ran.
function logCall(entry) {
  const file = process.env.FAKE_TOOLS_LOG;
  if (file) appendFileSync(file, `${JSON.stringify(entry)}\n`);
}

// Prints the tool's own message and exits with its status, as the real tool would.
function fail(tool, message, status, entry) {
  if (entry) logCall({ ...entry, failed: message });
  process.stderr.write(`${message}\n`);
  process.exit(status);
}

/**
 * Runs argv in `dir` as a container runtime or exec would: no shell, argv[0] looked up on PATH
 * (or taken as a path when it holds a slash, relative to `dir`), stdio passed through.
 * Returns the exit status, 128+N for a signal, or 'not-found'.
 */
function runArgv(argv, dir) {
  const [file, ...args] = argv;
  const result = spawnSync(file, args, { cwd: dir, stdio: 'inherit', env: process.env });
  if (result.error && result.error.code === 'ENOENT') return 'not-found';
  if (result.error) throw result.error;
  if (result.signal) return 128 + (constants.signals[result.signal] ?? 0);
  return result.status ?? 1;
}

// Runs one command string with `shell -c`, as sshd runs a remote command with the login shell.
function runShellString(shell, command, dir) {
  const result = spawnSync(shell, ['-c', command], {
    cwd: dir,
    stdio: 'inherit',
    env: process.env,
  });
  if (result.error) throw result.error;
  if (result.signal) return 128 + (constants.signals[result.signal] ?? 0);
  return result.status ?? 1;
}

/**
 * Splits a command string into words like a POSIX shell's quote removal, with NO expansion,
 * operators or globbing: blanks separate words; '...' is literal; "..." keeps all but \ before
 * $ ` " \ and newline; a backslash outside quotes takes the next character literally (and
 * drops a backslash-newline). Returns undefined for an unbalanced quote or trailing backslash.
 */
function splitWords(text) {
  const words = [];
  let word = null;
  let index = 0;
  const add = (chars) => {
    word = (word ?? '') + chars;
  };
  while (index < text.length) {
    const char = text[index];
    if (char === ' ' || char === '\t' || char === '\n') {
      if (word !== null) words.push(word);
      word = null;
      index += 1;
    } else if (char === "'") {
      const end = text.indexOf("'", index + 1);
      if (end === -1) return undefined;
      add(text.slice(index + 1, end));
      index = end + 1;
    } else if (char === '"') {
      let end = index + 1;
      let chars = '';
      while (end < text.length && text[end] !== '"') {
        if (text[end] === '\\' && '$`"\\\n'.includes(text[end + 1] ?? '')) {
          if (text[end + 1] !== '\n') chars += text[end + 1];
          end += 2;
        } else {
          chars += text[end];
          end += 1;
        }
      }
      if (end >= text.length) return undefined;
      add(chars);
      index = end + 1;
    } else if (char === '\\') {
      if (index + 1 >= text.length) return undefined;
      if (text[index + 1] !== '\n') add(text[index + 1]);
      index += 2;
    } else {
      add(char);
      index += 1;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

// The words a POSIX sh makes of a command string, as printf arguments so nothing else runs,
// in an empty directory so that an unquoted glob could never match.
function readWordsWithSh(text) {
  const empty = mkdtempSync(path.join(tmpdir(), 'fake-tools-sh-'));
  const result = spawnSync('sh', ['-c', `printf '%s\\0' ${text}`], {
    encoding: 'utf8',
    cwd: empty,
    env: { PATH: process.env.PATH, HOME: '/nonexistent' },
  });
  rmSync(empty, { recursive: true, force: true });
  if (result.status !== 0) return undefined;
  const words = result.stdout.split('\0');
  words.pop();
  return words;
}

module.exports = {
  fail,
  logCall,
  readWorld,
  readWordsWithSh,
  runArgv,
  runShellString,
  splitWords,
};
