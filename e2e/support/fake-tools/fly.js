/**
 * Stand-in for `fly ssh console` (flyctl). The facts it models, and where they come from:
 * - Flags (internal/command/ssh/console.go, fly.io/docs/flyctl/ssh-console): -a/--app,
 *   -C/--command, -q/--quiet, -r/--region, -g/--process-group, --machine, -s/--select, --pty,
 *   -u/--user, -A/--address, -c/--config, -o/--org, --container; at most one positional (an
 *   address). cobra/pflag: flags anywhere, `--f=v` or `--f v`.
 * - A started machine of the app is picked (filtered by --region and --process-group); none:
 *   "app X has no started VMs." An unknown app: "Error: get app: Could not find App".
 * - The --command string is sent as ONE string in the SSH exec request (ssh/io.go,
 *   sess.Run(cmd)). Fly's in-VM SSH server is not public; flyctl issue #409 shows `&&` not
 *   working there, i.e. no shell. So this stand-in runs the command WITHOUT a shell, split into
 *   words by quote removal only, and refuses a string that a POSIX sh would read differently:
 *   the plugin's strings must mean the same to both.
 * - A PTY is allocated when there is no command, with --pty, or when the command is exactly
 *   sh, /bin/sh, bash or /bin/bash (with a warning).
 * - Exit status: a non-zero remote status comes back as an *ssh.ExitError, wrapped
 *   "ssh shell: Process exited with status N", and internal/cli/cli.go Run returns 1 for any
 *   error: flyctl exits 1, not N. 0 stays 0.
 * Not modelled: WireGuard, the agent, certificates, fly.toml (an app must be given with --app).
 *
 * World (FAKE_TOOLS_STATE .fly): { <app>: { dir, machines: [{ id, region, process_group }] } }.
 */
const {
  fail,
  logCall,
  readWorld,
  readWordsWithSh,
  runArgv,
  splitWords,
} = require('./fake-tool-support');

const VALUE_FLAGS = {
  '-a': 'app',
  '--app': 'app',
  '-C': 'command',
  '--command': 'command',
  '-r': 'region',
  '--region': 'region',
  '-g': 'processGroup',
  '--process-group': 'processGroup',
  '--machine': 'machine',
  '-u': 'user',
  '--user': 'user',
  '-A': 'address',
  '--address': 'address',
  '-c': 'config',
  '--config': 'config',
  '-o': 'org',
  '--org': 'org',
  '--container': 'container',
  '-t': 'token',
  '--access-token': 'token',
};
const BOOL_FLAGS = {
  '-q': 'quiet',
  '--quiet': 'quiet',
  '-s': 'select',
  '--select': 'select',
  '--pty': 'pty',
  '--debug': 'debug',
  '--verbose': 'verbose',
};

const argv = process.argv.slice(2);
const call = { tool: 'fly', argv };
if (argv[0] !== 'ssh' || argv[1] !== 'console')
  fail('fly', 'fake fly: only "fly ssh console" is modelled', 2, call);
const options = {};
const positionals = [];
for (let index = 2; index < argv.length; index += 1) {
  const word = argv[index];
  if (word === '--') {
    positionals.push(...argv.slice(index + 1));
    break;
  }
  if (!word.startsWith('-') || word === '-') {
    positionals.push(word);
    continue;
  }
  const equals = word.startsWith('--') ? word.indexOf('=') : -1;
  const [name, attached] =
    equals === -1 ? [word, undefined] : [word.slice(0, equals), word.slice(equals + 1)];
  if (VALUE_FLAGS[name]) {
    const value = attached ?? argv[(index += 1)];
    if (value === undefined) fail('fly', `Error: flag needs an argument: ${name}`, 1, call);
    options[VALUE_FLAGS[name]] = value;
  } else if (BOOL_FLAGS[name])
    options[BOOL_FLAGS[name]] = attached === undefined ? true : attached === 'true';
  else fail('fly', `Error: unknown flag: ${name}`, 1, call);
}
if (positionals.length > 1)
  fail('fly', `Error: accepts at most 1 arg(s), received ${positionals.length}`, 1, call);
if (!options.app)
  fail(
    'fly',
    'Error: the config for your app is missing an app name, add an app field to the fly.toml file or specify with the -a flag',
    1,
    call,
  );

const world = readWorld('fly').fly ?? {};
const app = world[options.app];
if (!app) fail('fly', `Error: get app: Could not find App "${options.app}"`, 1, call);
let machines = app.machines;
if (options.region) machines = machines.filter((machine) => machine.region === options.region);
if (options.processGroup)
  machines = machines.filter((machine) => machine.process_group === options.processGroup);
const at = {
  app: options.app,
  region: options.region ?? null,
  processGroup: options.processGroup ?? null,
};
if (machines.length === 0)
  fail(
    'fly',
    `Error: app ${options.app} has no started VMs.\nIt may be unhealthy or not have been deployed yet.`,
    1,
    { ...call, at },
  );
const command = options.command ?? '';
if (command === '')
  fail('fly', 'fake fly: an interactive session (no --command) is not modelled', 2, {
    ...call,
    at,
  });
if (['sh', '/bin/sh', 'bash', '/bin/bash'].includes(command)) {
  process.stderr.write('Allocating a pseudo-terminal since the command provided is a shell.\n');
}
const words = splitWords(command);
const bySh = readWordsWithSh(command);
if (!words || !bySh || JSON.stringify(words) !== JSON.stringify(bySh)) {
  fail(
    'fly',
    `fake fly: the command string reads differently without a shell (${JSON.stringify(words)}) and with sh (${JSON.stringify(bySh)})`,
    3,
    { ...call, at },
  );
}
logCall({
  ...call,
  at: { ...at, machine: machines[0].id },
  remote: { string: command, argv: words },
});
const status = runArgv(words, app.dir);
if (status === 'not-found') {
  process.stderr.write(
    `exec: "${words[0]}": executable file not found in $PATH\nError: ssh shell: Process exited with status 127\n`,
  );
  process.exit(1);
}
if (status !== 0) {
  process.stderr.write(`Error: ssh shell: Process exited with status ${status}\n`);
  process.exit(1);
}
process.exit(0);
