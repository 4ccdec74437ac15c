import { z } from 'zod';
import { PUBLISHERS, publishEntrySchema, readPublishEntry } from './publishers';

describe('readPublishEntry: the shape of an entry chooses its publisher', () => {
  it.each([
    ['a directory goes to npm', 'packages/sdk/', { entry: { kind: 'npm', dir: 'packages/sdk' } }],
    [
      'an object with two commands goes to custom',
      { name: 'shop-gem', check_cmd: 'gem list shop', publish_cmd: ['gem', 'push', 'x.gem'] },
      {
        entry: {
          kind: 'custom',
          name: 'shop-gem',
          check: ['gem', 'list', 'shop'],
          publish: ['gem', 'push', 'x.gem'],
        },
      },
    ],
    [
      'a directory outside the workspace is refused by npm',
      '../elsewhere',
      {
        issues: [
          {
            path: 'devops.publish[0]',
            problem: '"../elsewhere" is not a directory inside the workspace',
            fix: 'give the package directory relative to the workspace root, e.g. "packages/shop-sdk"',
          },
        ],
      },
    ],
    [
      'a bad name and a bad command are refused by custom, each at its key',
      { name: 'shop gem', check_cmd: 'gem list && true', publish_cmd: 'gem push' },
      {
        issues: [
          expect.objectContaining({
            path: 'devops.publish[0].name',
            problem: '"shop gem" is not a valid package name',
          }),
          expect.objectContaining({ path: 'devops.publish[0].check_cmd' }),
        ],
      },
    ],
  ])('%s', (_name, input, expected) => {
    expect(readPublishEntry(input, 'devops.publish[0]')).toEqual(expected);
  });

  it('names every shape in the message refusing an entry of none', () => {
    const parsed = z.array(publishEntrySchema).safeParse([42]);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(
      'must be a package directory or an object { name, check_cmd, publish_cmd }',
    );
  });

  it('lists each publisher under the kind of the entries it reads', () => {
    const inputs = { npm: 'packages/sdk', custom: { name: 'x', check_cmd: 'a', publish_cmd: 'b' } };
    for (const [kind, publisher] of Object.entries(PUBLISHERS)) {
      const read = publisher.readEntry(inputs[kind as keyof typeof inputs], 'at');
      expect('entry' in read && read.entry.kind).toBe(kind);
    }
  });
});
