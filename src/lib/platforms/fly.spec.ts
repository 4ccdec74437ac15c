import fc from 'fast-check';
import { readArgvWithBash } from '../test-support/bash-argv';
import { buildFlySshConsole, type FlySettings } from './fly';
import { HOSTILE_TOKENS, generateArgv } from '../test-support/hostile-tokens';
import { buildPostDeployFor, describeDevopsProblems } from './test-support/resolve-for-test';

const target = { app: 'shop-qa', env: 'qa', releaseId: 'a1b2c3d' } as const;
const base = {
  platform: 'fly',
  qa_app: 'shop-qa',
  prod_app: 'shop',
  post_deploy_cmd: 'bin/rails db:migrate',
};
const PREFIX = 'Invalid configuration for shop:release-prepare';

describe('buildFlySshConsole: --app=, then the command as ONE quoted string in --command=', () => {
  it.each<[string, FlySettings, readonly string[], readonly string[]]>([
    [
      'plain command',
      { process_group: undefined, region: undefined },
      ['bin/rails', 'db:migrate'],
      ['fly', 'ssh', 'console', '--app=shop-qa', '--quiet', '--command=bin/rails db:migrate'],
    ],
    [
      'region and process group',
      { process_group: 'web', region: 'iad' },
      ['bin/rails', 'db:migrate'],
      [
        'fly',
        'ssh',
        'console',
        '--app=shop-qa',
        '--quiet',
        '--region=iad',
        '--process-group=web',
        '--command=bin/rails db:migrate',
      ],
    ],
    [
      'hostile tokens quoted into the one string',
      { process_group: undefined, region: undefined },
      ['./migrate', "it's", '$HOME', '--app=other', 'a;b', '*', '`id`'],
      [
        'fly',
        'ssh',
        'console',
        '--app=shop-qa',
        '--quiet',
        "--command=./migrate 'it'\\''s' '$HOME' --app=other 'a;b' '*' '`id`'",
      ],
    ],
  ])('%s', (_name, settings, tokens, argv) => {
    expect(buildFlySshConsole(target, settings, tokens)).toEqual({ argv });
  });

  it('is what the resolver binds, with per-environment settings', () => {
    const devops = { ...base, fly: { region: { qa: 'ams', prod: 'iad' }, process_group: 'app' } };
    expect(buildPostDeployFor(devops, 'prod', ['bin/rails', 'db:migrate'])).toEqual({
      argv: [
        'fly',
        'ssh',
        'console',
        '--app=shop',
        '--quiet',
        '--region=iad',
        '--process-group=app',
        '--command=bin/rails db:migrate',
      ],
    });
  });
});

// The remote string read back by a real bash gives the tokens: the shell-string promise.
describe('the fly --command string', () => {
  const remoteOf = (tokens: readonly string[]) =>
    (
      buildFlySshConsole(target, { process_group: undefined, region: undefined }, tokens).argv.at(
        -1,
      ) ?? ''
    ).slice('--command='.length);

  it.each(HOSTILE_TOKENS.map((token) => [token]))('carries %j unchanged through bash', (token) => {
    const tokens = ['cmd', token, `x${token}y`];
    expect(readArgvWithBash(remoteOf(tokens), 'cmd')).toEqual(tokens);
  });

  it('carries generated argv unchanged through bash', () => {
    fc.assert(
      fc.property(generateArgv(), (args) => {
        const tokens = ['cmd', ...args];
        expect(readArgvWithBash(remoteOf(tokens), 'cmd')).toEqual(tokens);
      }),
      { numRuns: 300 },
    );
  });
});

describe('fly configuration errors', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'app name with capitals',
      { qa_app: 'Shop-QA' },
      `${PREFIX}: devops.qa_app "Shop-QA" is not a valid Fly.io app name. Use up to 63 lowercase letters, digits and dashes, starting with a letter or digit.`,
    ],
    [
      'app name that looks like a flag',
      { prod_app: '-a' },
      `${PREFIX}: devops.prod_app "-a" is not a valid Fly.io app name. Use up to 63 lowercase letters, digits and dashes, starting with a letter or digit.`,
    ],
    [
      'region that is not a code',
      { fly: { region: 'us-east' } },
      `${PREFIX}: devops.fly.region "us-east" is not a valid Fly.io region. Use a three-letter region code, e.g. iad (fly platform regions lists them).`,
    ],
    [
      'process group that looks like a flag',
      { fly: { process_group: '--select' } },
      `${PREFIX}: devops.fly.process_group "--select" is not a valid Fly.io process group. Use the process group name from fly.toml (lowercase letters, digits, dashes and underscores).`,
    ],
    [
      'an unknown key',
      { fly: { machine: '148ed' } },
      `${PREFIX}: devops.fly.machine is not a known option. Remove it (known: process_group, region).`,
    ],
  ])('%s', (_name, block, message) => {
    expect(describeDevopsProblems({ ...base, ...block })).toBe(message);
  });
});
