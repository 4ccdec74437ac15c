import { makeLedger } from '../test-support/make-ledger';
import { chooseNewestRun } from './choose-newest-run';
import type { Ledger } from './ledger';
import type { LedgerRead } from './parse-ledger';
import { recordRun, type RunRecordRead } from './run-record';

const at = (minute: number) => `2026-11-29T10:${String(minute).padStart(2, '0')}:00.000Z`;
const run = (runId: string | undefined, minute: number, status: Ledger['status'] = 'ok') =>
  makeLedger({ ...(runId !== undefined && { runId }), startedAt: at(minute), status });
const okRead = (ledger: Ledger): LedgerRead => ({ kind: 'ok', ledger });
const recordOf = (ledger: Ledger, earlierRunIds: string[] = []): RunRecordRead => ({
  kind: 'ok',
  record: recordRun(undefined, ledger, earlierRunIds),
});
const choose = (restored: LedgerRead, record: RunRecordRead, releaseId = 'a1b2c3d') =>
  chooseNewestRun({ restored, record, project: 'shop', stage: 'prepare', releaseId });

describe('chooseNewestRun', () => {
  const failedLater = run('b', 5, 'failed');
  it.each<[string, LedgerRead, RunRecordRead, 'outputs' | 'record', Ledger | undefined]>([
    ['no record: the ledger', okRead(run('a', 1)), { kind: 'missing' }, 'outputs', run('a', 1)],
    [
      'a ledger of a run the record saw before its run: the record, whatever the clocks',
      okRead(run('a', 9)),
      recordOf(failedLater, ['a']),
      'record',
      failedLater,
    ],
    [
      'a ledger this checkout never saw, started earlier: the record',
      okRead(run('z', 1)),
      recordOf(failedLater),
      'record',
      failedLater,
    ],
    [
      "another agent's later run: the ledger",
      okRead(run('z', 9)),
      recordOf(failedLater),
      'outputs',
      run('z', 9),
    ],
    [
      'the same run (the ledger is written first): the ledger',
      okRead(run('b', 5, 'running')),
      recordOf(run('b', 5, 'failed')),
      'outputs',
      run('b', 5, 'running'),
    ],
    [
      'the same start without run ids: the ledger',
      okRead(run(undefined, 5, 'running')),
      recordOf(run(undefined, 5, 'failed')),
      'outputs',
      run(undefined, 5, 'running'),
    ],
    [
      'two runs started at the same instant: the record',
      okRead(run('z', 5)),
      recordOf(failedLater),
      'record',
      failedLater,
    ],
    [
      'no ledger in the outputs: the record',
      { kind: 'missing' },
      recordOf(failedLater),
      'record',
      failedLater,
    ],
    [
      'a ledger of another release: the record of this one',
      okRead(makeLedger({ releaseId: 'ffff', startedAt: at(9) })),
      recordOf(failedLater),
      'record',
      failedLater,
    ],
    [
      'a record of other releases only: the ledger',
      okRead(run('a', 1)),
      recordOf(makeLedger({ releaseId: 'ffff', runId: 'f' })),
      'outputs',
      run('a', 1),
    ],
  ])('%s', (_name, restored, record, from, ledger) => {
    expect(choose(restored, record)).toMatchObject({ from, read: { kind: 'ok', ledger } });
  });

  it('keeps a damaged ledger damaged, and refuses a damaged record', () => {
    const damaged: LedgerRead = { kind: 'damaged', reason: 'is not valid JSON' };
    expect(choose(damaged, recordOf(failedLater))).toMatchObject({
      read: damaged,
      from: 'outputs',
    });
    const bad: RunRecordRead = { kind: 'damaged', reason: 'is not valid JSON' };
    expect(choose(okRead(run('a', 1)), bad)).toEqual({
      read: bad,
      from: 'record',
      knownRunIds: [],
    });
  });

  it('lists every run of the release known here, for the run that starts next', () => {
    expect(choose(okRead(run('z', 9)), recordOf(failedLater, ['a'])).knownRunIds).toEqual([
      'z',
      'b',
      'a',
    ]);
  });
});
