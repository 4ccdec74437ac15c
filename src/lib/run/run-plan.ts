import path from 'node:path';
import type { Style } from '../core/style';
import { describeAbortReason } from '../io/run-process';
import { isDone, type Check } from '../ledger/ledger';
import { recordCheck } from '../ledger/ledger-transitions';
import { formatStepHeader } from '../plan/format-plan';
import type { Step } from '../plan/plan';
import { decideRollback } from '../resume/decide-rollback';
import { closeRun, type StoppedAt } from './close-run';
import type { StepRun } from './execute-step';
import { formatResultLine, formatRollbackFailed } from './format-run';
import { openLedger } from './open-ledger';
import { writeClosing, writeStepHeader, writeStepResult } from './output';
import type { RunLedger } from './run-ledger';
import type { RunPlanInput } from './run-plan-input';
import { recordWithoutRunning, runStep } from './run-step';

export type { RunPlanInput } from './run-plan-input';

/**
 * Runs a plan's steps in order and records each in the ledger before and after it runs. The
 * first step that does not succeed ends the stage: later steps do not run, and one ABORTED
 * line says where and why. Then the summary table, junit.xml and the job summary are written.
 * Returns whether the stage succeeded.
 */
export async function runPlan(input: RunPlanInput): Promise<boolean> {
  const { plan, output, style } = input;
  const opened = await openLedger(input);
  if (opened.kind === 'complete') {
    writeClosing(output, opened.message, 'out');
    return true;
  }
  const { ledger } = opened;
  const context = scopeSteps(input);
  let stopped: StoppedAt | undefined;
  for (const [index, step] of plan.steps.entries()) {
    writeStepHeader(output, style.bold(formatStepHeader(step, index, plan.steps.length)));
    const check = await takeStep(step, input, context, opened);
    const stops = !isDone(check);
    writeStepResult(
      output,
      colourResult(formatResultLine(check), check, style),
      stops ? check.outputTail : '',
    );
    if (stops) {
      stopped = { check, index };
      break;
    }
  }
  const rollback =
    stopped && decideRollback(plan, ledger.current().checks, stopped)
      ? await rollBack(input, context, stopped.check, ledger)
      : undefined;
  return closeRun(input, ledger, stopped, rollback);
}

// A step resumed from the last run does not run again, nor does one after an interrupt.
async function takeStep(
  step: Step,
  input: RunPlanInput,
  context: StepRun,
  { ledger, resumed }: { ledger: RunLedger; resumed: ReadonlySet<string> },
): Promise<Check> {
  const done = resumed.has(step.id)
    ? ledger.current().checks.find((check) => check.id === step.id)
    : undefined;
  if (done) return done;
  if (!context.signal.aborted) return runStep(step, input, context, ledger);
  const reason = `interrupted by ${describeAbortReason(context.signal)} before it started`;
  return recordWithoutRunning(step, input, ledger, reason);
}

// Every step runs in the workspace root with the run's redactor; the gate reads another stage's
// files through the run's own store, so the root is joined here and nowhere below.
function scopeSteps(input: RunPlanInput): StepRun {
  const { store, workspaceRoot } = input;
  return {
    ...input.step,
    cwd: workspaceRoot,
    redact: input.redact,
    readStageRun: async ({ ledgerPath, recordPath }, owner) => {
      const [restored, record] = await Promise.all([
        store.read(path.join(workspaceRoot, ledgerPath)),
        store.readRecord(path.join(workspaceRoot, recordPath), owner),
      ]);
      return { restored, record };
    },
  };
}

/**
 * Undoes this run's deploy after a later step failed: the rollback is recorded as a check of
 * its own, and the deploy check becomes `rolled_back` when it succeeds. It runs even after an
 * interrupt (when configured), with a signal of its own: a second signal still exits at once.
 * A failing rollback is said loudly: the new release is still live.
 */
async function rollBack(
  input: RunPlanInput,
  context: StepRun,
  failed: Check,
  ledger: RunLedger,
): Promise<Check | undefined> {
  const { plan, output, style } = input;
  const step = plan.rollback;
  if (!step) return undefined;
  output.out(style.bold(`${step.id} · ${step.env} · ${step.target} (because ${failed.id} failed)`));
  const own = new AbortController();
  const check = await runStep(step, input, { ...context, signal: own.signal }, ledger);
  output.out(colourResult(formatResultLine(check), check, style));
  const deploy = ledger.current().checks.find((candidate) => candidate.id === 'deploy');
  if (check.status === 'ok' && deploy) {
    const reason = `rolled back after ${failed.id} failed`;
    await ledger.save(recordCheck(ledger.current(), { ...deploy, status: 'rolled_back', reason }));
  } else if (check.status !== 'ok') {
    output.err(style.red(style.bold(formatRollbackFailed(step.target, check))));
  }
  return check;
}

function colourResult(line: string, check: Check, style: Style): string {
  if (check.status === 'ok') return style.green(line);
  if (check.status === 'skipped') return style.dim(line);
  return style.red(line);
}
