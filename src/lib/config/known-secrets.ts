import { PLATFORMS } from '../platforms/platforms';
import { PUBLISHERS } from '../publishers/publishers';
import type { KnownSecrets } from '../redact/redact';

// The secrets every platform and publisher declares, masked whichever ones a stage uses: a
// Heroku key printed by a deploy script is masked on the local platform too.
export const KNOWN_SECRETS: readonly KnownSecrets[] = [
  ...Object.values(PLATFORMS),
  ...Object.values(PUBLISHERS),
].flatMap((adapter) => (adapter.secrets ? [adapter.secrets] : []));
