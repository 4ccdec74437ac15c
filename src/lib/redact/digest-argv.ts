import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * A ledger records a command with its secrets masked, so two commands that differ only inside
 * a masked part look the same there. For such a command the ledger also keeps a digest of the
 * real argv: scrypt of its JSON with a random salt per check, the parameters in the string
 * (`scrypt:N=32768,r=8,p=1:<salt>:<hash>`, base64url). It proves equality with a command given
 * later and nothing else: a strong secret cannot be recovered from it, and each guess of a weak
 * one costs a full scrypt (32 MiB, and about 150 ms of one core).
 */
const COST = { N: 32_768, r: 8, p: 1 } as const;
const SALT_BYTES = 16;
const HASH_BYTES = 32;
// Bounds on parameters read back from a ledger: a tampered file cannot make a check take more
// than 64 MiB or run for minutes.
const MAX_MEMORY = 64 * 1024 * 1024;
const MAX_P = 4;
const FORMAT =
  /^scrypt:N=(\d{1,7}),r=(\d{1,3}),p=(\d):([A-Za-z0-9_-]{16,64}):([A-Za-z0-9_-]{32,128})$/;

// The digest of an argv, with a fresh salt.
export async function digestArgv(argv: readonly string[]): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await hashArgv(argv, salt, HASH_BYTES, COST);
  return `scrypt:N=${COST.N},r=${COST.r},p=${COST.p}:${salt.toString('base64url')}:${hash.toString('base64url')}`;
}

// Whether a recorded digest is that of this argv; a malformed or out-of-bounds one is not.
export async function verifyArgvDigest(digest: string, argv: readonly string[]): Promise<boolean> {
  const match = FORMAT.exec(digest);
  if (!match) return false;
  const [N, r, p] = [match[1], match[2], match[3]].map(Number) as [number, number, number];
  const powerOfTwo = N > 1 && (N & (N - 1)) === 0;
  if (!powerOfTwo || r < 1 || 128 * N * r > MAX_MEMORY || p < 1 || p > MAX_P) return false;
  const expected = Buffer.from(match[5] as string, 'base64url');
  const salt = Buffer.from(match[4] as string, 'base64url');
  const actual = await hashArgv(argv, salt, expected.length, { N, r, p });
  return timingSafeEqual(actual, expected);
}

function hashArgv(
  argv: readonly string[],
  salt: Buffer,
  length: number,
  cost: { N: number; r: number; p: number },
): Promise<Buffer> {
  // scrypt needs about 128 * N * r bytes; Node refuses past maxmem (32 MiB by default).
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => {
    scrypt(JSON.stringify(argv), salt, length, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}
