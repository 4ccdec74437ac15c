import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ReleaseError } from '../core/release-error';
import { describeAbortReason } from '../io/run-process';
import { chooseNewestRun } from '../ledger/choose-newest-run';
import { isDone, LEDGER_FILE, type Check, type Ledger } from '../ledger/ledger';
import type { LedgerStore } from '../ledger/ledger-store';
import {
  carryCommand,
  finishCheck,
  finishLedger,
  recordCheck,
  startLedger,
} from '../ledger/ledger-transitions';
import { locateRunRecord, recordRun, type RunRecord } from '../ledger/run-record';
import { formatStepHeader } from '../plan/format-plan';
import type { Plan, RollbackStep, Step } from '../plan/plan';
import { formatJunit } from '../report/format-junit';
import { formatStepSummary } from '../report/format-step-summary';
import { formatSummaryTable } from '../report/format-summary-table';
import type { ReportInput } from '../report/report-input';
import { decideResume } from '../resume/decide-resume';
import { decideRollback } from '../resume/decide-rollback';
import { describeCommandsNow } from './describe-command-now';
import { describeStepCommand, executeStep, type StepContext } from './execute-step';
import { formatAborted, formatResultLine, formatRollbackFailed, formatSummary } from './format-run';
import { writeClosing, writeStepHeader, writeStepResult, type Output } from './output';
import type { Style } from '../core/style';

export const JUNIT_FILE = 'junit.xml';

export interface RunPlanInput {
  readonly plan: Plan;
  readonly target: string;
  readonly outputDir: string;
  readonly resume: boolean;
  readonly output: Output;
  readonly style: Style;
  readonly store: LedgerStore;
  readonly now: () => Date;
  // A new run's id (default: 16 random hex digits).
  readonly newRunId?: () => string;
  readonly step: StepContext;
  // $GITHUB_STEP_SUMMARY, when set: a Markdown table of the checks is appended to it.
  readonly stepSummaryFile?: string;
}

type Save = (ledger: Ledger) => Promise<void>;

/**
 * Runs a plan's steps in order and records each in the ledger before and after it runs. The
 * first step that does not succeed ends the stage: later steps do not run, and one ABORTED
 * line says where and why. Then the summary table, junit.xml and the job summary are written.
 * Returns whether the stage succeeded.
 */
export async function runPlan(input: RunPlanInput): Promise<boolean> {
  const { plan, output, store, now, style } = input;
  const ledgerPath = path.join(input.outputDir, LEDGER_FILE);
  const file = path.join(input.step.workspaceRoot, ledgerPath);
  await store.removeStaleTemp(path.dirname(file));
  const recordPath = locateRunRecord(input.outputDir);
  const recordFile = path.join(input.step.workspaceRoot, recordPath);
  await store.removeStaleTemp(path.dirname(recordFile), path.basename(recordFile));
  const owner = { project: plan.project, stage: plan.stage };
  const restored = await store.read(file);
  let record = await readOwnRecord(input, recordFile, recordPath);
  const newest = chooseNewestRun({
    restored,
    record: record ? { kind: 'ok', record } : { kind: 'missing' },
    ...owner,
    releaseId: plan.releaseId,
  });
  const previous = newest.read.kind === 'ok' ? newest.read.ledger : undefined;
  const decision = decideResume({
    plan,
    previous: newest.read,
    resume: input.resume,
    ledgerPath,
    target: input.target,
    // Only --resume compares commands (and verifies digests, an scrypt each).
    commandsNow: input.resume
      ? await describeCommandsNow(plan, input.step.redact, previous)
      : new Map(),
    ...(newest.from === 'record' && { recordPath }),
  });
  if (decision.kind === 'refuse') throw new ReleaseError(decision.message);
  if (decision.kind === 'complete') {
    // The outputs then hold the run that decided, for Nx to cache.
    if (newest.from === 'record' && previous)
      await writeOrExplain(store, file, { ledger: previous });
    writeClosing(output, decision.message, 'out');
    return true;
  }
  for (const note of decision.notes) output.out(style.yellow(note));
  if (decision.moveAside) {
    const aside = await store.moveAside(file, now());
    output.out(
      style.yellow(`Moved the old ledger to ${path.relative(input.step.workspaceRoot, aside)}.`),
    );
  }
  // Steps resumed from the last run are in the very first write: a kill at any later instant
  // must not lose the record that they were done. They keep the command that did them.
  let ledger = plan.steps
    .filter((step) => decision.resumed.has(step.id))
    .reduce(
      (draft, step) =>
        recordCheck(
          draft,
          carryCommand(
            buildCheck(step, input, { status: 'skipped', reason: 'resumed', durationMs: 0 }),
            previous?.checks.find((check) => check.id === step.id),
          ),
        ),
      startLedger({
        project: plan.project,
        stage: plan.stage,
        releaseId: plan.releaseId,
        runId: input.newRunId?.() ?? randomBytes(8).toString('hex'),
        now: now(),
      }),
    );
  // The ledger first, then the run record: the record is never ahead of the ledger (a kill in
  // between leaves the ledger one write ahead, which --resume follows), and it shows this run
  // before any of its commands starts, so a cache restore of the ledger cannot hide it.
  const save: Save = async (next) => {
    ledger = orderByPlan(next, plan);
    await writeOrExplain(store, file, { ledger });
    record = recordRun(record, ledger, newest.knownRunIds);
    await writeOrExplain(store, recordFile, { record });
  };
  await save(ledger);
  let stopped: { check: Check; index: number } | undefined;
  for (const [index, step] of plan.steps.entries()) {
    writeStepHeader(output, style.bold(formatStepHeader(step, index, plan.steps.length)));
    const resumed = ledger.checks.find(
      (check) => check.id === step.id && decision.resumed.has(step.id),
    );
    const check =
      resumed ??
      (input.step.signal.aborted
        ? await recordWithoutRunning(step, input, save, ledger, {
            status: 'interrupted',
            reason: `interrupted by ${describeAbortReason(input.step.signal)} before it started`,
          })
        : await runStep(step, input, save, () => ledger));
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
    stopped && decideRollback(plan, ledger.checks, stopped)
      ? await rollBack(input, stopped.check, save, () => ledger)
      : undefined;
  const status = !stopped
    ? 'ok'
    : stopped.check.status === 'interrupted'
      ? 'interrupted'
      : 'failed';
  await save(finishLedger(ledger, status, now()));
  const notRun = stopped ? plan.steps.slice(stopped.index + 1) : [];
  await writeReports(input, { ledger, notRun });
  if (stopped) {
    writeClosing(
      output,
      style.red(
        style.bold(
          formatAborted(
            plan,
            stopped.check,
            notRun,
            { target: input.target, ledgerPath },
            rollback,
          ),
        ),
      ),
      'err',
    );
    return false;
  }
  writeClosing(output, style.green(formatSummary(ledger, ledgerPath)), 'out');
  return true;
}

/**
 * Undoes this run's deploy after a later step failed: the rollback is recorded as a check of
 * its own, and the deploy check becomes `rolled_back` when it succeeds. It runs even after an
 * interrupt (when configured), with a signal of its own: a second signal still exits at once.
 * A failing rollback is said loudly: the new release is still live.
 */
async function rollBack(
  input: RunPlanInput,
  failed: Check,
  save: Save,
  current: () => Ledger,
): Promise<Check | undefined> {
  const { plan, output, style } = input;
  const step = plan.rollback;
  if (!step) return undefined;
  output.out(style.bold(`${step.id} · ${step.env} · ${step.target} (because ${failed.id} failed)`));
  const own = new AbortController();
  const check = await runStep(
    step,
    { ...input, step: { ...input.step, signal: own.signal } },
    save,
    current,
  );
  output.out(colourResult(formatResultLine(check), check, style));
  const deploy = current().checks.find((candidate) => candidate.id === 'deploy');
  if (check.status === 'ok' && deploy) {
    const reason = `rolled back after ${failed.id} failed`;
    await save(recordCheck(current(), { ...deploy, status: 'rolled_back', reason }));
  } else if (check.status !== 'ok') {
    output.err(style.red(style.bold(formatRollbackFailed(step.target, check))));
  }
  return check;
}

async function runStep(
  step: Step | RollbackStep,
  input: RunPlanInput,
  save: Save,
  current: () => Ledger,
): Promise<Check> {
  const running = buildCheck(step, input, {
    status: 'running',
    reason: null,
    finishedAt: null,
    durationMs: null,
  });
  await save(recordCheck(current(), running));
  const result = await executeStep(step, input.step, input.plan.installHints);
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
  await save(recordCheck(current(), check));
  return check;
}

// A check for a step that does not run because the stage was interrupted before it began.
async function recordWithoutRunning(
  step: Step,
  input: RunPlanInput,
  save: Save,
  ledger: Ledger,
  end: { status: 'interrupted'; reason: string },
): Promise<Check> {
  const check = buildCheck(step, input, { ...end, durationMs: 0 });
  await save(recordCheck(ledger, check));
  return check;
}

function buildCheck(
  step: Step | RollbackStep,
  input: RunPlanInput,
  end: Pick<Check, 'status' | 'reason' | 'durationMs'> & { finishedAt?: null },
): Check {
  const at = input.now().toISOString();
  return {
    id: step.id,
    kind: step.kind,
    env: step.env,
    target: step.target,
    ...describeStepCommand(step, input.step.redact),
    status: end.status,
    reason: end.reason,
    exitCode: null,
    startedAt: at,
    finishedAt: end.finishedAt === null ? null : at,
    durationMs: end.durationMs,
    outputTail: '',
  };
}

// The closing table, junit.xml beside the ledger, and the GitHub job summary. A report that
// cannot be written is a warning: the ledger is the record.
async function writeReports(input: RunPlanInput, report: ReportInput): Promise<void> {
  const { output, store, style } = input;
  output.out(formatSummaryTable(report, style));
  const junit = path.join(input.step.workspaceRoot, input.outputDir, JUNIT_FILE);
  await store.writeText(junit, formatJunit(report)).catch((error: NodeJS.ErrnoException) => {
    output.err(
      style.yellow(
        `Could not write ${junit} (${error.code ?? error.message}); the ledger is complete.`,
      ),
    );
  });
  if (!input.stepSummaryFile) return;
  await store
    .appendText(input.stepSummaryFile, formatStepSummary(report))
    .catch((error: NodeJS.ErrnoException) => {
      output.err(
        style.yellow(`Could not append to GITHUB_STEP_SUMMARY (${error.code ?? error.message}).`),
      );
    });
}

// Checks in the order of the plan (the rollback last), whatever order they were recorded in.
function orderByPlan(ledger: Ledger, plan: Plan): Ledger {
  const position = (id: string) => {
    const index = plan.steps.findIndex((step) => step.id === id);
    return index === -1 ? plan.steps.length : index;
  };
  return { ...ledger, checks: [...ledger.checks].sort((a, b) => position(a.id) - position(b.id)) };
}

function colourResult(line: string, check: Check, style: Style): string {
  if (check.status === 'ok') return style.green(line);
  if (check.status === 'skipped') return style.dim(line);
  return style.red(line);
}

async function writeOrExplain(
  store: LedgerStore,
  file: string,
  content: { ledger: Ledger } | { record: RunRecord },
): Promise<void> {
  try {
    await ('ledger' in content
      ? store.write(file, content.ledger)
      : store.writeRecord(file, content.record));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ReleaseError(
      `Cannot write the ${'ledger' in content ? 'ledger' : 'run record'} ${file} (${code}). Free space or fix the permissions of that directory, then re-run with --resume.`,
      { cause: error },
    );
  }
}

// The stage's run record; a damaged one is moved aside (the run then starts a new record).
async function readOwnRecord(
  input: RunPlanInput,
  file: string,
  shown: string,
): Promise<RunRecord | undefined> {
  const { plan, store, output, style } = input;
  const read = await store.readRecord(file, { project: plan.project, stage: plan.stage });
  if (read.kind === 'ok') return read.record;
  if (read.kind === 'damaged') {
    const aside = await store.moveAside(file, input.now()).catch((error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
      throw new ReleaseError(
        `Cannot move the damaged run record ${file} aside (${code}). Fix the permissions of that directory or delete the file, then run again.`,
        { cause: error },
      );
    });
    output.out(
      style.yellow(
        `The run record ${shown} ${read.reason}; it is moved to ${path.relative(input.step.workspaceRoot, aside)} and a new one is started.`,
      ),
    );
  }
  return undefined;
}
