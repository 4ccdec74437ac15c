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

const MASK = '***';
// The shortest env value redacted: shorter values (e.g. "1") would mask unrelated text.
const MIN_SECRET_LENGTH = 6;

/**
 * Token shapes, each with a substring it cannot match without, checked first so that long
 * output costs one scan per shape. Every pattern is anchored on its left (a literal prefix, a
 * word boundary, or a lookbehind), so that a long run of word characters is not tried from
 * each of its positions (the URL pattern without it was quadratic on long lines).
 */
const TOKEN_SHAPES: readonly { pattern: RegExp; replacement: string; needs: string }[] = [
  { pattern: /\bHRKU-[A-Za-z0-9_-]{20,}/g, replacement: MASK, needs: 'HRKU-' },
  {
    pattern: /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g,
    replacement: MASK,
    needs: '-',
  },
  { pattern: /\bnpm_[A-Za-z0-9]{36}\b/g, replacement: MASK, needs: 'npm_' },
  { pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g, replacement: MASK, needs: '_' },
  { pattern: /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, replacement: `$1 ${MASK}`, needs: '' },
  { pattern: /\bFlyV1\s+[A-Za-z0-9._~+/=,-]{8,}/g, replacement: `FlyV1 ${MASK}`, needs: 'FlyV1' },
  { pattern: /(_authToken=)[^\s'"]+/g, replacement: `$1${MASK}`, needs: '_authToken=' },
  {
    pattern: /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^\s/:@'"]+):[^\s@/'"]+@/gi,
    replacement: `$1:${MASK}@`,
    needs: '://',
  },
];

// Replaces every secret in a text.
export type Redact = (text: string) => string;

// Builds the redactor for a run from the env var names to mask and the current environment.
export function createRedactor(
  names: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Redact {
  const values = [...new Set([...DEFAULT_REDACT_ENV, ...names])]
    .map((name) => env[name])
    .filter(
      (value): value is string => typeof value === 'string' && value.length >= MIN_SECRET_LENGTH,
    )
    .sort((a, b) => b.length - a.length);
  return (text) => {
    let result = text;
    for (const value of values) result = result.split(value).join(MASK);
    for (const { pattern, replacement, needs } of TOKEN_SHAPES) {
      if (result.includes(needs)) result = result.replace(pattern, replacement);
    }
    return result;
  };
}
