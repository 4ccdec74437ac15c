import type { Check, CheckStatus, Ledger, RunStatus } from './ledger';
import { LEDGER_SCHEMA_VERSION } from './ledger';
import type { Stage } from '../config/release-config';

// A fresh ledger for a run that is starting.
export function startLedger(input: {
  project: string;
  stage: Stage;
  releaseId: string;
  runId?: string;
  now: Date;
}): Ledger {
  return {
    schemaVersion: LEDGER_SCHEMA_VERSION,
    project: input.project,
    stage: input.stage,
    releaseId: input.releaseId,
    ...(input.runId !== undefined && { runId: input.runId }),
    status: 'running',
    startedAt: input.now.toISOString(),
    finishedAt: null,
    checks: [],
  };
}

// Adds a check, or replaces the one with the same id (a running check when it ends).
export function recordCheck(ledger: Ledger, check: Check): Ledger {
  const exists = ledger.checks.some((existing) => existing.id === check.id);
  const checks = exists
    ? ledger.checks.map((existing) => (existing.id === check.id ? check : existing))
    : [...ledger.checks, check];
  return { ...ledger, checks };
}

// A running check brought to its end.
export function finishCheck(
  check: Check,
  end: {
    status: Exclude<CheckStatus, 'running'>;
    reason: string | null;
    exitCode?: number | null;
    outputTail?: string;
    now: Date;
  },
): Check {
  const finishedAt = end.now.toISOString();
  return {
    ...check,
    status: end.status,
    reason: end.reason,
    exitCode: end.exitCode ?? null,
    finishedAt,
    durationMs: Math.max(0, end.now.getTime() - Date.parse(check.startedAt)),
    outputTail: end.outputTail ?? check.outputTail,
  };
}

// The ledger of a run that has ended.
export function finishLedger(
  ledger: Ledger,
  status: Exclude<RunStatus, 'running'>,
  now: Date,
): Ledger {
  return { ...ledger, status, finishedAt: now.toISOString() };
}

// A resumed check records the command that did the step in the run it resumes.
export function carryCommand(check: Check, done: Check | undefined): Check {
  if (!done) return check;
  const { argvDigest: _dropped, ...rest } = check;
  return {
    ...rest,
    argv: done.argv,
    command: done.command,
    ...(done.argvDigest !== undefined && { argvDigest: done.argvDigest }),
  };
}
