import { mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createTempFile } from './create-temp-file';

const makeDir = () => mkdtempSync(path.join(tmpdir(), 'nxrd-temp-'));

describe('createTempFile', () => {
  it('creates a temp file only under a new name: a planted file or link there is skipped', async () => {
    const dir = makeDir();
    const outside = path.join(makeDir(), 'victim');
    writeFileSync(outside, 'precious\n');
    symlinkSync(outside, path.join(dir, '.checks_run.json.aaaaaaaaaaaaaaaa.tmp'));
    symlinkSync(path.join(dir, 'nowhere'), path.join(dir, '.checks_run.json.bbbbbbbbbbbbbbbb.tmp'));
    const suffixes = ['aaaaaaaaaaaaaaaa', 'bbbbbbbbbbbbbbbb', 'cccccccccccccccc'];
    const temp = await createTempFile(
      path.join(dir, 'checks_run.json'),
      () => suffixes.shift() ?? '',
    );
    await temp.handle.writeFile('new');
    await temp.handle.close();
    expect({
      temp: path.basename(temp.path),
      outside: readFileSync(outside, 'utf8'),
      danglingTargetCreated: readdirSync(dir).includes('nowhere'),
    }).toEqual({
      temp: '.checks_run.json.cccccccccccccccc.tmp',
      outside: 'precious\n',
      danglingTargetCreated: false,
    });
  });

  it('gives up after a few names that all exist, with the error of the last', async () => {
    const dir = makeDir();
    writeFileSync(path.join(dir, '.x.0000000000000000.tmp'), '');
    await expect(createTempFile(path.join(dir, 'x'), () => '0000000000000000')).rejects.toThrow(
      /EEXIST/,
    );
  });
});
