import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { canRun, locateProgram } from './find-program';

describe('locateProgram: whether a program would start, before it is started', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'nxrd-find-'));
  const bin = path.join(root, 'bin');
  mkdirSync(bin);
  mkdirSync(path.join(root, 'tools', 'dir'), { recursive: true });
  writeFileSync(path.join(bin, 'tool'), '#!/bin/sh\n', { mode: 0o755 });
  writeFileSync(path.join(bin, 'plain'), 'data\n', { mode: 0o644 });
  writeFileSync(path.join(root, 'tools', 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
  writeFileSync(path.join(root, 'tools', 'notes.sh'), '#!/bin/sh\n', { mode: 0o644 });
  chmodSync(path.join(root, 'tools', 'notes.sh'), 0o644);

  it.each<[string, string, string | undefined, ReturnType<typeof locateProgram>]>([
    ['a name on PATH', 'tool', bin, 'found'],
    ['a name not on PATH', 'nowhere', bin, 'missing'],
    ['a name on PATH without the execute bit', 'plain', bin, 'missing'],
    ['a name with no PATH at all', 'tool', undefined, 'missing'],
    ['an executable path from the workspace root', 'tools/run.sh', bin, 'found'],
    ['a path that is not executable', 'tools/notes.sh', bin, 'not_executable'],
    ['a path that does not exist', 'tools/gone.sh', bin, 'missing'],
    ['a directory is no program', 'tools/dir', bin, 'missing'],
    ['a path through a file', 'tools/run.sh/x', bin, 'missing'],
  ])('%s', (_name, program, pathVariable, state) => {
    expect(locateProgram(program, root, pathVariable)).toBe(state);
    expect(canRun(program, root, pathVariable)).toBe(state === 'found');
  });
});
