import path from 'node:path';
import { ReleaseError } from '../core/release-error';
import { LEDGER_FILE, type Ledger } from '../ledger/ledger';
import type { LedgerStore } from '../ledger/ledger-store';
import { locateRunRecord, recordRun, type RunRecord } from '../ledger/run-record';
import type { Plan } from '../plan/plan';

// Where a stage's run is kept: the paths its messages show, and the files they stand for.
export interface StageFiles {
  readonly ledgerPath: string;
  readonly ledgerFile: string;
  readonly recordPath: string;
  readonly recordFile: string;
}

// The run's ledger as last saved; saving is the only way to change it.
export interface RunLedger {
  readonly files: StageFiles;
  current(): Ledger;
  save(next: Ledger): Promise<void>;
}

// The ledger in the stage's outputs, and the run record beside them (README "Resume and re-runs").
export function locateStageFiles(workspaceRoot: string, outputDir: string): StageFiles {
  const ledgerPath = path.join(outputDir, LEDGER_FILE);
  const recordPath = locateRunRecord(outputDir);
  return {
    ledgerPath,
    ledgerFile: path.join(workspaceRoot, ledgerPath),
    recordPath,
    recordFile: path.join(workspaceRoot, recordPath),
  };
}

/**
 * Writes the run's first ledger and returns the one way to save the next ones. The ledger first,
 * then the run record: the record is never ahead of the ledger (a kill in between leaves the
 * ledger one write ahead, which --resume follows), and it shows this run before any of its
 * commands starts, so a cache restore of the ledger cannot hide it.
 */
export async function startRunLedger(input: {
  readonly store: LedgerStore;
  readonly plan: Plan;
  readonly files: StageFiles;
  readonly record: RunRecord | undefined;
  readonly knownRunIds: readonly string[];
  readonly first: Ledger;
}): Promise<RunLedger> {
  const { store, plan, files, knownRunIds } = input;
  let ledger = input.first;
  let record = input.record;
  const run: RunLedger = {
    files,
    current: () => ledger,
    save: async (next) => {
      ledger = orderByPlan(next, plan);
      await writeOrExplain(store, files.ledgerFile, { ledger });
      record = recordRun(record, ledger, knownRunIds);
      await writeOrExplain(store, files.recordFile, { record });
    },
  };
  await run.save(ledger);
  return run;
}

// A write that fails stops the run with what to do: --resume continues from the last write.
export async function writeOrExplain(
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

// Checks in the order of the plan (the rollback last), whatever order they were recorded in.
function orderByPlan(ledger: Ledger, plan: Plan): Ledger {
  const position = (id: string) => {
    const index = plan.steps.findIndex((step) => step.id === id);
    return index === -1 ? plan.steps.length : index;
  };
  return { ...ledger, checks: [...ledger.checks].sort((a, b) => position(a.id) - position(b.id)) };
}
