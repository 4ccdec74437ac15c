import fc from 'fast-check';
import { readArgvWithBash } from '../test-support/bash-argv';
import { buildSshCommand, type SshSettings } from './ssh';
import { HOSTILE_TOKENS, generateArgv } from '../test-support/hostile-tokens';
import { buildPostDeployFor, describeDevopsProblems } from './test-support/resolve-for-test';

const target = { app: 'shop-qa', env: 'qa', releaseId: 'a1b2c3d' } as const;
const base = {
  platform: 'ssh',
  qa_app: 'shop-qa',
  prod_app: 'shop',
  post_deploy_cmd: 'bin/rails db:migrate',
};
const PREFIX = 'Invalid configuration for shop:release-prepare';

describe('buildSshCommand: -- before the destination, the command as ONE quoted argument', () => {
  it.each<[string, SshSettings, readonly string[], readonly string[]]>([
    [
      'host only',
      { host: 'deploy@shop-qa.example.com', directory: undefined },
      ['bin/rails', 'db:migrate'],
      ['ssh', '-T', '-oBatchMode=yes', '--', 'deploy@shop-qa.example.com', 'bin/rails db:migrate'],
    ],
    [
      'a directory, quoted, before &&',
      { host: 'shop-qa', directory: '/srv/my shop' },
      ['bin/rails', 'db:migrate'],
      [
        'ssh',
        '-T',
        '-oBatchMode=yes',
        '--',
        'shop-qa',
        "cd '/srv/my shop' && bin/rails db:migrate",
      ],
    ],
    [
      'a port: the ssh:// form',
      { host: 'deploy@10.0.0.5:2222', directory: undefined },
      ['bin/rails', 'db:migrate'],
      ['ssh', '-T', '-oBatchMode=yes', '--', 'ssh://deploy@10.0.0.5:2222', 'bin/rails db:migrate'],
    ],
    [
      'a command that starts with -o stays the command',
      { host: 'shop-qa', directory: undefined },
      ['-oProxyCommand=id', '--app=other'],
      ['ssh', '-T', '-oBatchMode=yes', '--', 'shop-qa', '-oProxyCommand=id --app=other'],
    ],
    [
      'hostile tokens quoted into the one string',
      { host: 'shop-qa', directory: undefined },
      ['./migrate', "it's", '$HOME', 'a;b', '*', '`id`'],
      [
        'ssh',
        '-T',
        '-oBatchMode=yes',
        '--',
        'shop-qa',
        "./migrate 'it'\\''s' '$HOME' 'a;b' '*' '`id`'",
      ],
    ],
  ])('%s', (_name, settings, tokens, argv) => {
    expect(buildSshCommand(target, settings, tokens)).toEqual({ argv });
  });

  it('is what the resolver binds: {app} filled in, a host per environment', () => {
    const devops = {
      ...base,
      ssh: {
        host: { qa: 'deploy@staging.example.com', prod: 'deploy@app1.example.com:2200' },
        directory: '/srv/{app}',
      },
    };
    expect(buildPostDeployFor(devops, 'prod', ['bin/rails', 'db:migrate'])).toEqual({
      argv: [
        'ssh',
        '-T',
        '-oBatchMode=yes',
        '--',
        'ssh://deploy@app1.example.com:2200',
        'cd /srv/shop && bin/rails db:migrate',
      ],
    });
  });
});

// The remote string read back by a real bash gives the tokens: the shell-string promise.
describe('the ssh remote string', () => {
  const remoteOf = (tokens: readonly string[], directory?: string) =>
    buildSshCommand(target, { host: 'shop-qa', directory }, tokens).argv.at(-1) ?? '';

  it.each(HOSTILE_TOKENS.map((token) => [token]))('carries %j unchanged through bash', (token) => {
    const tokens = ['cmd', token, `x${token}y`];
    expect(readArgvWithBash(remoteOf(tokens), 'cmd')).toEqual(tokens);
    expect(readArgvWithBash(remoteOf(tokens, '/'), 'cmd')).toEqual(tokens);
  });

  it('carries generated argv unchanged through bash, with and without a directory', () => {
    fc.assert(
      fc.property(generateArgv(), fc.boolean(), (args, inRoot) => {
        const tokens = ['cmd', ...args];
        const remote = remoteOf(tokens, inRoot ? '/' : undefined);
        expect(readArgvWithBash(remote, 'cmd')).toEqual(tokens);
      }),
      { numRuns: 300 },
    );
  });
});

describe('ssh configuration errors', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'no block',
      {},
      `${PREFIX}: devops.ssh is required when devops.platform is ssh. Add "ssh": { "host": "deploy@{app}.example.com" }.`,
    ],
    [
      'no host',
      { ssh: { directory: '/srv/shop' } },
      `${PREFIX}: devops.ssh.host is required. Set it, e.g. "host": "deploy@{app}.example.com".`,
    ],
    [
      'host that looks like an option',
      { ssh: { host: '-oProxyCommand=id' } },
      `${PREFIX}: devops.ssh.host "-oProxyCommand=id" is not a valid SSH destination. Use [user@]host[:port], e.g. deploy@shop.example.com or deploy@10.0.0.5:2222 (a Host alias from ~/.ssh/config works too).`,
    ],
    [
      'port out of range, from a template',
      { ssh: { host: 'deploy@{app}.example.com:99999' } },
      `${PREFIX}: devops.ssh.host "deploy@shop-qa.example.com:99999" (from "deploy@{app}.example.com:99999") is not a valid SSH destination. Use [user@]host[:port], e.g. deploy@shop.example.com or deploy@10.0.0.5:2222 (a Host alias from ~/.ssh/config works too).`,
    ],
    [
      'directory under ~',
      { ssh: { host: 'shop', directory: '~/apps/shop' } },
      `${PREFIX}: devops.ssh.directory "~/apps/shop" is not a valid remote directory. Give an absolute path such as /srv/shop, or one relative to the remote home directory (no ~).`,
    ],
    [
      'directory that looks like an option',
      { ssh: { host: 'shop', directory: '-P' } },
      `${PREFIX}: devops.ssh.directory "-P" is not a valid remote directory. Give an absolute path such as /srv/shop, or one relative to the remote home directory (no ~).`,
    ],
    [
      'a block for another platform',
      { platform: 'fly', ssh: { host: 'shop' } },
      `${PREFIX}: devops.ssh configures the ssh platform, but devops.platform is fly. Set devops.platform to ssh, or remove devops.ssh.`,
    ],
  ])('%s', (_name, block, message) => {
    expect(describeDevopsProblems({ ...base, ...block })).toBe(message);
  });
});
