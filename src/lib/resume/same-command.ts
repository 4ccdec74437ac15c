import type { Check } from '../ledger/ledger';

// A command as this run would record it, and which recorded digests its real argv verified.
export interface CommandNow {
  // The argv with secrets masked, as a check records it.
  readonly argv: readonly string[];
  // Whether masking changed the argv (the command holds a secret).
  readonly secret: boolean;
  // The recorded digests (of the checks compared with it) that are digests of its real argv.
  readonly verifiedDigests: ReadonlySet<string>;
}

/**
 * Whether a recorded check ran this very command. The masked argv must be equal, and when
 * either holds a secret the recorded digest must be that of the real argv now: a digest
 * against a command without secret (or a secret against a check without digest) differs.
 */
export function isSameCommand(check: Pick<Check, 'argv' | 'argvDigest'>, now: CommandNow): boolean {
  const masked =
    check.argv.length === now.argv.length &&
    check.argv.every((word, index) => word === now.argv[index]);
  if (!masked) return false;
  if (check.argvDigest === undefined) return !now.secret;
  return now.secret && now.verifiedDigests.has(check.argvDigest);
}
