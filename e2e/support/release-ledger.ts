/**
 * The `checks_run.json` ledger (README "The `checks_run` ledger", schema version 1) and the stage
 * lock file, read the way a test must read them after a crash: from disk, checked field by field
 * against the README, independently of the plugin's own parser (which is what is under test).
 */
import { existsSync, readFileSync } from 'node:fs';

export const RUN_STATUSES = ['running', 'ok', 'failed', 'interrupted'] as const;
export const CHECK_STATUSES = [
  'running',
  'ok',
  'failed',
  'skipped',
  'timed_out',
  'interrupted',
] as const;
const CHECK_KINDS = ['gate', 'publish', 'deploy', 'post_deploy'] as const;
const ENVS = ['qa', 'prod'] as const;
const STAGES = ['prepare', 'ship'] as const;

export interface LedgerCheck {
  id: string;
  kind: string;
  env: string;
  target: string;
  argv: string[];
  command: string;
  status: (typeof CHECK_STATUSES)[number];
  reason: string | null;
  exitCode: number | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  outputTail: string;
}

export interface ReleaseLedger {
  schemaVersion: 1;
  project: string;
  stage: string;
  releaseId: string;
  status: (typeof RUN_STATUSES)[number];
  startedAt: string;
  finishedAt: string | null;
  checks: LedgerCheck[];
}

export type LedgerState =
  | { kind: 'missing' }
  | { kind: 'valid'; ledger: ReleaseLedger; text: string }
  | { kind: 'invalid'; problems: string[]; text: string };

export interface LockFile {
  pid: number;
  host: string;
  startedAt: string;
  pidStart?: string;
}

// Reads a ledger file as it is on disk right now.
export function readLedgerState(file: string): LedgerState {
  if (!existsSync(file)) return { kind: 'missing' };
  const text = readFileSync(file, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', problems: [`not JSON: ${(error as Error).message}`], text };
  }
  const problems = listLedgerProblems(value);
  return problems.length === 0
    ? { kind: 'valid', ledger: value as ReleaseLedger, text }
    : { kind: 'invalid', problems, text };
}

// Reads a ledger that must be there and valid; throws naming the problems otherwise.
export function readValidLedger(file: string): ReleaseLedger {
  const state = readLedgerState(file);
  if (state.kind === 'valid') return state.ledger;
  throw new Error(
    state.kind === 'missing'
      ? `No ledger at ${file}`
      : `Invalid ledger at ${file}: ${state.problems.join('; ')}\n${state.text}`,
  );
}

// Every way the value departs from schema version 1 (empty when it conforms).
export function listLedgerProblems(value: unknown): string[] {
  if (!isRecord(value)) return ['not a JSON object'];
  const problems: string[] = [];
  expectField(problems, value, 'schemaVersion', (v) => v === 1, '1');
  expectField(problems, value, 'project', isNonEmptyString, 'a project name');
  expectField(problems, value, 'stage', isOneOf(STAGES), 'a stage');
  expectField(problems, value, 'releaseId', isNonEmptyString, 'a release id');
  expectField(problems, value, 'status', isOneOf(RUN_STATUSES), 'a run status');
  expectField(problems, value, 'startedAt', isIsoDate, 'an ISO date');
  expectField(problems, value, 'finishedAt', isNullOr(isIsoDate), 'an ISO date or null');
  if (value.status !== 'running' && value.finishedAt === null)
    problems.push(`finishedAt is null in a ledger whose status is ${String(value.status)}`);
  if (!Array.isArray(value.checks)) return [...problems, 'checks is not an array'];
  value.checks.forEach((check, index) => problems.push(...listCheckProblems(check, index)));
  return problems;
}

function listCheckProblems(check: unknown, index: number): string[] {
  if (!isRecord(check)) return [`checks[${index}] is not an object`];
  const problems: string[] = [];
  const prefix = `checks[${index}].`;
  const isStringArray = (v: unknown) => Array.isArray(v) && v.every((w) => typeof w === 'string');
  expectField(problems, check, 'id', isNonEmptyString, 'a step id', prefix);
  expectField(problems, check, 'kind', isOneOf(CHECK_KINDS), 'a step kind', prefix);
  expectField(problems, check, 'env', isOneOf(ENVS), 'qa or prod', prefix);
  expectField(problems, check, 'target', isString, 'a string', prefix);
  expectField(problems, check, 'argv', isStringArray, 'a string[]', prefix);
  expectField(problems, check, 'command', isString, 'a string', prefix);
  expectField(problems, check, 'status', isOneOf(CHECK_STATUSES), 'a check status', prefix);
  expectField(problems, check, 'reason', isNullOr(isString), 'a string or null', prefix);
  expectField(
    problems,
    check,
    'exitCode',
    isNullOr(Number.isInteger),
    'an integer or null',
    prefix,
  );
  expectField(problems, check, 'startedAt', isIsoDate, 'an ISO date', prefix);
  expectField(problems, check, 'finishedAt', isNullOr(isIsoDate), 'an ISO date or null', prefix);
  const isDuration = (v: unknown) => typeof v === 'number' && v >= 0;
  expectField(problems, check, 'durationMs', isNullOr(isDuration), 'a duration or null', prefix);
  expectField(problems, check, 'outputTail', isString, 'a string', prefix);
  if (check.status !== 'running' && check.finishedAt === null)
    problems.push(`${prefix}finishedAt is null in a check whose status is ${String(check.status)}`);
  return problems;
}

// Reads the stage lock file, if there is one.
export function readLockFile(file: string): LockFile | undefined {
  if (!existsSync(file)) return undefined;
  return JSON.parse(readFileSync(file, 'utf8')) as LockFile;
}

// The check of one step, or undefined when the ledger has none.
export function findCheck(ledger: ReleaseLedger, id: string): LedgerCheck | undefined {
  return ledger.checks.find((check) => check.id === id);
}

function expectField(
  problems: string[],
  value: Record<string, unknown>,
  field: string,
  test: (v: unknown) => boolean,
  what: string,
  prefix = '',
): void {
  if (!test(value[field]))
    problems.push(`${prefix}${field} is ${JSON.stringify(value[field])}, not ${what}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isString(value: unknown): boolean {
  return typeof value === 'string';
}

function isNonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value.length > 0;
}

function isIsoDate(value: unknown): boolean {
  return typeof value === 'string' && !Number.isNaN(Date.parse(value)) && value.includes('T');
}

function isOneOf(values: readonly string[]): (value: unknown) => boolean {
  return (value) => values.includes(value as string);
}

function isNullOr(test: (value: unknown) => boolean): (value: unknown) => boolean {
  return (value) => value === null || test(value);
}
