import { describeDevopsProblems } from './test-support/resolve-for-test';

const base = { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: 'bin/migrate' };
const PREFIX = 'Invalid configuration for shop:release-prepare';
const LONG = 'd'.repeat(131_072);

// Values that pass every platform's own rule but that no started program could receive.
describe('platform settings that could only fail when the command is spawned', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'a NUL in a custom template',
      { platform: 'custom', custom: { argv: ['tool', '--app={app}\u0000x', '--', '{argv}'] } },
      `${PREFIX}: devops.custom.argv[1] contains a NUL character, which no command argument can hold. Remove it.`,
    ],
    [
      'a NUL in the prod template only',
      {
        platform: 'custom',
        custom: { argv: { qa: ['tool', '{cmd}'], prod: ['tool', '{cmd}', '\u0000'] } },
      },
      `${PREFIX}: devops.custom.argv.prod[2] contains a NUL character, which no command argument can hold. Remove it.`,
    ],
    [
      'a custom template element longer than one argument may be',
      { platform: 'custom', custom: { argv: ['tool', LONG, '{argv}'] } },
      `${PREFIX}: devops.custom.argv[1] is 131072 bytes long, longer than one argument of a command may be (131071 bytes on Linux). Shorten it.`,
    ],
    [
      'an ssh.directory of 140 KB',
      {
        platform: 'ssh',
        ssh: { host: 'deploy@{app}.example.com', directory: `/srv/${'d'.repeat(140 * 1024)}` },
      },
      `${PREFIX}: devops.ssh.directory is 143365 bytes long, longer than one argument of a command may be (131071 bytes on Linux). Shorten it.`,
    ],
    [
      'an ssh.directory starting with a NUL (the directory rule lets its first character through)',
      { platform: 'ssh', ssh: { host: 'deploy@{app}.example.com', directory: '\u0000srv' } },
      `${PREFIX}: devops.ssh.directory contains a NUL character, which no command argument can hold. Remove it.`,
    ],
    [
      'a compose file starting with a NUL',
      { platform: 'docker-compose', 'docker-compose': { service: 'web', file: ['\u0000a.yml'] } },
      `${PREFIX}: devops.docker-compose.file[0] contains a NUL character, which no command argument can hold. Remove it.`,
    ],
    [
      'a compose file of multi-byte characters over the limit counted in bytes',
      {
        platform: 'docker-compose',
        'docker-compose': { service: 'web', file: 'é'.repeat(65_536) },
      },
      `${PREFIX}: devops.docker-compose.file is 131072 bytes long, longer than one argument of a command may be (131071 bytes on Linux). Shorten it.`,
    ],
    [
      'a NUL in a kubernetes namespace is named as such, not as a bad name',
      { platform: 'kubernetes', kubernetes: { namespace: 'shop\u0000' } },
      `${PREFIX}: devops.kubernetes.namespace contains a NUL character, which no command argument can hold. Remove it.`,
    ],
    [
      'a NUL in a fly region',
      { platform: 'fly', qa_app: 'shop-qa', fly: { region: { qa: 'iad', prod: '\u0000' } } },
      `${PREFIX}: devops.fly.region.prod contains a NUL character, which no command argument can hold. Remove it.`,
    ],
    [
      'the longest argument there can be is accepted',
      { platform: 'custom', custom: { argv: ['tool', 'd'.repeat(131_071), '{argv}'] } },
      'OK',
    ],
  ])('%s', (_name, devops, message) => {
    expect(describeDevopsProblems({ ...base, ...devops })).toBe(message);
  });
});
