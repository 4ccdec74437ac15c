/**
 * Stand-in for `docker compose exec` (Compose v2, the docker CLI plugin). The facts it models,
 * from docker/compose cmd/compose/exec.go:
 * - `docker compose [-f FILE]... [-p PROJECT] exec [OPTIONS] SERVICE COMMAND [ARGS...]`; exec's
 *   flags are parsed with SetInterspersed(false): the first word that is not a flag is SERVICE
 *   and every word after it is the command, verbatim, `--` included. A `--` BEFORE the service
 *   ends the flags (pflag) and is dropped.
 * - `-T`/`--no-tty` turns the pseudo-TTY off; its default is "stdout is not a terminal". With a
 *   TTY and a stdin that is not one, docker refuses: "the input device is not a TTY".
 * - The command goes to the container as argv (RunOptions.Command -> exec create): no shell.
 * - Exit status: runExec returns cli.StatusError{StatusCode: exitCode} and the command calls
 *   os.Exit(StatusCode): the remote status, exactly. Compose's own errors exit 1.
 * - The project name defaults to the working directory's name; -f files are read relative to
 *   the working directory and must exist.
 * Not modelled: the Docker daemon, replicas (--index), -e/-u/-w. Approximated: the message and
 * status (126) for a command missing in the container (docker exec's OCI runtime error).
 *
 * World (FAKE_TOOLS_STATE .compose): { <project>: { <service>: { dir } } }.
 */
const { existsSync } = require('node:fs');
const path = require('node:path');
const { fail, logCall, readWorld, runArgv } = require('./fake-tool-support');

const ROOT_VALUE_FLAGS = {
  '-f': 'file',
  '--file': 'file',
  '-p': 'project',
  '--project-name': 'project',
  '--project-directory': 'directory',
  '--env-file': 'envFile',
  '--profile': 'profile',
  '--ansi': 'ansi',
  '--progress': 'progress',
};
const EXEC_VALUE_FLAGS = new Set(['-e', '--env', '--index', '-u', '--user', '-w', '--workdir']);
const EXEC_BOOL_FLAGS = {
  '-T': 'noTty',
  '--no-tty': 'noTty',
  '--no-TTY': 'noTty',
  '-d': 'detach',
  '--detach': 'detach',
  '-i': 'interactive',
  '--interactive': 'interactive',
  '-t': 'tty',
  '--tty': 'tty',
  '--privileged': 'privileged',
};

const argv = process.argv.slice(2);
const call = { tool: 'docker', argv };
if (argv[0] !== 'compose')
  fail('docker', 'fake docker: only "docker compose exec" is modelled', 2, call);

const root = { file: [] };
let index = 1;
for (; index < argv.length && argv[index].startsWith('-'); index += 1) {
  const word = argv[index];
  const [name, attached] = splitFlag(word);
  const key = ROOT_VALUE_FLAGS[name];
  if (!key) fail('docker', `unknown flag: ${name}`, 1, call);
  const value = attached ?? argv[(index += 1)];
  if (key === 'file') root.file.push(value);
  else root[key] = value;
}
if (argv[index] !== 'exec')
  fail('docker', 'fake docker: only "docker compose exec" is modelled', 2, call);

const exec = {};
let service;
let command = [];
for (index += 1; index < argv.length; index += 1) {
  const word = argv[index];
  if (word === '--') {
    [service, ...command] = argv.slice(index + 1);
    break;
  }
  if (!word.startsWith('-') || word === '-') {
    // SetInterspersed(false): flag parsing stops here, the rest is the command as given.
    [service, ...command] = argv.slice(index);
    break;
  }
  const [name, attached] = splitFlag(word);
  if (EXEC_BOOL_FLAGS[name])
    exec[EXEC_BOOL_FLAGS[name]] = attached === undefined ? true : attached === 'true';
  else if (EXEC_VALUE_FLAGS.has(name)) {
    if (attached === undefined) index += 1;
  } else fail('docker', `unknown flag: ${name}`, 1, call);
}
if (service === undefined || command.length === 0)
  fail('docker', '"docker compose exec" requires at least 2 arguments.', 1, call);

for (const file of root.file) {
  if (!existsSync(path.resolve(file)))
    fail('docker', `open ${path.resolve(file)}: no such file or directory`, 1, call);
}
const project =
  root.project ??
  path
    .basename(process.cwd())
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '');
const at = { project, service, files: root.file };
const noTty = exec.noTty ?? !process.stdout.isTTY;
if (!noTty && !process.stdin.isTTY)
  fail('docker', 'the input device is not a TTY', 1, { ...call, at });
const world = readWorld('docker').compose ?? {};
const found = world[project]?.[service];
if (!found) fail('docker', `service "${service}" is not running`, 1, { ...call, at });
logCall({ ...call, at, remote: { argv: command } });
const status = runArgv(command, found.dir);
if (status === 'not-found') {
  process.stderr.write(
    `OCI runtime exec failed: exec failed: unable to start container process: exec: "${command[0]}": executable file not found in $PATH: unknown\n`,
  );
  process.exit(126);
}
process.exit(status);

function splitFlag(word) {
  const equals = word.indexOf('=');
  return equals === -1 || !word.startsWith('--')
    ? [word, undefined]
    : [word.slice(0, equals), word.slice(equals + 1)];
}
