import type { CommandSpec } from '../command/command-spec';
import type { Check } from '../ledger/ledger';
import { verifyArgvDigest } from '../redact/digest-argv';
import type { Redact } from '../redact/redact';
import type { CommandNow } from '../resume/same-command';

// What the pure comparisons need about a command: its masked argv, and which digests of the
// recorded checks its real argv verifies. A digest is checked (one scrypt) only when the
// command holds a secret and the masked argv match: no cost otherwise.
export async function describeCommandNow(
  spec: CommandSpec,
  redact: Redact,
  recorded: readonly (Pick<Check, 'argv' | 'argvDigest'> | undefined)[],
): Promise<CommandNow> {
  const argv = spec.argv.map(redact);
  const secret = argv.some((word, index) => word !== spec.argv[index]);
  const candidates = secret
    ? recorded.flatMap((check) =>
        check?.argvDigest !== undefined &&
        check.argv.length === argv.length &&
        check.argv.every((word, index) => word === argv[index])
          ? [check.argvDigest]
          : [],
      )
    : [];
  const verified = await Promise.all(
    [...new Set(candidates)].map(async (digest) =>
      (await verifyArgvDigest(digest, spec.argv)) ? [digest] : [],
    ),
  );
  return { argv, secret, verifiedDigests: new Set(verified.flat()) };
}
