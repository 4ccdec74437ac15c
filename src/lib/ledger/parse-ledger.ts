import { z } from 'zod';
import { LEDGER_SCHEMA_VERSION, type Ledger } from './ledger';

// What reading a ledger found.
export type LedgerRead =
  | { readonly kind: 'missing' }
  | { readonly kind: 'ok'; readonly ledger: Ledger }
  | { readonly kind: 'damaged'; readonly reason: string };

// A check of schema 1, and (below) the ledger: the types Check and Ledger are read from these.
// Parsed ledgers are read-only, as the types say.
export const checkSchema = z
  .object({
    id: z.string(),
    kind: z.enum(['gate', 'publish', 'deploy', 'post_deploy', 'rollback']),
    env: z.enum(['qa', 'prod']),
    target: z.string(),
    argv: z.array(z.string()).readonly(),
    // Present when masking changed the argv: a salted scrypt of the real argv (see digest-argv).
    argvDigest: z.string().optional(),
    command: z.string(),
    // `rolled_back`: a deploy that succeeded and was then undone by the rollback check.
    status: z.enum([
      'running',
      'ok',
      'failed',
      'skipped',
      'timed_out',
      'interrupted',
      'rolled_back',
    ]),
    reason: z.string().nullable(),
    exitCode: z.number().int().nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    durationMs: z.number().nullable(),
    outputTail: z.string(),
  })
  .readonly();

// Optional keys are listed so that zod keeps them (it strips unknown keys).
export const ledgerSchema = z
  .object({
    schemaVersion: z.literal(LEDGER_SCHEMA_VERSION),
    project: z.string(),
    stage: z.enum(['prepare', 'ship']),
    releaseId: z.string(),
    // A random id per run, so that a ledger restored from a cache can be told from this checkout's.
    runId: z.string().optional(),
    status: z.enum(['running', 'ok', 'failed', 'interrupted']),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
    checks: z.array(checkSchema).readonly(),
  })
  .readonly();

// Checks a ledger's text against schema version 1; an unknown version says which it found.
export function parseLedger(text: string): LedgerRead {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { kind: 'damaged', reason: 'is not valid JSON' };
  }
  const version = (data as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== LEDGER_SCHEMA_VERSION) {
    return {
      kind: 'damaged',
      reason: `has schemaVersion ${JSON.stringify(version ?? null)} (expected ${LEDGER_SCHEMA_VERSION})`,
    };
  }
  const parsed = ledgerSchema.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return {
      kind: 'damaged',
      reason: `does not match schema version 1 (at ${first?.path.join('.') || 'top level'})`,
    };
  }
  return { kind: 'ok', ledger: parsed.data };
}
