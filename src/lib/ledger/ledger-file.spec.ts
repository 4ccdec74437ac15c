import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeLedger } from '../test-support/make-ledger';
import {
  moveLedgerAside,
  readLedger,
  readRunRecord,
  removeStaleTempFiles,
  writeFileAtomic,
  writeLedger,
  writeRunRecord,
} from './ledger-file';
import { parseLedger } from './parse-ledger';
import { locateRunRecord, MAX_RECORDED_RELEASES, parseRunRecord, recordRun } from './run-record';

const makeDir = () => mkdtempSync(path.join(tmpdir(), 'nxrd-ledger-'));

describe('ledger file', () => {
  it('writes, then reads back the same ledger, leaving no temp file', async () => {
    const dir = makeDir();
    const file = path.join(dir, 'deep', 'prepare', 'checks_run.json');
    const ledger = makeLedger({}, [{ outputTail: 'é\n' }]);
    await writeLedger(file, ledger);
    expect(await readLedger(file)).toEqual({ kind: 'ok', ledger });
    expect(readdirSync(path.dirname(file))).toEqual(['checks_run.json']);
  });

  it('replaces the file whole on every write', async () => {
    const file = path.join(makeDir(), 'checks_run.json');
    await writeLedger(
      file,
      makeLedger(
        { status: 'running' },
        Array.from({ length: 50 }, () => ({ outputTail: 'x'.repeat(4096) })),
      ),
    );
    await writeLedger(file, makeLedger({ status: 'ok' }));
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(makeLedger({ status: 'ok' }));
  });

  it('reports a missing file as missing', async () => {
    expect(await readLedger(path.join(makeDir(), 'none.json'))).toEqual({ kind: 'missing' });
  });

  it.each([
    ['{"schemaVersion": 1, "project":', 'is not valid JSON'],
    ['{"schemaVersion": 2}', 'has schemaVersion 2 (expected 1)'],
    ['[]', 'has schemaVersion null (expected 1)'],
    ['{"schemaVersion": 1, "project": "shop"}', 'does not match schema version 1 (at stage)'],
  ])('reports %s as damaged: %s', (text, reason) => {
    expect(parseLedger(text)).toEqual({ kind: 'damaged', reason });
  });

  it('moves a damaged ledger aside, keeping its content', async () => {
    const dir = makeDir();
    const file = path.join(dir, 'checks_run.json');
    writeFileSync(file, 'not json');
    const aside = await moveLedgerAside(file, new Date('2026-11-29T10:00:00.123Z'));
    expect(path.basename(aside)).toBe('checks_run.json.damaged-2026-11-29T10-00-00-123Z');
    expect(readFileSync(aside, 'utf8')).toBe('not json');
    expect(await readLedger(file)).toEqual({ kind: 'missing' });
  });

  // Earlier versions named the temp file `.<name>.<pid>.<ms>.tmp` and opened it following
  // links: a link planted at a guessed name made the write land in any file.
  it('never writes through a link planted at a guessable temp name', async () => {
    const dir = makeDir();
    const outside = path.join(makeDir(), 'victim');
    writeFileSync(outside, 'precious\n');
    const now = 1764412800000;
    symlinkSync(outside, path.join(dir, `.checks_run.json.${process.pid}.${now}.tmp`));
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now);
    try {
      await writeLedger(path.join(dir, 'checks_run.json'), makeLedger({ status: 'ok' }));
    } finally {
      clock.mockRestore();
    }
    expect({
      outside: readFileSync(outside, 'utf8'),
      ledgerIsAFile: lstatSync(path.join(dir, 'checks_run.json')).isFile(),
      ledger: await readLedger(path.join(dir, 'checks_run.json')),
    }).toEqual({
      outside: 'precious\n',
      ledgerIsAFile: true,
      ledger: { kind: 'ok', ledger: makeLedger({ status: 'ok' }) },
    });
  });

  // A ledger that is a link could lead anywhere: it is not read through, and the next write
  // replaces the link itself.
  it('reads a ledger that is a link as damaged, and replaces the link, not its target', async () => {
    const dir = makeDir();
    const outside = path.join(makeDir(), 'checks_run.json');
    const theirs = `${JSON.stringify(makeLedger({ status: 'ok' }), null, 2)}\n`;
    writeFileSync(outside, theirs);
    const file = path.join(dir, 'checks_run.json');
    symlinkSync(outside, file);
    const read = await readLedger(file);
    await writeLedger(file, makeLedger({ status: 'running' }));
    expect({
      read,
      outside: readFileSync(outside, 'utf8'),
      ledgerIsAFile: lstatSync(file).isFile(),
    }).toEqual({
      read: { kind: 'damaged', reason: 'is a symbolic link (not followed)' },
      outside: theirs,
      ledgerIsAFile: true,
    });
  });

  it('removes the temp files killed runs left, old names and new, and only links, not targets', async () => {
    const dir = makeDir();
    const outside = path.join(makeDir(), 'victim');
    writeFileSync(outside, 'precious\n');
    for (const name of [
      '.checks_run.json.0123456789abcdef.tmp',
      '.junit.xml.fedcba9876543210.tmp',
      '.checks_run.json.4242.1764412800000.tmp',
      'checks_run.json',
      'junit.xml',
      'checks_run.json.damaged-2026-11-29T10-00-00-123Z',
      'notes.tmp',
    ])
      writeFileSync(path.join(dir, name), 'x');
    symlinkSync(outside, path.join(dir, '.junit.xml.0123456789abcdef.tmp'));
    mkdirSync(path.join(dir, '.keep.0123456789abcdef.tmp'));
    await removeStaleTempFiles(dir);
    expect({ left: readdirSync(dir).sort(), outside: readFileSync(outside, 'utf8') }).toEqual({
      left: [
        '.keep.0123456789abcdef.tmp',
        'checks_run.json',
        'checks_run.json.damaged-2026-11-29T10-00-00-123Z',
        'junit.xml',
        'notes.tmp',
      ],
      outside: 'precious\n',
    });
  });

  it('writes any text file whole, leaving no temp file', async () => {
    const dir = makeDir();
    await writeFileAtomic(path.join(dir, 'runs', 'prepare.json'), '{}\n');
    expect(readdirSync(path.join(dir, 'runs'))).toEqual(['prepare.json']);
  });

  it('keeps the optional runId and argvDigest (zod would strip unknown keys)', () => {
    const ledger = makeLedger({ runId: '0a1b2c3d4e5f6a7b' }, [
      { argvDigest: 'scrypt:N=2,r=1,p=1:s:h' },
    ]);
    expect(parseLedger(JSON.stringify(ledger))).toEqual({ kind: 'ok', ledger });
  });
});

describe('run record', () => {
  const owner = { project: 'shop', stage: 'prepare' as const };

  it('lives beside the stage directory, outside its outputs', () => {
    expect(locateRunRecord('dist/release/shop/prepare')).toBe(
      'dist/release/shop/runs/prepare.json',
    );
  });

  it('writes and reads back the newest run of each release, newest first', async () => {
    const file = path.join(makeDir(), 'runs', 'prepare.json');
    const first = recordRun(undefined, makeLedger({ releaseId: 'r1', status: 'ok' }), []);
    const second = recordRun(first, makeLedger({ releaseId: 'r2', status: 'running' }), []);
    const third = recordRun(second, makeLedger({ releaseId: 'r1', status: 'failed' }), ['x']);
    await writeRunRecord(file, third);
    const read = await readRunRecord(file, owner);
    expect(read).toEqual({ kind: 'ok', record: third });
    expect(
      third.runs.map((run) => [run.ledger.releaseId, run.ledger.status, run.earlierRunIds]),
    ).toEqual([
      ['r1', 'failed', ['x']],
      ['r2', 'running', []],
    ]);
  });

  it('removes stale temp files of its own record only (the stages share the directory)', async () => {
    const dir = makeDir();
    const names = ['.prepare.json.123.456.tmp', '.ship.json.789.12.tmp', 'prepare.json'];
    for (const name of names) writeFileSync(path.join(dir, name), '');
    await removeStaleTempFiles(dir, 'prepare.json');
    expect(readdirSync(dir).sort()).toEqual(['.ship.json.789.12.tmp', 'prepare.json']);
  });

  it(`keeps ${MAX_RECORDED_RELEASES} releases at most`, () => {
    const record = Array.from({ length: MAX_RECORDED_RELEASES + 5 }, (_, i) => `r${i}`).reduce(
      (draft: ReturnType<typeof recordRun> | undefined, releaseId) =>
        recordRun(draft, makeLedger({ releaseId }), []),
      undefined,
    );
    expect(record?.runs).toHaveLength(MAX_RECORDED_RELEASES);
    expect(record?.runs[0]?.ledger.releaseId).toBe(`r${MAX_RECORDED_RELEASES + 4}`);
  });

  it.each([
    ['{', 'is not valid JSON'],
    [
      '{"schemaVersion": 1, "project": "shop", "stage": "prepare", "runs": [{}]}',
      'does not match run record schema version 1 (at runs.0.ledger)',
    ],
    [
      JSON.stringify(recordRun(undefined, makeLedger({ project: 'admin' }), [])),
      'belongs to admin prepare, not shop prepare',
    ],
  ])('reports %s as damaged: %s', (text, reason) => {
    expect(parseRunRecord(text, owner)).toEqual({ kind: 'damaged', reason });
  });
});
