import { KNOWN_SECRETS } from '../config/known-secrets';
import { createRedactor } from '../redact/redact';

// The redactor a run builds: with every adapter's credential variables and token shapes.
export function makeRedactor(
  names: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ReturnType<typeof createRedactor> {
  return createRedactor(names, env, KNOWN_SECRETS);
}
