import { digestArgv, verifyArgvDigest } from './digest-argv';

const argv = ['psql', 'postgres://app:s3cret@db/shop', '-c', 'select 1'];

describe('argv digest', () => {
  it('verifies the same argv, and no other (not even the same words joined otherwise)', async () => {
    const digest = await digestArgv(argv);
    expect(digest).toMatch(/^scrypt:N=32768,r=8,p=1:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]{43}$/);
    expect(digest).not.toContain('s3cret');
    expect(await verifyArgvDigest(digest, argv)).toBe(true);
    expect(
      await verifyArgvDigest(digest, [
        ...argv.slice(0, 1),
        'postgres://app:other@db/shop',
        ...argv.slice(2),
      ]),
    ).toBe(false);
    expect(
      await verifyArgvDigest(digest, ['psql postgres://app:s3cret@db/shop', '-c', 'select 1']),
    ).toBe(false);
  });

  it('salts every digest afresh', async () => {
    expect(await digestArgv(argv)).not.toBe(await digestArgv(argv));
  });

  it.each([
    ['not a digest', 'sha256:abc'],
    [
      'N not a power of two',
      'scrypt:N=1000,r=8,p=1:AAAAAAAAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ],
    [
      'more memory than allowed',
      'scrypt:N=1048576,r=8,p=1:AAAAAAAAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ],
    [
      'p out of bounds',
      'scrypt:N=1024,r=8,p=9:AAAAAAAAAAAAAAAAAAAAAA:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    ],
  ])('does not verify %s', async (_name, digest) => {
    expect(await verifyArgvDigest(digest, argv)).toBe(false);
  });

  it('verifies a digest made with other (bounded) parameters read from the string', async () => {
    const digest = await digestArgv(argv);
    const [, , salt] = digest.split(':');
    const { scryptSync } = await import('node:crypto');
    const hash = scryptSync(JSON.stringify(argv), Buffer.from(salt as string, 'base64url'), 32, {
      N: 1024,
      r: 8,
      p: 1,
    }).toString('base64url');
    expect(await verifyArgvDigest(`scrypt:N=1024,r=8,p=1:${salt}:${hash}`, argv)).toBe(true);
  });
});
