import type { CommandSpec } from '../command/command-spec';
import type { Check, Ledger } from '../ledger/ledger';
import { listStepCommands } from '../plan/list-commands';
import type { Plan } from '../plan/plan';
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

// Per step, the commands its recorded check is compared with, and the digests they verify.
export async function describeCommandsNow(
  plan: Plan,
  redact: Redact,
  previous: Ledger | undefined,
): Promise<Map<string, CommandNow[]>> {
  const entries = await Promise.all(
    plan.steps.map(async (step): Promise<[string, CommandNow[]]> => {
      const recorded = [previous?.checks.find((check) => check.id === step.id)];
      const specs = listStepCommands(step);
      return [
        step.id,
        await Promise.all(specs.map((spec) => describeCommandNow(spec, redact, recorded))),
      ];
    }),
  );
  return new Map(entries);
}
