import type { z } from 'zod';
import type { checkSchema, ledgerSchema } from './parse-ledger';

export { LEDGER_FILE } from '../core/ledger-file';
export const LEDGER_SCHEMA_VERSION = 1;

// One step as recorded: exactly what ran (secrets redacted) and how it ended.
export type Check = z.infer<typeof checkSchema>;

// The checks_run artifact of one stage of one project (schema 1, README "The `checks_run` ledger").
export type Ledger = z.infer<typeof ledgerSchema>;

export type RunStatus = Ledger['status'];
export type CheckStatus = Check['status'];

// A check that needs no re-run: it succeeded, or was skipped (already live, or resumed).
export function isDone(check: Pick<Check, 'status'>): boolean {
  return check.status === 'ok' || check.status === 'skipped';
}
