import type { NameRule } from './setting-fields';

/**
 * The names platform settings accept. Each lands in an argv element, most as `--flag=<value>`;
 * none may start with `-`, so even a value a tool would take as a separate word can never be
 * read as an option. The rules are the tools' own naming rules where they have one.
 */

// A rule that is one pattern, which an app name rule (Platform.appName) can reuse.
export interface PatternRule extends NameRule {
  readonly pattern: RegExp;
}

function describePattern(pattern: RegExp, noun: string, rule: string): PatternRule {
  return { pattern, test: (value) => pattern.test(value), noun, rule };
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL_RULE =
  'use up to 63 lowercase letters, digits and dashes, starting and ending with a letter or digit';

// A Kubernetes object name that is a DNS-1123 label (namespaces, containers, apps).
export function describeDnsLabel(noun: string): PatternRule {
  return describePattern(DNS_LABEL, noun, DNS_LABEL_RULE);
}

// Resource types `kubectl exec TYPE/NAME` can pick a pod from (with their short names).
const WORKLOAD_TYPES = new Set([
  'pod',
  'pods',
  'po',
  'deployment',
  'deployments',
  'deploy',
  'statefulset',
  'statefulsets',
  'sts',
  'daemonset',
  'daemonsets',
  'ds',
  'replicaset',
  'replicasets',
  'rs',
  'job',
  'jobs',
  'replicationcontroller',
  'replicationcontrollers',
  'rc',
  'service',
  'services',
  'svc',
]);

// `kubectl exec` target: a pod name, or TYPE/NAME (e.g. deployment/shop-qa).
export const KUBERNETES_WORKLOAD: NameRule = {
  test: (value) => {
    const [type, name, extra] = value.split('/');
    if (extra !== undefined) return false;
    if (name === undefined) return DNS_SUBDOMAIN.test(value);
    return WORKLOAD_TYPES.has(type ?? '') && DNS_SUBDOMAIN.test(name);
  },
  noun: 'Kubernetes workload',
  rule: 'use TYPE/NAME such as deployment/{app} or statefulset/shop-qa, or a pod name (lowercase letters, digits, dashes and dots)',
};

// A kubeconfig context name: free text in kubeconfig, so only what real names use is accepted.
export const KUBECONFIG_CONTEXT = describePattern(
  /^[A-Za-z0-9_][A-Za-z0-9_.:@/+-]{0,252}$/,
  'kubeconfig context',
  'use the context name from your kubeconfig (letters, digits and . _ : @ / + -, not starting with a dash)',
);

// A Compose service name (compose-spec: [a-zA-Z0-9._-]+), not starting with a dash.
export const COMPOSE_SERVICE = describePattern(
  /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/,
  'Compose service name',
  'use the service name from your compose file (letters, digits, dots, dashes and underscores, starting with a letter or digit)',
);

// A Compose project name (compose: lowercase letters, digits, dashes, underscores; starts with a letter or digit).
export const COMPOSE_PROJECT = describePattern(
  /^[a-z0-9][a-z0-9_-]{0,62}$/,
  'Compose project name',
  'use up to 63 lowercase letters, digits, dashes and underscores, starting with a letter or digit',
);

// A compose file path, relative to the workspace root or absolute.
export const COMPOSE_FILE: NameRule = {
  test: (value) => /^[^\s-][^\0\n\r]*$/.test(value) && !/\s$/.test(value),
  noun: 'compose file path',
  rule: 'give the path of the compose file, relative to the workspace root, e.g. "docker-compose.prod.yml"',
};

// A Fly.io app name (lowercase letters, digits and dashes).
export const FLY_APP = describePattern(
  /^[a-z0-9][a-z0-9-]{0,62}$/,
  'Fly.io app name',
  'use up to 63 lowercase letters, digits and dashes, starting with a letter or digit',
);

// A Fly.io process group from fly.toml [processes].
export const FLY_PROCESS_GROUP = describePattern(
  /^[a-z0-9][a-z0-9_-]{0,62}$/,
  'Fly.io process group',
  'use the process group name from fly.toml (lowercase letters, digits, dashes and underscores)',
);

// A Fly.io region code.
export const FLY_REGION = describePattern(
  /^[a-z]{3}$/,
  'Fly.io region',
  'use a three-letter region code, e.g. iad (fly platform regions lists them)',
);

const SSH_USER = '[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}';
const SSH_HOST = '[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?';
const SSH_DESTINATION = new RegExp(`^(?:(${SSH_USER})@)?(${SSH_HOST})(?::([0-9]{1,5}))?$`);

// Splits `[user@]host[:port]`; undefined when it is not one.
export function parseSshDestination(
  value: string,
): { user?: string; host: string; port?: number } | undefined {
  const match = SSH_DESTINATION.exec(value);
  if (!match) return undefined;
  const [, user, host, port] = match;
  if (host === undefined) return undefined;
  if (port !== undefined && (Number(port) < 1 || Number(port) > 65535)) return undefined;
  return {
    ...(user !== undefined && { user }),
    host,
    ...(port !== undefined && { port: Number(port) }),
  };
}

// Where ssh connects: [user@]host[:port], host being a name, an ~/.ssh/config alias or an IPv4 address.
export const SSH_HOST_RULE: NameRule = {
  test: (value) => parseSshDestination(value) !== undefined,
  noun: 'SSH destination',
  rule: 'use [user@]host[:port], e.g. deploy@shop.example.com or deploy@10.0.0.5:2222 (a Host alias from ~/.ssh/config works too)',
};

// The remote working directory: absolute, or relative to the remote home directory.
export const REMOTE_DIRECTORY = describePattern(
  /^[^\s~-][^\0\n\r]*$/,
  'remote directory',
  'give an absolute path such as /srv/shop, or one relative to the remote home directory (no ~)',
);

// An app name where the platform itself sets no rule (ssh, custom): safe in any argv position.
export const GENERIC_APP = describePattern(
  /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/,
  'app name',
  'use up to 63 letters, digits, dots, dashes and underscores, starting with a letter or digit',
);
