import { buildComposeExec, type DockerComposeSettings } from './docker-compose';
import { buildPostDeployFor, describeDevopsProblems } from './test-support/resolve-for-test';

const target = { app: 'shop-qa', env: 'qa', releaseId: 'a1b2c3d' } as const;
const base = {
  platform: 'docker-compose',
  qa_app: 'shop-qa',
  prod_app: 'shop',
  post_deploy_cmd: 'bin/rails db:migrate',
};
const PREFIX = 'Invalid configuration for shop:release-prepare';

describe('buildComposeExec: -- before the service (compose stops parsing flags at it), tokens as argv', () => {
  it.each<[string, Partial<DockerComposeSettings>, readonly string[], readonly string[]]>([
    [
      'service and project',
      {},
      ['bin/rails', 'db:migrate'],
      [
        'docker',
        'compose',
        '--project-name=shop-qa',
        'exec',
        '-T',
        '--',
        'web',
        'bin/rails',
        'db:migrate',
      ],
    ],
    [
      'compose files in order',
      { file: ['docker-compose.yml', 'docker-compose.prod.yml'] },
      ['bin/rails', 'db:migrate'],
      [
        'docker',
        'compose',
        '--file=docker-compose.yml',
        '--file=docker-compose.prod.yml',
        '--project-name=shop-qa',
        'exec',
        '-T',
        '--',
        'web',
        'bin/rails',
        'db:migrate',
      ],
    ],
    [
      'hostile tokens stay separate words after the service',
      {},
      ['./migrate', "it's", '$HOME', '--project-name=other', '--', 'a;b', '*', '`id`'],
      [
        'docker',
        'compose',
        '--project-name=shop-qa',
        'exec',
        '-T',
        '--',
        'web',
        './migrate',
        "it's",
        '$HOME',
        '--project-name=other',
        '--',
        'a;b',
        '*',
        '`id`',
      ],
    ],
  ])('%s', (_name, settings, tokens, argv) => {
    const command = buildComposeExec(
      target,
      { service: 'web', project: 'shop-qa', ...settings } as DockerComposeSettings,
      tokens,
    );
    expect(command).toEqual({ argv });
  });
});

describe('docker-compose through the resolver', () => {
  it.each<[string, Record<string, unknown>, 'qa' | 'prod', readonly string[]]>([
    [
      'the project is the app by default',
      { 'docker-compose': { service: 'web' } },
      'prod',
      [
        'docker',
        'compose',
        '--project-name=shop',
        'exec',
        '-T',
        '--',
        'web',
        'bin/rails',
        'db:migrate',
      ],
    ],
    [
      'one file as a string, a project per environment',
      {
        'docker-compose': {
          service: 'web',
          file: 'deploy/compose.{env}.yml',
          project: { qa: 'shop-staging', prod: 'shop-live' },
        },
      },
      'qa',
      [
        'docker',
        'compose',
        '--file=deploy/compose.qa.yml',
        '--project-name=shop-staging',
        'exec',
        '-T',
        '--',
        'web',
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

describe('docker-compose configuration errors', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'no block',
      {},
      `${PREFIX}: devops.docker-compose is required when devops.platform is docker-compose. Add "docker-compose": { "service": "web" }.`,
    ],
    [
      'no service',
      { 'docker-compose': { file: 'compose.yml' } },
      `${PREFIX}: devops.docker-compose.service is required. Set it, e.g. "service": "web".`,
    ],
    [
      'service that looks like a flag',
      { 'docker-compose': { service: '--privileged' } },
      `${PREFIX}: devops.docker-compose.service "--privileged" is not a valid Compose service name. Use the service name from your compose file (letters, digits, dots, dashes and underscores, starting with a letter or digit).`,
    ],
    [
      'app name that is not a Compose project name',
      { qa_app: 'Shop QA', 'docker-compose': { service: 'web' } },
      `${PREFIX}: devops.qa_app "Shop QA" is not a valid Docker Compose app name. Use up to 63 lowercase letters, digits, dashes and underscores, starting with a letter or digit.`,
    ],
    [
      'file that looks like a flag',
      { 'docker-compose': { service: 'web', file: ['compose.yml', '-p=other'] } },
      `${PREFIX}: devops.docker-compose.file[1] "-p=other" is not a valid compose file path. Give the path of the compose file, relative to the workspace root, e.g. "docker-compose.prod.yml".`,
    ],
    [
      'file of the wrong type',
      { 'docker-compose': { service: 'web', file: ['compose.yml', 5] } },
      `${PREFIX}: devops.docker-compose.file[1] must be a string, not 5. Set it to a string.`,
    ],
  ])('%s', (_name, block, message) => {
    expect(describeDevopsProblems({ ...base, ...block })).toBe(message);
  });
});
