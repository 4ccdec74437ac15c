import { shortRelease } from '../core/short-release';
import type { GroupMember } from '../io/run-process';
import type { Check, Ledger } from '../ledger/ledger';
import type { Plan, Step } from '../plan/plan';
import { formatDuration } from '../core/format-duration';

// The line after a step: `  ok (1.2s)`, `  FAILED: exit code 7 (0.4s)`, `  skipped: already live`.
export function formatResultLine(check: Check): string {
  const duration =
    check.durationMs !== null && check.reason !== 'resumed'
      ? ` (${formatDuration(check.durationMs)})`
      : '';
  switch (check.status) {
    case 'ok':
      return `  ok${check.reason ? `: ${check.reason}` : ''}${duration}`;
    case 'skipped':
      return `  skipped: ${check.reason ?? 'nothing to do'}${duration}`;
    case 'running':
      return '  running';
    default:
      return `  ${check.status.toUpperCase()}: ${check.reason ?? check.status}${duration}`;
  }
}

// The one line that says a stage stopped: stage, project, step, reason, and what did not run.
export function formatAborted(
  plan: Plan,
  check: Check,
  notRun: readonly Step[],
  where: { readonly target: string; readonly ledgerPath: string },
  rollback?: Check,
): string {
  const rest =
    notRun.length === 0
      ? '0 steps did not run'
      : `${notRun.length} step${notRun.length === 1 ? '' : 's'} did not run (${notRun.map((step) => step.id).join(', ')})`;
  const undone = rollback
    ? rollback.status === 'ok'
      ? '; the deploy was rolled back'
      : `; ROLLBACK FAILED (${rollback.reason ?? rollback.status}): the new release is still live`
    : '';
  // The gate's reason says what to run first; any other step continues with --resume.
  const next =
    check.id === 'gate'
      ? `Ledger: ${where.ledgerPath}`
      : `To continue once the cause is fixed: nx run ${plan.project}:${where.target} --resume (ledger: ${where.ledgerPath})`;
  return `ABORTED: ${plan.stage} of ${plan.project} (release ${shortRelease(plan.releaseId)}) stopped at step ${check.id} on ${check.target}: ${check.reason ?? check.status}${undone}; ${rest}. ${next}`;
}

// Said loudly when undoing a deploy failed: what is live now, and the command to retry by hand.
export function formatRollbackFailed(target: string, rollback: Check): string {
  return `ROLLBACK FAILED (${rollback.reason ?? rollback.status}): the release deployed to ${target} is still live. Roll back by hand: ${rollback.command}`;
}

// The closing line of a successful stage.
export function formatSummary(ledger: Ledger, ledgerPath: string): string {
  const counts = ledger.checks.reduce<Record<string, number>>(
    (acc, check) => ({ ...acc, [check.status]: (acc[check.status] ?? 0) + 1 }),
    {},
  );
  const parts = Object.entries(counts).map(([status, count]) => `${count} ${status}`);
  return `${ledger.stage} of ${ledger.project} (release ${shortRelease(ledger.releaseId)}) succeeded: ${parts.join(', ') || 'no steps'}. Ledger: ${ledgerPath}`;
}

// The line printed while a command is quiet, so that a CI log shows it is still going.
export function formatHeartbeat(elapsedMs: number): string {
  return `  ... still running (${formatDuration(elapsedMs)})`;
}

// The line printed when a command has exited but a process it started (a background job, an
// ssh ControlMaster) keeps its output open: the run goes on, and leaves that process running.
export function formatOutputHeld(running: readonly GroupMember[] | undefined): string {
  const listed = running ?? [];
  const shown = listed.slice(0, 3).map((member) => `${member.name} ${member.pid}`);
  if (listed.length > shown.length) shown.push(`${listed.length - shown.length} more`);
  const which = shown.length > 0 ? ` (still running: ${shown.join(', ')})` : '';
  return `  ... the command exited, but a process it started still holds its output open: the run no longer waits for that output and leaves the process running${which}`;
}
