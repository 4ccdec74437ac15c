import { createEnvValuePass } from './env-value-pass';
import type { MaskPass } from './mask-pass';
import {
  createTokenShapePass,
  URL_PASSWORD_SHAPE,
  USUAL_KEYWORD_SHAPES,
  USUAL_TOKEN_SHAPES,
  type TokenShape,
} from './token-shape-passes';

/**
 * Secrets never reach the terminal, the ledger or a report. Two sources: the values of env
 * vars (the ones the user lists in devops.redact_env, the usual credential variables below,
 * and the ones the adapters declare), and token shapes that are secrets wherever they appear
 * (the usual ones and the adapters'). Both become `***`.
 */
export const DEFAULT_REDACT_ENV: readonly string[] = [
  'GITHUB_TOKEN',
  'GH_TOKEN',
  'NX_CLOUD_ACCESS_TOKEN',
];

// What an adapter (a platform, a publisher) knows to be secret wherever it appears: the env
// vars that hold its credentials, the shapes of its tokens (`HRKU-...`), and of its secrets
// known by the keyword before them (`FlyV1 ...`, `_authToken=...`).
export interface KnownSecrets {
  readonly env: readonly string[];
  readonly tokenShapes?: readonly TokenShape[];
  readonly keywordShapes?: readonly TokenShape[];
}

// The shortest env value redacted: shorter values (e.g. "1") would mask unrelated text.
const MIN_SECRET_LENGTH = 6;

const USUAL_TOKEN_PASSES = USUAL_TOKEN_SHAPES.map(createTokenShapePass);
const USUAL_KEYWORD_PASSES = USUAL_KEYWORD_SHAPES.map(createTokenShapePass);
const URL_PASSWORD_PASS = createTokenShapePass(URL_PASSWORD_SHAPE);

// Replaces every secret in a text; `passes`, when present, lets a stream do the same piecewise.
export type Redact = ((text: string) => string) & { readonly passes?: readonly MaskPass[] };

/**
 * Builds the redactor for a run from the env var names to mask, the current environment, and
 * the secrets the adapters declare (passed in: the adapters are above this layer). The order
 * of the passes matters where two shapes overlap, and for what a stream holds back: env values
 * (longer first, so that a value inside another does not leave the rest in clear), then the
 * adapters' tokens, the usual tokens, the usual keywords (`Bearer`, `Basic`), the adapters'
 * keywords, and passwords in URLs last.
 */
export function createRedactor(
  names: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  known: readonly KnownSecrets[],
): Redact & { readonly passes: readonly MaskPass[] } {
  const values = [
    ...new Set([...DEFAULT_REDACT_ENV, ...known.flatMap((secrets) => secrets.env), ...names]),
  ]
    .map((name) => env[name])
    .filter(
      (value): value is string => typeof value === 'string' && value.length >= MIN_SECRET_LENGTH,
    );
  const declared = (shapes: (secrets: KnownSecrets) => readonly TokenShape[] | undefined) =>
    known.flatMap((secrets) => shapes(secrets) ?? []).map(createTokenShapePass);
  const passes = [
    ...[...new Set(values)].sort((a, b) => b.length - a.length).map(createEnvValuePass),
    ...declared((secrets) => secrets.tokenShapes),
    ...USUAL_TOKEN_PASSES,
    ...USUAL_KEYWORD_PASSES,
    ...declared((secrets) => secrets.keywordShapes),
    URL_PASSWORD_PASS,
  ];
  const redact = (text: string) => passes.reduce((masked, pass) => pass.mask(masked, ''), text);
  return Object.assign(redact, { passes });
}
