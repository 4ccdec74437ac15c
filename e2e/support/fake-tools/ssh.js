/**
 * Stand-in for the OpenSSH client. The facts it models, from OpenSSH's ssh.c (9.x) and ssh(1):
 * - Options are read with getopt("1246ab:c:e:fgi:kl:m:no:p:qstvxAB:CD:E:F:GI:J:KL:MNO:PQ:R:S:TVw:W:XYy"),
 *   which stops at the first non-option (the destination) or at `--`. After the destination,
 *   unless `--` came before it (`opt_terminated`), ssh parses options AGAIN from the next word
 *   (`goto again`): `ssh host -oPort=1` sets the port. (Checked with OpenSSH 9.2p1: `ssh -G host
 *   -oPort=2222` gives port 2222, `ssh -G -- host -oPort=2222` port 22.)
 * - The destination is `[user@]host` (split at the last @) or `ssh://[user@]host[:port]`.
 * - The remaining words are joined with single spaces into ONE command string
 *   (sshbuf_putf "%s%s"), which sshd runs as `<login shell> -c <string>` in the home directory.
 * - Exit status: "ssh exits with the exit status of the remote command or with 255 if an
 *   error occurred" (ssh(1)); an unknown host or a refused port is 255.
 * - -o takes `Keyword=value` (attached `-oX=y` or as the next word); ProxyCommand would run a
 *   local command, so this stand-in refuses it loudly (a test must never reach it).
 * Not modelled: authentication, known hosts, multiplexing, TTY allocation, forwarding.
 *
 * World (FAKE_TOOLS_STATE .ssh): { <host>: { port, home, shell } } (port 22 and /bin/sh by default).
 */
const { fail, logCall, readWorld, runShellString } = require('./fake-tool-support');

const WITH_ARGUMENT = new Set('bcDEeFIiJLlmOopQRSWw'.split(''));

const argv = process.argv.slice(2);
const call = { tool: 'ssh', argv };
const options = { o: {} };
let words = argv;
let destination;
let terminated = false;
for (;;) {
  const parsed = readOptions(words);
  terminated = terminated || parsed.terminated;
  words = parsed.rest;
  if (destination !== undefined || words.length === 0) break;
  destination = words[0];
  words = words.slice(1);
  if (terminated || words.length === 0) break;
}
if (destination === undefined)
  fail(
    'ssh',
    'usage: ssh [-46AaCfGgKkMNnqsTtVvXxYy] ... destination [command [argument ...]]',
    255,
    call,
  );
const target = readDestination(destination);
const port = Number(options.o.port ?? options.p ?? target.port ?? 22);
const user = target.user ?? options.l ?? options.o.user ?? 'runner';
const command = words.join(' ');
const at = {
  host: target.host,
  port,
  user,
  batchMode: options.o.batchmode ?? null,
  tty: options.T ? 'no' : 'auto',
};
if (options.o.proxycommand !== undefined)
  fail(
    'ssh',
    `fake ssh: refusing ProxyCommand=${options.o.proxycommand}: it would run a local command`,
    255,
    { ...call, at },
  );
const host = (readWorld('ssh').ssh ?? {})[target.host];
if (!host)
  fail('ssh', `ssh: Could not resolve hostname ${target.host}: Name or service not known`, 255, {
    ...call,
    at,
  });
if ((host.port ?? 22) !== port)
  fail('ssh', `ssh: connect to host ${target.host} port ${port}: Connection refused`, 255, {
    ...call,
    at,
  });
if (command === '')
  fail('ssh', 'fake ssh: an interactive session (no command) is not modelled', 255, {
    ...call,
    at,
  });
logCall({ ...call, at, remote: { string: command, shell: host.shell ?? '/bin/sh' } });
process.exit(runShellString(host.shell ?? '/bin/sh', command, host.home));

// One getopt pass: options until the first non-option word or `--`.
function readOptions(list) {
  let index = 0;
  while (index < list.length) {
    const word = list[index];
    if (word === '--') return { rest: list.slice(index + 1), terminated: true };
    if (!word.startsWith('-') || word === '-') break;
    for (let at = 1; at < word.length; at += 1) {
      const letter = word[at];
      if (!WITH_ARGUMENT.has(letter)) {
        options[letter] = true;
        continue;
      }
      const value = at + 1 < word.length ? word.slice(at + 1) : list[(index += 1)];
      if (value === undefined) fail('ssh', `option requires an argument -- ${letter}`, 255, call);
      if (letter === 'o') {
        const [keyword, ...rest] = value.split(/[=\s]+/);
        options.o[keyword.toLowerCase()] = rest.join('=');
      } else options[letter] = value;
      break;
    }
    index += 1;
  }
  return { rest: list.slice(index), terminated: false };
}

function readDestination(text) {
  const uri = /^ssh:\/\/(?:([^@/]+)@)?([^:/]+)(?::(\d+))?\/?$/.exec(text);
  if (uri) return { user: uri[1], host: uri[2], port: uri[3] };
  const at = text.lastIndexOf('@');
  return at === -1 ? { host: text } : { user: text.slice(0, at), host: text.slice(at + 1) };
}
