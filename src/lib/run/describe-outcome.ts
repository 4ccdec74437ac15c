import type { ProgramHint } from '../command/command-spec';
import type { CheckStatus } from '../ledger/ledger';
import type { ProcessOutcome } from '../io/run-process';
import { adviseProgram } from '../plan/advise-program';

// How a finished process is recorded: check status, reason, exit code, and any advice to print.
export interface OutcomeRecord {
  readonly status: Exclude<CheckStatus, 'running' | 'skipped'>;
  readonly reason: string | null;
  readonly exitCode: number | null;
  readonly advice?: string;
}

// Turns a process outcome into the ledger's words (README "The `checks_run` ledger"):
// "exit code 7", "timed out after 30s"; a program that could not start gets advice, with the
// install hint of the adapter that knows it (the plan's `installHints`).
export function describeOutcome(
  outcome: ProcessOutcome,
  installHints: readonly ProgramHint[],
): OutcomeRecord {
  switch (outcome.kind) {
    case 'exited':
      return outcome.exitCode === 0
        ? { status: 'ok', reason: null, exitCode: 0 }
        : { status: 'failed', reason: `exit code ${outcome.exitCode}`, exitCode: outcome.exitCode };
    case 'signaled':
      return { status: 'failed', reason: `killed by ${outcome.signal}`, exitCode: null };
    case 'timed_out':
      return {
        status: 'timed_out',
        reason: `timed out after ${formatSeconds(outcome.timeoutMs)}`,
        exitCode: null,
      };
    case 'interrupted':
      return { status: 'interrupted', reason: `interrupted by ${outcome.signal}`, exitCode: null };
    case 'not_found':
      return {
        status: 'failed',
        reason: `command not found: ${outcome.binary}`,
        exitCode: null,
        advice: `Command not found: ${outcome.binary}. ${adviseMissing(outcome.binary, installHints)}.`,
      };
    case 'not_executable':
      return {
        status: 'failed',
        reason: `not executable: ${outcome.binary}`,
        exitCode: null,
        advice: `Not executable: ${outcome.binary}. ${adviseProgram(outcome.binary, 'not_executable', installHints)}.`,
      };
    case 'not_started':
      return { status: 'failed', reason: `could not start: ${outcome.message}`, exitCode: null };
  }
}

// A bare name is looked up on PATH; a name with a slash is a path from the workspace root.
function adviseMissing(binary: string, installHints: readonly ProgramHint[]): string {
  if (binary.includes('/'))
    return 'There is no such file relative to the workspace root (commands run there)';
  return adviseProgram(binary, 'missing', installHints);
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
