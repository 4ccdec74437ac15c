import { createEnvValuePass } from './env-value-pass';
import type { MaskPass } from './mask-pass';
import { TOKEN_SHAPE_PASSES } from './token-shape-passes';

/**
 * Secrets never reach the terminal, the ledger or a report. Two sources: the values of env
 * vars the user lists in devops.redact_env (plus the usual credential variables), and token
 * shapes that are secrets wherever they appear. Both become `***`.
 */
export const DEFAULT_REDACT_ENV: readonly string[] = [
  'HEROKU_API_KEY',
  'NPM_TOKEN',
  'NODE_AUTH_TOKEN',
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'NX_CLOUD_ACCESS_TOKEN',
  'FLY_API_TOKEN',
  'FLY_ACCESS_TOKEN',
];

// The shortest env value redacted: shorter values (e.g. "1") would mask unrelated text.
const MIN_SECRET_LENGTH = 6;

// Replaces every secret in a text; `passes`, when present, lets a stream do the same piecewise.
export type Redact = ((text: string) => string) & { readonly passes?: readonly MaskPass[] };

// Builds the redactor for a run from the env var names to mask and the current environment.
export function createRedactor(
  names: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Redact & { readonly passes: readonly MaskPass[] } {
  const values = [...new Set([...DEFAULT_REDACT_ENV, ...names])]
    .map((name) => env[name])
    .filter(
      (value): value is string => typeof value === 'string' && value.length >= MIN_SECRET_LENGTH,
    );
  // Longer values first, so that a value inside another one does not leave the rest in clear.
  const passes = [
    ...[...new Set(values)].sort((a, b) => b.length - a.length).map(createEnvValuePass),
    ...TOKEN_SHAPE_PASSES,
  ];
  const redact = (text: string) => passes.reduce((masked, pass) => pass.mask(masked, ''), text);
  return Object.assign(redact, { passes });
}
