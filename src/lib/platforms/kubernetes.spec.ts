import { buildKubectlExec, type KubernetesSettings } from './kubernetes';
import { buildPostDeployFor, describeDevopsProblems } from './test-support/resolve-for-test';

const target = { app: 'shop-qa', env: 'qa', releaseId: 'a1b2c3d' } as const;
const base = {
  platform: 'kubernetes',
  qa_app: 'shop-qa',
  prod_app: 'shop',
  post_deploy_cmd: 'bin/rails db:migrate',
};
const PREFIX = 'Invalid configuration for shop:release-prepare';

describe('buildKubectlExec: flags as --flag=value, the workload, then -- and the tokens as argv', () => {
  it.each<[string, Partial<KubernetesSettings>, readonly string[], readonly string[]]>([
    [
      'workload only',
      {},
      ['bin/rails', 'db:migrate'],
      ['kubectl', 'exec', 'deployment/shop-qa', '--', 'bin/rails', 'db:migrate'],
    ],
    [
      'every option',
      { context: 'staging-cluster', namespace: 'shop', container: 'web' },
      ['bin/rails', 'db:migrate'],
      [
        'kubectl',
        'exec',
        '--context=staging-cluster',
        '--namespace=shop',
        '--container=web',
        'deployment/shop-qa',
        '--',
        'bin/rails',
        'db:migrate',
      ],
    ],
    [
      'hostile tokens stay separate words after --',
      { namespace: 'shop' },
      ['./migrate', "it's", '$HOME', '--namespace=other', 'a;b', '*', '`id`', ''],
      [
        'kubectl',
        'exec',
        '--namespace=shop',
        'deployment/shop-qa',
        '--',
        './migrate',
        "it's",
        '$HOME',
        '--namespace=other',
        'a;b',
        '*',
        '`id`',
        '',
      ],
    ],
  ])('%s', (_name, settings, tokens, argv) => {
    const command = buildKubectlExec(
      target,
      { workload: 'deployment/shop-qa', ...settings } as KubernetesSettings,
      tokens,
    );
    expect(command).toEqual({ argv });
  });
});

describe('kubernetes through the resolver', () => {
  it.each<[string, Record<string, unknown>, 'qa' | 'prod', readonly string[]]>([
    [
      'no block: deployment/{app} in the current context and namespace',
      {},
      'prod',
      ['kubectl', 'exec', 'deployment/shop', '--', 'bin/rails', 'db:migrate'],
    ],
    [
      'per-environment context, shared namespace, {app} and {env} filled in',
      {
        kubernetes: {
          context: { qa: 'staging-cluster', prod: 'prod-cluster' },
          namespace: 'shop-{env}',
          workload: 'statefulset/{app}-worker',
          container: 'web',
        },
      },
      'qa',
      [
        'kubectl',
        'exec',
        '--context=staging-cluster',
        '--namespace=shop-qa',
        '--container=web',
        'statefulset/shop-qa-worker',
        '--',
        'bin/rails',
        'db:migrate',
      ],
    ],
    [
      'the same block on prod',
      {
        kubernetes: {
          context: { qa: 'staging-cluster', prod: 'prod-cluster' },
          namespace: 'shop-{env}',
        },
      },
      'prod',
      [
        'kubectl',
        'exec',
        '--context=prod-cluster',
        '--namespace=shop-prod',
        'deployment/shop',
        '--',
        'bin/rails',
        'db:migrate',
      ],
    ],
    [
      'a bare pod name and an EKS-style context',
      {
        kubernetes: {
          workload: 'shop-qa-0',
          context: 'arn:aws:eks:eu-west-1:123456789012:cluster/prod',
        },
      },
      'qa',
      [
        'kubectl',
        'exec',
        '--context=arn:aws:eks:eu-west-1:123456789012:cluster/prod',
        'shop-qa-0',
        '--',
        'bin/rails',
        'db:migrate',
      ],
    ],
  ])('%s', (_name, block, env, argv) => {
    expect(buildPostDeployFor({ ...base, ...block }, env, ['bin/rails', 'db:migrate'])).toEqual({
      argv,
    });
  });
});

describe('kubernetes configuration errors', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'app name that is not a DNS-1123 label',
      { qa_app: 'Shop_QA' },
      `${PREFIX}: devops.qa_app "Shop_QA" is not a valid Kubernetes app name. Use up to 63 lowercase letters, digits and dashes, starting and ending with a letter or digit.`,
    ],
    [
      'namespace with capitals',
      { kubernetes: { namespace: 'Shop' } },
      `${PREFIX}: devops.kubernetes.namespace "Shop" is not a valid Kubernetes namespace. Use up to 63 lowercase letters, digits and dashes, starting and ending with a letter or digit.`,
    ],
    [
      'namespace that looks like a flag',
      { kubernetes: { namespace: '--all-namespaces' } },
      `${PREFIX}: devops.kubernetes.namespace "--all-namespaces" is not a valid Kubernetes namespace. Use up to 63 lowercase letters, digits and dashes, starting and ending with a letter or digit.`,
    ],
    [
      'context that looks like a flag, on prod only',
      { kubernetes: { context: { qa: 'staging', prod: '-v=9' } } },
      `${PREFIX}: devops.kubernetes.context.prod "-v=9" is not a valid kubeconfig context. Use the context name from your kubeconfig (letters, digits and . _ : @ / + -, not starting with a dash).`,
    ],
    [
      'container with an underscore',
      { kubernetes: { container: 'web_1' } },
      `${PREFIX}: devops.kubernetes.container "web_1" is not a valid container name. Use up to 63 lowercase letters, digits and dashes, starting and ending with a letter or digit.`,
    ],
    [
      'workload of an unknown type',
      { kubernetes: { workload: 'cronjob/{app}' } },
      `${PREFIX}: devops.kubernetes.workload "cronjob/shop-qa" (from "cronjob/{app}") is not a valid Kubernetes workload. Use TYPE/NAME such as deployment/{app} or statefulset/shop-qa, or a pod name (lowercase letters, digits, dashes and dots).`,
    ],
    [
      'workload with an unknown placeholder',
      { kubernetes: { workload: 'deployment/{ap}' } },
      `${PREFIX}: devops.kubernetes.workload uses unknown placeholder {ap}. Use only {app}, {env}.`,
    ],
    [
      'a typo in a key',
      { kubernetes: { namespce: 'shop' } },
      `${PREFIX}: devops.kubernetes.namespce is not a known option. Did you mean "namespace"?`,
    ],
    [
      'a per-environment value missing prod',
      { kubernetes: { context: { qa: 'staging' } } },
      `${PREFIX}: devops.kubernetes.context.prod is required. Set it to a string.`,
    ],
    [
      'a per-environment value with a wrong environment',
      { kubernetes: { context: { qa: 'staging', prod: 'prod', production: 'x' } } },
      `${PREFIX}: devops.kubernetes.context.production is not a known option. Remove it (known: qa, prod).`,
    ],
    [
      'a value of the wrong type',
      { kubernetes: { context: 5 } },
      `${PREFIX}: devops.kubernetes.context must be a string, or { "qa": ..., "prod": ... } with one for each environment. See the README for the accepted forms.`,
    ],
    [
      'the block not an object',
      { kubernetes: 'shop' },
      `${PREFIX}: devops.kubernetes must be an object, not "shop". Set it to an object.`,
    ],
  ])('%s', (_name, block, message) => {
    expect(describeDevopsProblems({ ...base, ...block })).toBe(message);
  });
});
