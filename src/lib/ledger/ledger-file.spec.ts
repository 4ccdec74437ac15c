import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeLedger } from '../test-support/make-ledger';
import { moveLedgerAside, readLedger, writeLedger } from './ledger-file';
import { parseLedger } from './parse-ledger';

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
});
