import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createOverrides } from 'nx/src/utils/command-line-utils';
import { combineOptionsForExecutor } from 'nx/src/utils/params';

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
