import type { CommandSpec } from '../command/command-spec';
import { bindSettings } from './bind-settings';
import { describeDnsLabel, KUBECONFIG_CONTEXT, KUBERNETES_WORKLOAD } from './name-rules';
import type { RunTarget } from './platform';
import type { PlatformAdapter } from './platform-adapter';
import type { SettingFields, SettingsOf } from './setting-fields';

const KUBERNETES_APP = describeDnsLabel('Kubernetes app name');

const FIELDS = {
  workload: {
    kind: 'string',
    default: 'deployment/{app}',
    rule: KUBERNETES_WORKLOAD,
    example: '"deployment/{app}"',
    description: 'The workload kubectl exec runs the command in (TYPE/NAME picks one of its pods).',
  },
  namespace: {
    kind: 'string',
    rule: describeDnsLabel('Kubernetes namespace'),
    example: '"shop"',
    description: "The namespace (kubectl --namespace); the kubeconfig's when absent.",
  },
  context: {
    kind: 'string',
    rule: KUBECONFIG_CONTEXT,
    example: '"staging-cluster"',
    description: 'The kubeconfig context (kubectl --context); the current context when absent.',
  },
  container: {
    kind: 'string',
    rule: describeDnsLabel('container name'),
    example: '"web"',
    description: "The container of the pod (kubectl --container); the pod's default when absent.",
  },
} as const satisfies SettingFields;

// Kubernetes settings of one environment, as the argv builder gets them.
export type KubernetesSettings = SettingsOf<typeof FIELDS>;

/**
 * `kubectl exec [--context=C] [--namespace=N] [--container=K] WORKLOAD -- TOKENS...`
 * Everything after `--` is the command, sent as argv to the container runtime (no shell), so the
 * tokens go as they are. kubectl parses flags anywhere before `--`, hence `--flag=value` and
 * names that cannot start with `-`. kubectl exits with the command's status (cmd/util/helpers.go
 * checkErr: a utilexec.ExitError becomes the exit code), 1 for its own errors.
 */
export function buildKubectlExec(
  _target: RunTarget,
  settings: KubernetesSettings,
  tokens: readonly string[],
): CommandSpec {
  const { context, namespace, container, workload } = settings;
  return {
    argv: [
      'kubectl',
      'exec',
      ...(context === undefined ? [] : [`--context=${context}`]),
      ...(namespace === undefined ? [] : [`--namespace=${namespace}`]),
      ...(container === undefined ? [] : [`--container=${container}`]),
      workload,
      '--',
      ...tokens,
    ],
  };
}

// Runs the command in an existing workload of the cluster, with kubectl exec.
export const kubernetesPlatform: PlatformAdapter<typeof FIELDS> = {
  name: 'kubernetes',
  label: 'Kubernetes',
  appName: { pattern: KUBERNETES_APP.pattern, rule: KUBERNETES_APP.rule },
  fields: FIELDS,
  bind: (settings) =>
    bindSettings(
      {
        name: 'kubernetes',
        label: 'Kubernetes',
        remote: 'argv',
        appName: kubernetesPlatform.appName,
        binary: {
          name: 'kubectl',
          install: 'install kubectl (https://kubernetes.io/docs/tasks/tools/) and put it on PATH',
        },
      },
      settings,
      buildKubectlExec,
    ),
};
