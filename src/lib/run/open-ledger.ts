import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ReleaseError } from '../core/release-error';
import { chooseNewestRun, type NewestRun } from '../ledger/choose-newest-run';
import type { Ledger } from '../ledger/ledger';
import { carryCommand, recordCheck, startLedger } from '../ledger/ledger-transitions';
import type { RunRecord } from '../ledger/run-record';
import { decideResume, type ResumeDecision } from '../resume/decide-resume';
import { describeCommandsNow } from './describe-command-now';
import {
  locateStageFiles,
  startRunLedger,
  writeOrExplain,
  type RunLedger,
  type StageFiles,
} from './run-ledger';
import type { RunPlanInput } from './run-plan-input';
import { buildCheck } from './run-step';

// The ledger a run writes to, with the steps --resume skips; or the message that nothing is left.
export type OpenedLedger =
  | { readonly kind: 'complete'; readonly message: string }
  | { readonly kind: 'open'; readonly ledger: RunLedger; readonly resumed: ReadonlySet<string> };

type Proceed = Extract<ResumeDecision, { kind: 'proceed' }>;

/**
 * Opens the stage's ledger before any step runs (README "Resume and re-runs"): clears the temp
 * files a killed write left, reads the newest run (the ledger, or the run record beside it),
 * decides what --resume skips, moves an old ledger aside when told to, and writes the first
 * ledger. A refused resume throws; a complete one writes nothing new and returns its message.
 */
export async function openLedger(input: RunPlanInput): Promise<OpenedLedger> {
  const files = locateStageFiles(input.workspaceRoot, input.outputDir);
  await removeStaleTemps(input, files);
  const { newest, record } = await readNewestRun(input, files);
  const previous = newest.read.kind === 'ok' ? newest.read.ledger : undefined;
  const decision = await decideRun(input, files, newest, previous);
  if (decision.kind === 'refuse') throw new ReleaseError(decision.message);
  if (decision.kind === 'complete') {
    // The outputs then hold the run that decided, for Nx to cache.
    if (newest.from === 'record' && previous)
      await writeOrExplain(input.store, files.ledgerFile, { ledger: previous });
    return decision;
  }
  await clearTheWay(input, files, decision);
  const ledger = await startRunLedger({
    store: input.store,
    plan: input.plan,
    files,
    record,
    knownRunIds: newest.knownRunIds,
    first: seedLedger(input, decision.resumed, previous),
  });
  return { kind: 'open', ledger, resumed: decision.resumed };
}

// A write killed half-way leaves a temp file beside the ledger or the record; the stages share
// the record's directory, so only this stage's record temps go.
async function removeStaleTemps(input: RunPlanInput, files: StageFiles): Promise<void> {
  await input.store.removeStaleTemp(path.dirname(files.ledgerFile));
  await input.store.removeStaleTemp(
    path.dirname(files.recordFile),
    path.basename(files.recordFile),
  );
}

// The ledger in the outputs (Nx may have restored an older one) against the record's newest run.
async function readNewestRun(
  input: RunPlanInput,
  files: StageFiles,
): Promise<{ newest: NewestRun; record: RunRecord | undefined }> {
  const { plan } = input;
  const restored = await input.store.read(files.ledgerFile);
  const record = await readOwnRecord(input, files);
  const newest = chooseNewestRun({
    restored,
    record: record ? { kind: 'ok', record } : { kind: 'missing' },
    project: plan.project,
    stage: plan.stage,
    releaseId: plan.releaseId,
  });
  return { newest, record };
}

// The stage's run record; a damaged one is moved aside (the run then starts a new record).
async function readOwnRecord(
  input: RunPlanInput,
  files: StageFiles,
): Promise<RunRecord | undefined> {
  const { plan, store, output, style } = input;
  const file = files.recordFile;
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
        `The run record ${files.recordPath} ${read.reason}; it is moved to ${path.relative(input.workspaceRoot, aside)} and a new one is started.`,
      ),
    );
  }
  return undefined;
}

// What becomes of the newest run; only --resume compares commands (a digest: an scrypt each).
async function decideRun(
  input: RunPlanInput,
  files: StageFiles,
  newest: NewestRun,
  previous: Ledger | undefined,
): Promise<ResumeDecision> {
  const { plan } = input;
  return decideResume({
    plan,
    previous: newest.read,
    resume: input.resume,
    ledgerPath: files.ledgerPath,
    target: input.target,
    commandsNow: input.resume ? await describeCommandsNow(plan, input.redact, previous) : new Map(),
    ...(newest.from === 'record' && { recordPath: files.recordPath }),
  });
}

// The decision's notes are said before anything is written, and an old ledger kept beside.
async function clearTheWay(input: RunPlanInput, files: StageFiles, decision: Proceed) {
  const { output, style } = input;
  for (const note of decision.notes) output.out(style.yellow(note));
  if (!decision.moveAside) return;
  const aside = await input.store.moveAside(files.ledgerFile, input.now());
  output.out(style.yellow(`Moved the old ledger to ${path.relative(input.workspaceRoot, aside)}.`));
}

// Steps resumed from the last run are in the very first write: a kill at any later instant
// must not lose the record that they were done. They keep the command that did them.
function seedLedger(
  input: RunPlanInput,
  resumed: ReadonlySet<string>,
  previous: Ledger | undefined,
): Ledger {
  const { plan, now } = input;
  return plan.steps
    .filter((step) => resumed.has(step.id))
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
}
