import type { Check } from '../ledger/ledger';
import { finishCheck, recordCheck } from '../ledger/ledger-transitions';
import type { RollbackStep, Step } from '../plan/plan';
import { describeStepCommand, executeStep, type StepRun } from './execute-step';
import type { RunLedger } from './run-ledger';
import type { RunPlanInput } from './run-plan-input';

type StepInput = Pick<RunPlanInput, 'now' | 'redact' | 'output' | 'style' | 'plan'>;

// A step's check is saved as running before its command starts, so a kill leaves it visible.
export async function runStep(
  step: Step | RollbackStep,
  input: StepInput,
  context: StepRun,
  ledger: RunLedger,
): Promise<Check> {
  const running = buildCheck(step, input, {
    status: 'running',
    reason: null,
    finishedAt: null,
    durationMs: null,
  });
  await ledger.save(recordCheck(ledger.current(), running));
  const result = await executeStep(step, context, input.plan.installHints);
  if (result.advice) input.output.err(input.style.red(result.advice));
  const check = finishCheck(
    {
      ...running,
      argv: result.argv.length > 0 ? result.argv : running.argv,
      command: result.command || running.command,
      ...(result.argvDigest !== undefined && { argvDigest: result.argvDigest }),
    },
    {
      status: result.status,
      reason: result.reason,
      exitCode: result.exitCode,
      outputTail: result.outputTail,
      now: input.now(),
    },
  );
  await ledger.save(recordCheck(ledger.current(), check));
  return check;
}

// A check for a step that does not run because the stage was interrupted before it began.
export async function recordWithoutRunning(
  step: Step,
  input: StepInput,
  ledger: RunLedger,
  reason: string,
): Promise<Check> {
  const check = buildCheck(step, input, { status: 'interrupted', reason, durationMs: 0 });
  await ledger.save(recordCheck(ledger.current(), check));
  return check;
}

// A step's check as first recorded: what it runs (masked), started and (unless running) ended now.
export function buildCheck(
  step: Step | RollbackStep,
  input: Pick<RunPlanInput, 'now' | 'redact'>,
  end: Pick<Check, 'status' | 'reason' | 'durationMs'> & { finishedAt?: null },
): Check {
  const at = input.now().toISOString();
  return {
    id: step.id,
    kind: step.kind,
    env: step.env,
    target: step.target,
    ...describeStepCommand(step, input.redact),
    status: end.status,
    reason: end.reason,
    exitCode: null,
    startedAt: at,
    finishedAt: end.finishedAt === null ? null : at,
    durationMs: end.durationMs,
    outputTail: '',
  };
}
