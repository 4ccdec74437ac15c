import type { Stage } from '../config/release-config';
import type { Env, StepKind } from '../plan/plan';

export const LEDGER_SCHEMA_VERSION = 1;
export const LEDGER_FILE = 'checks_run.json';

export type RunStatus = 'running' | 'ok' | 'failed' | 'interrupted';
// `rolled_back`: a deploy that succeeded and was then undone by the rollback check.
export type CheckStatus =
  'running' | 'ok' | 'failed' | 'skipped' | 'timed_out' | 'interrupted' | 'rolled_back';

// One step as recorded: exactly what ran (secrets redacted) and how it ended.
export interface Check {
  readonly id: string;
  readonly kind: StepKind;
  readonly env: Env;
  readonly target: string;
  readonly argv: readonly string[];
  // Present when masking changed the argv: a salted scrypt of the real argv (see digest-argv).
  readonly argvDigest?: string;
  readonly command: string;
  readonly status: CheckStatus;
  readonly reason: string | null;
  readonly exitCode: number | null;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly durationMs: number | null;
  readonly outputTail: string;
}

// The checks_run artifact of one stage of one project (schema 1, README "The `checks_run` ledger").
export interface Ledger {
  readonly schemaVersion: typeof LEDGER_SCHEMA_VERSION;
  readonly project: string;
  readonly stage: Stage;
  readonly releaseId: string;
  // A random id per run, so that a ledger restored from a cache can be told from this checkout's.
  readonly runId?: string;
  readonly status: RunStatus;
  readonly startedAt: string;
  readonly finishedAt: string | null;
  readonly checks: readonly Check[];
}
