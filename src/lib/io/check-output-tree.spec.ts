import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkOutputTree } from './check-output-tree';

const OUTPUT_DIR = 'dist/release/shop/prepare';
const makeDir = () => mkdtempSync(path.join(tmpdir(), 'nxrd-tree-'));

describe('checkOutputTree', () => {
  it.each<[string, (root: string, outside: string) => void, unknown]>([
    ['nothing there yet', () => undefined, undefined],
    [
      'a link inside the workspace, above the ledger directory',
      (root) => {
        mkdirSync(path.join(root, 'build'));
        symlinkSync('build', path.join(root, 'dist'));
      },
      undefined,
    ],
    [
      'a link leaving the workspace, given as a relative path',
      (root, outside) => symlinkSync(path.relative(root, outside), path.join(root, 'dist')),
      { kind: 'leaves-workspace', at: 'dist', target: expect.stringMatching(/^\.\.\//) },
    ],
    [
      'a dangling link that would leave the workspace',
      (root, outside) => symlinkSync(path.join(outside, 'later'), path.join(root, 'dist')),
      { kind: 'leaves-workspace', at: 'dist', target: expect.stringMatching(/later$/) },
    ],
    [
      'a dangling link inside the workspace',
      (root) => symlinkSync('later', path.join(root, 'dist')),
      { kind: 'dangling-link', at: 'dist', target: 'later' },
    ],
    [
      'a link to a file inside the workspace',
      (root) => {
        writeFileSync(path.join(root, 'notes'), '');
        symlinkSync('notes', path.join(root, 'dist'));
      },
      { kind: 'not-a-directory', at: 'dist', role: 'path' },
    ],
    [
      'a lock that is a link inside the workspace (the lock reader refuses it)',
      (root) => {
        mkdirSync(path.join(root, 'dist/release/shop'), { recursive: true });
        symlinkSync('../../../notes', path.join(root, 'dist/release/shop/prepare.lock'));
      },
      undefined,
    ],
    [
      'a directory where the takeover guard of the lock goes',
      (root) =>
        mkdirSync(path.join(root, 'dist/release/shop/prepare.lock.takeover'), { recursive: true }),
      {
        kind: 'lock-not-a-file',
        at: 'dist/release/shop/prepare.lock.takeover',
        found: 'a directory',
      },
    ],
    [
      'a dangling link beside the ledger directory, inside the workspace',
      (root) => {
        mkdirSync(path.join(root, 'dist/release/shop'), { recursive: true });
        symlinkSync('gone', path.join(root, 'dist/release/shop/ship'));
      },
      undefined,
    ],
  ])('%s', async (_name, setup, expected) => {
    const root = makeDir();
    setup(root, makeDir());
    expect(await checkOutputTree(root, OUTPUT_DIR, { create: false })).toEqual(expected);
  });

  it('creates the directories only when asked to', async () => {
    const root = makeDir();
    await checkOutputTree(root, OUTPUT_DIR, { create: false });
    const created = existsSync(path.join(root, 'dist'));
    expect(await checkOutputTree(root, OUTPUT_DIR, { create: true })).toBeUndefined();
    expect({ created, now: existsSync(path.join(root, OUTPUT_DIR)) }).toEqual({
      created: false,
      now: true,
    });
  });

  it('checks from the real workspace root when the root itself is reached through a link', async () => {
    const real = makeDir();
    const root = path.join(makeDir(), 'workspace');
    symlinkSync(real, root);
    mkdirSync(path.join(real, 'build'));
    symlinkSync(path.join(real, 'build'), path.join(real, 'dist'));
    expect(await checkOutputTree(root, OUTPUT_DIR, { create: true })).toBeUndefined();
    expect(existsSync(path.join(real, 'build/release/shop/prepare'))).toBe(true);
  });
});
