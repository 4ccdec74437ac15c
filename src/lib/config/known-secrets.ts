import { PLATFORMS } from '../platforms/platforms';
import { PUBLISHERS } from '../publishers/publishers';
import { DEFAULT_REDACT_ENV, type KnownSecrets } from '../redact/redact';

// The secrets every platform and publisher declares, masked whichever ones a stage uses: a
// Heroku key printed by a deploy script is masked on the local platform too.
export const KNOWN_SECRETS: readonly KnownSecrets[] = [
  ...Object.values(PLATFORMS),
  ...Object.values(PUBLISHERS),
].flatMap((adapter) => (adapter.secrets ? [adapter.secrets] : []));

// Every env var whose value is masked without being listed in redact_env: the adapters' and the
// usual ones (what schema.json and the docs list).
export const ALWAYS_MASKED_ENV: readonly string[] = [
  ...new Set([...KNOWN_SECRETS.flatMap((secrets) => secrets.env), ...DEFAULT_REDACT_ENV]),
];
