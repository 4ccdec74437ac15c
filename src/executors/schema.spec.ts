import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createOverrides } from 'nx/src/utils/command-line-utils';
import { combineOptionsForExecutor, SchemaError, validateObject } from 'nx/src/utils/params';
import { devopsSchema } from '../lib/config/devops-schema';
import { resolveDevops } from '../lib/config/resolve-devops';
import { ALL_PLATFORM_NAMES } from '../lib/platforms/platforms';

// The executors' schema.json files, checked with Nx's own option handling (nx 24): in batch
// mode a schema error Nx throws is an unhandled rejection with a stack trace, so Nx must accept
// every value and leave the message (project, target, option, fix) to the executor.
const SCHEMAS = Object.fromEntries(
  ['prepare', 'ship'].map((name) => [
    name,
    JSON.parse(readFileSync(path.join(__dirname, name, 'schema.json'), 'utf8')) as Parameters<
      typeof combineOptionsForExecutor
    >[3],
  ]),
);

// How Nx combines a task's options: command-line text parsed as its CLI parses it, over the
// options of project.json.
function combine(
  schema: keyof typeof SCHEMAS,
  args: string[],
  options: Record<string, unknown> = {},
): Record<string, unknown> {
  const target = { executor: `nx-release-deploy:${schema}`, options };
  return combineOptionsForExecutor(
    createOverrides(args),
    '',
    target,
    SCHEMAS[schema] as Parameters<typeof combineOptionsForExecutor>[3],
    'shop',
    '',
  ) as Record<string, unknown>;
}

const VALUES: unknown[] = [
  'x',
  20261201,
  1.5,
  true,
  false,
  null,
  { a: 1 },
  ['a', 'b'],
  [[1]],
  [{}],
];

describe.each(['prepare', 'ship'] as const)('%s schema.json through Nx', (schema) => {
  const properties = Object.keys(SCHEMAS[schema]?.properties ?? {});

  it.each(properties.flatMap((property) => VALUES.map((value) => [property, value])))(
    'accepts %s: %j in project.json, for the executor to judge',
    (property, value) => {
      expect(combine(schema, [], { [property as string]: value })[property as string]).toEqual(
        value,
      );
    },
  );

  it.each<[string[], Record<string, unknown>]>([
    [['--releaseId=20261201'], { releaseId: 20261201 }],
    [['--releaseId=1e5'], { releaseId: 100000 }],
    [['--releaseId'], { releaseId: true }],
    [['--releaseId=r1', '--releaseId=r2'], { releaseId: ['r1', 'r2'] }],
    [['--releaseId=abc,def'], { releaseId: 'abc,def' }],
    [['--releaseId=007'], { releaseId: '007' }],
    [['--dry-run'], { dryRun: true }],
    [['--dryRun=false'], { dryRun: false }],
    [['--resume=maybe'], { resume: 'maybe' }],
    [['--outputPath=out,put'], { outputPath: 'out,put' }],
  ])('takes %j from the command line as %j', (args, expected) => {
    expect(combine(schema, args, { devops: {} })).toMatchObject(expected);
  });

  it('still fills in the defaults', () => {
    expect(combine(schema, [], { devops: {} })).toMatchObject({ dryRun: false, resume: false });
  });
});

describe('ship schema.json through Nx', () => {
  it.each<[string[], Record<string, unknown>]>([
    [['--requirePrepared=false'], { requirePrepared: false }],
    [['--prepareTarget=5'], { prepareTarget: 5 }],
  ])('takes %j from the command line as %j', (args, expected) => {
    expect(combine('ship', args, { devops: {} })).toMatchObject(expected);
  });
});

// devops values the executor refuses, each with one message naming the key and the fix: Nx
// must pass each one on untouched. The flag says whether the documented object alone would trip
// Nx (it has no `required` and no ranges, which zod and the executor check).
const BAD_DEVOPS: [string, Record<string, unknown>, boolean][] = [
  ['an unknown platform', { platform: 'nomad', qa_app: 'shop-qa', prod_app: 'shop' }, true],
  ['a platform in capitals', { platform: 'HEROKU', qa_app: 'shop-qa', prod_app: 'shop' }, true],
  ['no prod_app', { qa_app: 'shop-qa' }, false],
  ['no apps at all', {}, false],
  ['apps of the wrong type', { qa_app: 5, prod_app: ['shop'] }, true],
  ['an unknown key', { qa_app: 'a', prod_app: 'b', post_deploy_cmdd: 'bin/migrate' }, true],
  ['a number as the command', { qa_app: 'a', prod_app: 'b', post_deploy_cmd: 7 }, true],
  ['numbers in an argv', { qa_app: 'a', prod_app: 'b', post_deploy_cmd: [1, 2] }, true],
  ['an object as the command', { qa_app: 'a', prod_app: 'b', post_deploy_cmd: { cmd: 'x' } }, true],
  ['a zero timeout', { qa_app: 'a', prod_app: 'b', post_deploy_timeout: 0 }, false],
  ['a fractional timeout', { qa_app: 'a', prod_app: 'b', post_deploy_timeout: 1.5 }, false],
  ['a timeout over 7 days', { qa_app: 'a', prod_app: 'b', post_deploy_timeout: 1e9 }, false],
  ['a timeout as text', { qa_app: 'a', prod_app: 'b', post_deploy_timeout: '1800' }, true],
  ['a deploy_cmd string', { qa_app: 'a', prod_app: 'b', deploy_cmd: 'git push' }, true],
  ['a deploy_cmd stage', { qa_app: 'a', prod_app: 'b', deploy_cmd: { staging: 'x' } }, true],
  ['a null deploy command', { qa_app: 'a', prod_app: 'b', deploy_cmd: { qa: null } }, true],
  ['a rollback_cmd array', { qa_app: 'a', prod_app: 'b', rollback_cmd: ['heroku', 'rb'] }, true],
  ['a rollback without a deploy', { qa_app: 'a', prod_app: 'b', rollback_cmd: { qa: 'x' } }, false],
  [
    'rollback_on_interrupt as text',
    { qa_app: 'a', prod_app: 'b', rollback_on_interrupt: 'yes' },
    true,
  ],
  ['publish as a string', { qa_app: 'a', prod_app: 'b', publish: 'packages/sdk' }, true],
  [
    'a publish entry without commands',
    { qa_app: 'a', prod_app: 'b', publish: [{ name: 'gem' }] },
    false,
  ],
  ['a number as a publish entry', { qa_app: 'a', prod_app: 'b', publish: [3] }, true],
  [
    'a publish entry with an extra key',
    {
      qa_app: 'a',
      prod_app: 'b',
      publish: [{ name: 'gem', check_cmd: 'x', publish_cmd: 'y', tag: 'next' }],
    },
    true,
  ],
  ['a bad variable name', { qa_app: 'a', prod_app: 'b', redact_env: ['1TOKEN'] }, true],
  ['redact_env as a string', { qa_app: 'a', prod_app: 'b', redact_env: 'TOKEN' }, true],
  [
    'a per-environment value without prod',
    { platform: 'kubernetes', qa_app: 'a', prod_app: 'b', kubernetes: { namespace: { qa: 'x' } } },
    false,
  ],
  [
    'an unknown setting',
    { platform: 'kubernetes', qa_app: 'a', prod_app: 'b', kubernetes: { nmspace: 'x' } },
    true,
  ],
  [
    'a platform block as a string',
    { platform: 'kubernetes', qa_app: 'a', prod_app: 'b', kubernetes: 'x' },
    true,
  ],
  [
    'no docker-compose service',
    { platform: 'docker-compose', qa_app: 'a', prod_app: 'b', 'docker-compose': {} },
    false,
  ],
  [
    'a number as the ssh host',
    { platform: 'ssh', qa_app: 'a', prod_app: 'b', ssh: { host: 7 } },
    true,
  ],
  [
    'a template as a string',
    { platform: 'custom', qa_app: 'a', prod_app: 'b', custom: { argv: 'tool {argv}' } },
    true,
  ],
  [
    'a block of another platform',
    { platform: 'fly', qa_app: 'a', prod_app: 'b', ssh: { host: 'x' } },
    false,
  ],
];

// devops values the executor accepts.
const GOOD_DEVOPS: Record<string, unknown>[] = [
  { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: 'bin/migrate' },
  {
    platform: 'heroku',
    qa_app: 'shop-qa',
    prod_app: 'shop',
    post_deploy_cmd: 'bin/rails db:migrate',
    post_deploy_timeout: 1800,
    deploy_cmd: { qa: 'git push heroku {sha}:main', prod: ['heroku', 'promote', '{prod_app}'] },
    rollback_cmd: { prod: 'heroku rollback --app={app}' },
    rollback_on_interrupt: true,
    publish: ['packages/sdk', { name: 'gem', check_cmd: 'bin/live', publish_cmd: ['bin/push'] }],
    redact_env: ['DATABASE_URL'],
  },
  {
    platform: 'kubernetes',
    qa_app: 'shop-qa',
    prod_app: 'shop',
    post_deploy_cmd: ['bin/migrate'],
    kubernetes: {
      context: { qa: 'staging', prod: 'prod' },
      namespace: 'shop',
      workload: 'deployment/{app}',
    },
  },
  {
    platform: 'docker-compose',
    qa_app: 'shop-qa',
    prod_app: 'shop',
    post_deploy_cmd: 'bin/migrate',
    'docker-compose': { service: 'web', file: ['a.yml', 'b.yml'], project: { qa: 'q', prod: 'p' } },
  },
  {
    platform: 'fly',
    qa_app: 'shop-qa',
    prod_app: 'shop',
    post_deploy_cmd: 'bin/migrate',
    fly: { process_group: 'app', region: 'iad' },
  },
  {
    platform: 'ssh',
    qa_app: 'shop-qa',
    prod_app: 'shop',
    post_deploy_cmd: 'bin/migrate',
    ssh: { host: 'deploy@{app}.example.com', directory: '/srv/{app}' },
  },
  {
    platform: 'custom',
    qa_app: 'shop-qa',
    prod_app: 'shop',
    post_deploy_cmd: 'bin/migrate',
    custom: { argv: { qa: ['tool', '--', '{argv}'], prod: ['tool', '--prod', '--', '{argv}'] } },
  },
];

// Whether Nx's own validator refuses `devops` under `schema` with its SchemaError (an error of
// another kind, such as a $ref it cannot resolve, fails the test).
function tripsNx(devops: unknown, schema: object, definitions: object): boolean {
  type Definitions = Parameters<typeof validateObject>[2];
  try {
    validateObject(
      { devops },
      { properties: { devops: schema } } as Parameters<typeof validateObject>[1],
      definitions as Definitions,
    );
    return false;
  } catch (error) {
    if (error instanceof SchemaError) return true;
    throw error;
  }
}

describe.each(['prepare', 'ship'] as const)('%s schema.json: devops through Nx', (schema) => {
  const { definitions, properties } = SCHEMAS[schema] as unknown as {
    definitions: Record<string, { properties?: Record<string, object> }>;
    properties: Record<string, object>;
  };
  const documented = { $ref: '#/definitions/devops' };

  it.each(BAD_DEVOPS)('passes %s on to the executor, untouched', (_why, devops) => {
    expect('issues' in resolveDevops(devops)).toBe(true);
    expect(combine(schema, [], { devops })['devops']).toEqual(devops);
  });

  it.each<[string[], unknown]>([
    [['--devops.platform=HEROKU'], { platform: 'HEROKU' }],
    [['--devops.post_deploy_timeout=0'], { post_deploy_timeout: 0 }],
    [['--devops.kubernetes.namespace=Shop'], { kubernetes: { namespace: 'Shop' } }],
    [['--devops=fly'], 'fly'],
  ])('passes %j from the command line on as %j', (args, devops) => {
    expect(combine(schema, args, {})['devops']).toEqual(devops);
  });

  it('fills in no default inside devops (a ship override must not replace inherited keys)', () => {
    expect(combine(schema, [], { devops: { qa_app: 'shop-qa' } })['devops']).toEqual({
      qa_app: 'shop-qa',
    });
  });

  it('documents every key zod accepts, with the platforms and defaults the executor uses', () => {
    const keys = definitions['devops']?.properties ?? {};
    expect(Object.keys(keys)).toEqual(Object.keys(devopsSchema.shape));
    expect(keys['platform']).toMatchObject({ enum: ALL_PLATFORM_NAMES, default: 'heroku' });
    expect(keys['rollback_on_interrupt']).toMatchObject({ type: 'boolean', default: false });
  });

  // The documented object has teeth: alone, Nx would throw on these; the "any value"
  // alternative is what leaves them to the executor.
  it.each(BAD_DEVOPS.filter(([, , trips]) => trips))(
    'would trip Nx with the documented object alone: %s',
    (_why, devops) => {
      expect(tripsNx(devops, documented, definitions)).toBe(true);
      expect(tripsNx(devops, properties['devops'] as object, definitions)).toBe(false);
    },
  );

  it.each(GOOD_DEVOPS.map((devops) => [devops]))('agrees with the executor on %j', (devops) => {
    expect(resolveDevops(devops)).not.toHaveProperty('issues');
    expect(tripsNx(devops, documented, definitions)).toBe(false);
  });
});
