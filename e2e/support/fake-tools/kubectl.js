/**
 * Stand-in for `kubectl exec`. The facts it models, and where they come from:
 * - Usage `kubectl exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]`
 *   (kubectl exec --help). Flags are cobra/pflag flags, read anywhere before `--`, as `--f=v`,
 *   `--f v` or `-n v`; `--` ends them and EVERYTHING after it is the command, taken verbatim.
 * - Without `--`, a command after the pod is refused: "error: exec [POD] [COMMAND] is not
 *   supported anymore. Use exec [POD] -- [COMMAND] instead"; no pod: "error: pod, type/name or
 *   --filename must be specified"; an unknown context: "Error in configuration: context was not
 *   found for specified context: X" (all three observed with kubectl v1.32.4).
 * - TYPE/NAME picks a pod of that workload (attachablePodForObject); the command goes to the
 *   container runtime as argv, one `command=` parameter per element: no shell is involved.
 *   (Observed with kubectl v1.32.4 and a loopback API server: `exec --namespace=shop
 *   --container=web shop-qa-0 -- ./migrate "it's" '$HOME' --namespace=other 'a;b'` requested
 *   .../namespaces/shop/pods/shop-qa-0/exec?command=.%2Fmigrate&command=it%27s&command=%24HOME
 *   &command=--namespace%3Dother&command=a%3Bb&container=web&stderr=true&stdout=true.)
 * - Exit status (staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go, checkErr): a remote exit
 *   status N becomes kubectl's own, after "command terminated with exit code N" on stderr; its
 *   own errors exit 1.
 * Not modelled: the API server, RBAC, -i/-t streams, pod readiness. Approximated: the message
 * and status (126) for a command missing in the container.
 *
 * World (FAKE_TOOLS_STATE .kubernetes): { currentContext, contexts: { <context>: { <namespace>:
 * { <type>/<name>: { dir, containers: [..] } } } } } with canonical types (deployment, pod...).
 */
const { fail, logCall, readWorld, runArgv } = require('./fake-tool-support');

const TYPES = {
  po: 'pod',
  pods: 'pod',
  deploy: 'deployment',
  deployments: 'deployment',
  sts: 'statefulset',
  statefulsets: 'statefulset',
  ds: 'daemonset',
  daemonsets: 'daemonset',
  rs: 'replicaset',
  replicasets: 'replicaset',
  jobs: 'job',
};
const VALUE_FLAGS = {
  '--context': 'context',
  '--namespace': 'namespace',
  '-n': 'namespace',
  '--container': 'container',
  '-c': 'container',
  '--pod-running-timeout': 'timeout',
};
const BOOL_FLAGS = new Set(['-i', '--stdin', '-t', '--tty', '-q', '--quiet', '-it', '-ti']);

const argv = process.argv.slice(2);
const call = { tool: 'kubectl', argv };
if (argv[0] !== 'exec') fail('kubectl', 'fake kubectl: only "kubectl exec" is modelled', 2, call);
const options = {};
const positionals = [];
let command;
for (let index = 1; index < argv.length; index += 1) {
  const word = argv[index];
  if (word === '--') {
    command = argv.slice(index + 1);
    break;
  }
  if (!word.startsWith('-') || word === '-') {
    positionals.push(word);
    continue;
  }
  const [name, attached] = word.includes('=')
    ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]
    : [word, undefined];
  if (VALUE_FLAGS[name]) {
    const value = attached ?? argv[(index += 1)];
    if (value === undefined) fail('kubectl', `error: flag needs an argument: ${name}`, 1, call);
    options[VALUE_FLAGS[name]] = value;
  } else if (!BOOL_FLAGS.has(name)) {
    fail('kubectl', `error: unknown flag: ${name}\nSee 'kubectl exec --help' for usage.`, 1, call);
  }
}
if (command === undefined && positionals.length > 1) {
  fail(
    'kubectl',
    "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples",
    1,
    call,
  );
}
if (positionals.length === 0)
  fail('kubectl', 'error: pod, type/name or --filename must be specified', 1, call);
if (positionals.length > 1)
  fail(
    'kubectl',
    `error: exec takes one pod, got ${positionals.length}: ${positionals.join(' ')}`,
    1,
    call,
  );
if (!command || command.length === 0)
  fail('kubectl', 'error: you must specify at least one command for the container', 1, call);

const world = readWorld('kubectl').kubernetes ?? {};
const context = options.context ?? world.currentContext;
const namespaces = world.contexts?.[context];
if (!namespaces)
  fail(
    'kubectl',
    `Error in configuration: context was not found for specified context: ${context}`,
    1,
    call,
  );
const namespace = options.namespace ?? 'default';
const [type, name] = positionals[0].includes('/')
  ? positionals[0].split('/')
  : ['pod', positionals[0]];
const workload = `${TYPES[type] ?? type}/${name}`;
const found = namespaces[namespace]?.[workload];
const at = { context, namespace, workload, container: options.container ?? null };
if (!found)
  fail(
    'kubectl',
    `Error from server (NotFound): ${workload.split('/')[0]}s "${name}" not found`,
    1,
    { ...call, at },
  );
const container = options.container ?? found.containers[0];
if (!found.containers.includes(container)) {
  fail('kubectl', `error: unable to upgrade connection: container not found ("${container}")`, 1, {
    ...call,
    at,
  });
}
logCall({ ...call, at, remote: { argv: command } });
const status = runArgv(command, found.dir);
if (status === 'not-found') {
  process.stderr.write(
    `OCI runtime exec failed: exec failed: unable to start container process: exec: "${command[0]}": executable file not found in $PATH: unknown\ncommand terminated with exit code 126\n`,
  );
  process.exit(126);
}
if (status !== 0) process.stderr.write(`command terminated with exit code ${status}\n`);
process.exit(status);
