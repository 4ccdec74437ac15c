import path from 'node:path';
import { ReleaseError } from '../errors/release-error';
import { LEDGER_FILE, type Check, type Ledger } from '../ledger/ledger';
import type { LedgerRead } from '../ledger/parse-ledger';
import { finishCheck, finishLedger, recordCheck, startLedger } from '../ledger/ledger-transitions';
import { formatStepHeader } from '../plan/format-plan';
import type { Plan, Step } from '../plan/plan';
import { decideResume } from '../resume/decide-resume';
import { formatAborted, formatResultLine, formatSummary } from './format-run';
import { describeStepCommand, executeStep, type StepContext } from './execute-step';
import type { Output } from './output';

// The ledger's file operations, passed in so that tests can fail or watch them.
export interface LedgerStore {
  read(file: string): Promise<LedgerRead>;
  write(file: string, ledger: Ledger): Promise<void>;
  moveAside(file: string, now: Date): Promise<string>;
}

export interface RunPlanInput {
  readonly plan: Plan;
  readonly target: string;
  readonly outputDir: string;
  readonly resume: boolean;
  readonly output: Output;
  readonly store: LedgerStore;
  readonly now: () => Date;
  readonly step: StepContext;
}

/**
 * Runs a plan's steps in order and records each in the ledger before and after it runs. The
 * first step that does not succeed ends the stage: later steps do not run, and one ABORTED
 * line says where and why. Returns whether the stage succeeded.
 */
export async function runPlan(input: RunPlanInput): Promise<boolean> {
  const { plan, output, store, now } = input;
  const ledgerPath = path.join(input.outputDir, LEDGER_FILE);
  const file = path.join(input.step.workspaceRoot, ledgerPath);
  const decision = decideResume({
    plan,
    previous: await store.read(file),
    resume: input.resume,
    ledgerPath,
    target: input.target,
    recordedArgv: (step) => describeStepCommand(step, input.step.redact).argv,
  });
  if (decision.kind === 'refuse') throw new ReleaseError(decision.message);
  if (decision.kind === 'complete') {
    output.out(decision.message);
    return true;
  }
  for (const note of decision.notes) output.out(note);
  if (decision.moveAside)
    output.out(
      `Moved the old ledger to ${path.relative(input.step.workspaceRoot, await store.moveAside(file, now()))}.`,
    );
  let ledger = startLedger({
    project: plan.project,
    stage: plan.stage,
    releaseId: plan.releaseId,
    now: now(),
  });
  const save = async (next: Ledger) => {
    ledger = next;
    await writeOrExplain(store, file, ledger);
  };
  await save(ledger);
  let stopped: { check: Check; index: number } | undefined;
  for (const [index, step] of plan.steps.entries()) {
    output.out(formatStepHeader(step, index, plan.steps.length));
    if (input.step.signal.aborted) {
      stopped = { check: await recordInterruptedBeforeStart(step, input, save, ledger), index };
      break;
    }
    const check = decision.resumed.has(step.id)
      ? await recordResumed(step, input, save, ledger)
      : await runStep(step, input, save, () => ledger);
    output.out(formatResultLine(check));
    if (check.status !== 'ok' && check.status !== 'skipped') {
      stopped = { check, index };
      break;
    }
  }
  const status = !stopped
    ? 'ok'
    : stopped.check.status === 'interrupted'
      ? 'interrupted'
      : 'failed';
  await save(finishLedger(ledger, status, now()));
  if (stopped) {
    output.err(formatAborted(plan, stopped.check, plan.steps.slice(stopped.index + 1)));
    return false;
  }
  output.out(formatSummary(ledger, ledgerPath));
  return true;
}

async function runStep(
  step: Step,
  input: RunPlanInput,
  save: (ledger: Ledger) => Promise<void>,
  current: () => Ledger,
): Promise<Check> {
  const planned = describeStepCommand(step, input.step.redact);
  const running: Check = {
    id: step.id,
    kind: step.kind,
    env: step.env,
    target: step.target,
    ...planned,
    status: 'running',
    reason: null,
    exitCode: null,
    startedAt: input.now().toISOString(),
    finishedAt: null,
    durationMs: null,
    outputTail: '',
  };
  await save(recordCheck(current(), running));
  const result = await executeStep(step, input.step);
  if (result.advice) input.output.err(result.advice);
  const check = finishCheck(
    {
      ...running,
      argv: result.argv.length > 0 ? result.argv : running.argv,
      command: result.command || running.command,
    },
    {
      status: result.status,
      reason: result.reason,
      exitCode: result.exitCode,
      outputTail: result.outputTail,
      now: input.now(),
    },
  );
  await save(recordCheck(current(), check));
  return check;
}

async function recordResumed(
  step: Step,
  input: RunPlanInput,
  save: (ledger: Ledger) => Promise<void>,
  ledger: Ledger,
): Promise<Check> {
  const at = input.now().toISOString();
  const check: Check = {
    id: step.id,
    kind: step.kind,
    env: step.env,
    target: step.target,
    ...describeStepCommand(step, input.step.redact),
    status: 'skipped',
    reason: 'resumed',
    exitCode: null,
    startedAt: at,
    finishedAt: at,
    durationMs: 0,
    outputTail: '',
  };
  await save(recordCheck(ledger, check));
  return check;
}

async function recordInterruptedBeforeStart(
  step: Step,
  input: RunPlanInput,
  save: (ledger: Ledger) => Promise<void>,
  ledger: Ledger,
): Promise<Check> {
  const at = input.now().toISOString();
  const check: Check = {
    id: step.id,
    kind: step.kind,
    env: step.env,
    target: step.target,
    ...describeStepCommand(step, input.step.redact),
    status: 'interrupted',
    reason: `interrupted by ${typeof input.step.signal.reason === 'string' ? input.step.signal.reason : 'interrupt'} before it started`,
    exitCode: null,
    startedAt: at,
    finishedAt: at,
    durationMs: 0,
    outputTail: '',
  };
  await save(recordCheck(ledger, check));
  return check;
}

async function writeOrExplain(store: LedgerStore, file: string, ledger: Ledger): Promise<void> {
  try {
    await store.write(file, ledger);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ReleaseError(
      `Cannot write the ledger ${file} (${code}). Free space or fix the permissions of that directory, then re-run with --resume.`,
      { cause: error },
    );
  }
}
