import type { Stage } from '../config/release-config';
import type { Ledger } from './ledger';
import type { LedgerRead } from './parse-ledger';
import type { RecordedRun, RunRecordRead } from './run-record';

// The run of a release that decides, and where it was read.
export interface NewestRun {
  readonly read: LedgerRead;
  // `record`: the run record holds a newer run than the ledger in the stage's outputs.
  readonly from: 'outputs' | 'record';
  // Ids of the runs of this release known here; a run starting now follows all of them.
  readonly knownRunIds: readonly string[];
}

/**
 * Which run of a release counts: the ledger in the stage's outputs (what Nx may have restored
 * from its cache) or the newest run of that release in the run record of this checkout.
 *
 * - No recorded run of the release: the ledger, as read (missing, damaged, or another release).
 * - A damaged record: refused as such (it may hold a newer failed run).
 * - A damaged ledger stays damaged (resume refuses it, a plain run moves it aside); a missing
 *   one, or one of another release, gives way to the recorded run.
 * - Both hold runs of the release. The same run (same `runId`, or the same start without ids):
 *   the ledger, written first. A ledger of a run the record saw before its run started: the
 *   record, whatever the clocks. Otherwise a ledger this checkout never saw (another agent's):
 *   the later start wins, the record on a tie.
 */
export function chooseNewestRun(input: {
  readonly restored: LedgerRead;
  readonly record: RunRecordRead;
  readonly project: string;
  readonly stage: Stage;
  readonly releaseId: string;
}): NewestRun {
  const { restored, record } = input;
  const own =
    restored.kind === 'ok' &&
    restored.ledger.project === input.project &&
    restored.ledger.stage === input.stage &&
    restored.ledger.releaseId === input.releaseId
      ? restored.ledger
      : undefined;
  if (record.kind === 'damaged') return { read: record, from: 'record', knownRunIds: [] };
  const recorded =
    record.kind === 'ok'
      ? record.record.runs.find((run) => run.ledger.releaseId === input.releaseId)
      : undefined;
  const knownRunIds = listKnownRunIds(recorded, own);
  if (!recorded || restored.kind === 'damaged')
    return { read: restored, from: 'outputs', knownRunIds };
  if (!own || isNewer(recorded, own)) {
    return { read: { kind: 'ok', ledger: recorded.ledger }, from: 'record', knownRunIds };
  }
  return { read: restored, from: 'outputs', knownRunIds };
}

function isNewer(recorded: RecordedRun, restored: Ledger): boolean {
  const mine = recorded.ledger;
  const sameRun =
    mine.runId !== undefined && restored.runId !== undefined
      ? mine.runId === restored.runId
      : mine.startedAt === restored.startedAt;
  if (sameRun) return false;
  if (restored.runId !== undefined && recorded.earlierRunIds.includes(restored.runId)) return true;
  // Written so that an unreadable time (NaN) keeps the record.
  return !(Date.parse(restored.startedAt) > Date.parse(mine.startedAt));
}

function listKnownRunIds(
  recorded: RecordedRun | undefined,
  restored: Ledger | undefined,
): string[] {
  const ids = [restored?.runId, recorded?.ledger.runId, ...(recorded?.earlierRunIds ?? [])];
  return [...new Set(ids.filter((id): id is string => id !== undefined))];
}
