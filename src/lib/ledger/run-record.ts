import path from 'node:path';
import { z } from 'zod';
import type { Stage } from '../config/release-config';
import type { Ledger } from './ledger';
import { ledgerSchema } from './parse-ledger';

export const RUN_RECORD_SCHEMA_VERSION = 1;
// How many releases a record keeps (the newest run of each); older releases drop out.
export const MAX_RECORDED_RELEASES = 30;
// How many earlier run ids of one release a record remembers.
const MAX_EARLIER_RUN_IDS = 20;

export type RunRecordRead =
  | { readonly kind: 'missing' }
  | { readonly kind: 'ok'; readonly record: RunRecord }
  | { readonly kind: 'damaged'; readonly reason: string };

// The newest run of one release in this checkout, and the runs it is known to have followed:
// `earlierRunIds` are ids of earlier runs of the same release that this checkout saw before
// this run started (its own, and ledgers a cache restored): any of them is older, whatever the
// clocks say.
const recordedRunSchema = z
  .object({ ledger: ledgerSchema, earlierRunIds: z.array(z.string()).readonly() })
  .readonly();

// `runs`: newest write first.
const runRecordSchema = z
  .object({
    schemaVersion: z.literal(RUN_RECORD_SCHEMA_VERSION),
    project: z.string(),
    stage: z.enum(['prepare', 'ship']),
    runs: z.array(recordedRunSchema).readonly(),
  })
  .readonly();

export type RecordedRun = z.infer<typeof recordedRunSchema>;

/**
 * The per-project, per-stage record of runs, kept outside the stage's cached `outputs` so that
 * an Nx cache restore (which replaces `<outputPath>/<stage>`) cannot roll it back: the gate and
 * --resume follow the newest run it records, not only the ledger Nx restored.
 */
export type RunRecord = z.infer<typeof runRecordSchema>;

// `<outputPath>/runs/<stage>.json` for the stage directory `<outputPath>/<stage>`.
export function locateRunRecord(stageDir: string): string {
  return path.posix.join(
    path.posix.dirname(stageDir),
    'runs',
    `${path.posix.basename(stageDir)}.json`,
  );
}

// The record with `ledger` as the newest run of its release, the oldest releases dropped.
export function recordRun(
  record: RunRecord | undefined,
  ledger: Ledger,
  earlierRunIds: readonly string[],
): RunRecord {
  const others = (record?.runs ?? []).filter((run) => run.ledger.releaseId !== ledger.releaseId);
  return {
    schemaVersion: RUN_RECORD_SCHEMA_VERSION,
    project: ledger.project,
    stage: ledger.stage,
    runs: [{ ledger, earlierRunIds: earlierRunIds.slice(0, MAX_EARLIER_RUN_IDS) }, ...others].slice(
      0,
      MAX_RECORDED_RELEASES,
    ),
  };
}

// Checks a record's text; one of another project or stage is damaged for this one.
export function parseRunRecord(
  text: string,
  owner: { readonly project: string; readonly stage: Stage },
): RunRecordRead {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { kind: 'damaged', reason: 'is not valid JSON' };
  }
  const parsed = runRecordSchema.safeParse(data);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return {
      kind: 'damaged',
      reason: `does not match run record schema version ${RUN_RECORD_SCHEMA_VERSION} (at ${first?.path.join('.') || 'top level'})`,
    };
  }
  const record = parsed.data;
  const strays = record.runs.some(
    (run) => run.ledger.project !== owner.project || run.ledger.stage !== owner.stage,
  );
  if (record.project !== owner.project || record.stage !== owner.stage || strays) {
    return {
      kind: 'damaged',
      reason: `belongs to ${record.project} ${record.stage}, not ${owner.project} ${owner.stage}`,
    };
  }
  return { kind: 'ok', record };
}
