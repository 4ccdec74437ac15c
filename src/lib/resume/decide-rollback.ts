import type { Check } from '../ledger/ledger';
import type { Plan } from '../plan/plan';

/**
 * Whether a failed stage rolls its deploy back: only when a rollback command is configured, the
 * step that failed comes after `deploy`, and `deploy` ran (and succeeded) in this very run (a
 * deploy skipped as resumed was done by an earlier run: nothing of this run to undo). An
 * interrupted step rolls back only with devops.rollback_on_interrupt.
 */
export function decideRollback(
  plan: Plan,
  checks: readonly Check[],
  stopped: { check: Check; index: number },
): boolean {
  if (!plan.rollback) return false;
  const deployIndex = plan.steps.findIndex((step) => step.kind === 'deploy');
  if (deployIndex === -1 || stopped.index <= deployIndex) return false;
  const deploy = checks.find((check) => check.id === 'deploy');
  if (deploy?.status !== 'ok') return false;
  return stopped.check.status !== 'interrupted' || plan.rollbackOnInterrupt;
}
