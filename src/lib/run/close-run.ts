import type { Check, RunStatus } from '../ledger/ledger';
import { finishLedger } from '../ledger/ledger-transitions';
import { formatAborted, formatSummary } from './format-run';
import { writeClosing } from './output';
import type { RunLedger } from './run-ledger';
import type { RunPlanInput } from './run-plan-input';
import { writeReports } from './write-reports';

// The step that stopped the stage, and its place in the plan.
export interface StoppedAt {
  readonly check: Check;
  readonly index: number;
}

/**
 * Ends the run once its steps are done or one stopped it: the ledger's final status is saved,
 * then the reports are written, then the one closing line is said (the summary, or ABORTED with
 * where, why and how to continue). Returns whether the stage succeeded.
 */
export async function closeRun(
  input: RunPlanInput,
  ledger: RunLedger,
  stopped: StoppedAt | undefined,
  rollback: Check | undefined,
): Promise<boolean> {
  const { plan, output, style } = input;
  const { ledgerPath } = ledger.files;
  await ledger.save(finishLedger(ledger.current(), describeEnd(stopped), input.now()));
  const notRun = stopped ? plan.steps.slice(stopped.index + 1) : [];
  await writeReports(input, { ledger: ledger.current(), notRun });
  if (!stopped) {
    writeClosing(output, style.green(formatSummary(ledger.current(), ledgerPath)), 'out');
    return true;
  }
  const where = { target: input.target, ledgerPath };
  const aborted = formatAborted(plan, stopped.check, notRun, where, rollback);
  writeClosing(output, style.red(style.bold(aborted)), 'err');
  return false;
}

// An interrupted step ends the run as interrupted; any other stop, as failed.
function describeEnd(stopped: StoppedAt | undefined): Exclude<RunStatus, 'running'> {
  if (!stopped) return 'ok';
  return stopped.check.status === 'interrupted' ? 'interrupted' : 'failed';
}
