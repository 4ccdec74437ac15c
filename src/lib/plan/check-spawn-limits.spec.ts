import { formatConfigError } from '../config/format-config-error';
import { makeConfig } from '../test-support/make-config';
import { buildPlan } from './build-plan';
import { checkSpawnLimits } from './check-spawn-limits';
import { MAX_ARGUMENT_BYTES, MAX_SPAWN_BYTES, measureSpawnBytes } from '../command/spawn-limits';

const PREFIX = 'Invalid configuration for shop:release-prepare';

function describeLimits(
  stage: 'prepare' | 'ship',
  devops: Record<string, unknown>,
  env: Record<string, string> = {},
  publish: Parameters<typeof makeConfig>[0]['publish'] = [],
): string {
  const config = makeConfig({ stage, devops, publish });
  const block = ['custom', 'ssh', 'kubernetes', 'docker-compose', 'fly'].find(
    (name) => name === config.devops.platform.name,
  );
  const issues = checkSpawnLimits(buildPlan(config), env, block);
  return issues.length > 0 ? formatConfigError('shop', [{ target: config.target, issues }]) : 'OK';
}

const base = { platform: 'local', qa_app: 'shop-qa', prod_app: 'shop' };
// A {cmd} template makes the quoted command one argument: 16 KiB of `'` is 64 KiB quoted.
// The longest local app name: each {app} becomes 63 characters.
const LONG_APP = 'a'.repeat(63);
const QUOTES = Array.from({ length: 16 }, () => "'".repeat(1000));

describe('checkSpawnLimits: every command of the plan, as the operating system will see it', () => {
  it.each<[string, Record<string, unknown>, Record<string, string>, string]>([
    ['an ordinary plan', { ...base, post_deploy_cmd: 'bin/migrate' }, {}, 'OK'],
    [
      'a {cmd} template whose quoted command and text make one over-long argument',
      {
        ...base,
        platform: 'custom',
        post_deploy_cmd: QUOTES,
        custom: { argv: ['tool', `--command={cmd}${'x'.repeat(67_100)}`] },
      },
      {},
      `${PREFIX}: devops.post_deploy_cmd and devops.custom build the post_deploy command for shop-qa, whose argument 2 is 131157 bytes long, longer than one argument of a command may be (131071 bytes on Linux). Shorten them.`,
    ],
    [
      'an environment that leaves the command no room',
      { ...base, deploy_cmd: { qa: ['deploy', '{app}'] }, post_deploy_cmd: 'bin/migrate' },
      { BIG: 'x'.repeat(MAX_SPAWN_BYTES) },
      `${PREFIX} (2 problems):\n` +
        `  - devops.deploy_cmd.qa builds the deploy command for shop-qa, which takes 1048620 bytes with its environment, more than a command may (1048576 bytes for the arguments and the environment together; one argument at most 131071). Shorten it, or run with a smaller environment.\n` +
        `  - devops.post_deploy_cmd builds the post_deploy command for shop-qa, which takes 1048687 bytes with its environment, more than a command may (1048576 bytes for the arguments and the environment together; one argument at most 131071). Shorten it, or run with a smaller environment.`,
    ],
    [
      'a variable the platform sets replaces the inherited one of that name',
      { ...base, deploy_cmd: { qa: ['deploy', '{app}'] }, post_deploy_cmd: 'bin/migrate' },
      { RELEASE_APP: 'x'.repeat(MAX_SPAWN_BYTES) },
      `${PREFIX}: devops.deploy_cmd.qa builds the deploy command for shop-qa, which takes 1048628 bytes with its environment, more than a command may (1048576 bytes for the arguments and the environment together; one argument at most 131071). Shorten it, or run with a smaller environment.`,
    ],
    [
      'a rollback whose placeholders expand past the limit (the command itself is under 16 KiB)',
      {
        ...base,
        qa_app: LONG_APP,
        post_deploy_cmd: 'bin/migrate',
        deploy_cmd: { qa: ['deploy', '{app}'] },
        rollback_cmd: { qa: ['rollback', '{app}'.repeat(3200)] },
      },
      {},
      `${PREFIX}: devops.rollback_cmd.qa builds the rollback command for ${LONG_APP}, whose argument 2 is 201600 bytes long, longer than one argument of a command may be (131071 bytes on Linux). Shorten it.`,
    ],
  ])('%s', (_name, devops, env, message) => {
    expect(describeLimits('prepare', devops, env)).toBe(message);
  });

  it('names the publish entry a too long publish command comes from', () => {
    const long = 'p'.repeat(MAX_ARGUMENT_BYTES);
    const message = describeLimits('ship', { ...base, post_deploy_cmd: 'bin/migrate' }, {}, [
      { kind: 'npm', dir: 'packages/sdk', name: 'sdk', version: '1.0.0' },
      { kind: 'npm', dir: long, name: 'big', version: '1.0.0' },
    ]);
    expect(message).toBe(
      `Invalid configuration for shop:release-ship: devops.publish[1] builds the publish command of publish:big@1.0.0, whose argument 3 is 131073 bytes long, longer than one argument of a command may be (131071 bytes on Linux). Shorten it.`,
    );
  });

  it('names a NUL in the variables the platform adds', () => {
    const config = makeConfig({ stage: 'prepare', devops: { ...base, post_deploy_cmd: 'x' } });
    const plan = buildPlan(config);
    const step = plan.steps[0];
    if (step?.kind !== 'post_deploy') throw new Error('expected the post_deploy step');
    const poisoned = {
      ...plan,
      steps: [{ ...step, command: { ...step.command, env: { RELEASE_ID: 'a\u0000b' } } }],
    };
    expect(checkSpawnLimits(poisoned, {}, undefined)).toEqual([
      {
        path: 'devops.post_deploy_cmd',
        problem:
          'builds the post_deploy command for shop-qa, whose environment variable RELEASE_ID contains a NUL character, which no command argument can hold',
        fix: 'remove it',
      },
    ]);
  });
});

describe('measureSpawnBytes: what execve copies', () => {
  it.each<[string, string[], Record<string, string | undefined>, number]>([
    ['each string with its NUL and a pointer', ['ab', 'c'], {}, 2 + 1 + 8 + (1 + 1 + 8)],
    ['NAME=value for each variable', ['a'], { X: 'yz' }, 2 + 8 + 5 + 8],
    ['unset variables are not passed', ['a'], { X: undefined }, 2 + 8],
    ['UTF-8 bytes, not characters', ['é'], {}, 3 + 8],
  ])('%s', (_name, argv, env, bytes) => {
    expect(measureSpawnBytes(argv, env)).toBe(bytes);
  });
});
