import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';

// Where a program stands before it is started.
export type ProgramState = 'found' | 'missing' | 'not_executable';

// Whether `program` would start: a path (with a slash) from `cwd`, or a name found on PATH.
export function canRun(program: string, cwd: string, pathVariable: string | undefined): boolean {
  return locateProgram(program, cwd, pathVariable) === 'found';
}

// As canRun, and for a path (with a slash) whether the file is there but not executable.
export function locateProgram(
  program: string,
  cwd: string,
  pathVariable: string | undefined,
): ProgramState {
  const candidates = program.includes('/')
    ? [path.resolve(cwd, program)]
    : (pathVariable ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, program));
  if (candidates.some((candidate) => isFile(candidate) && isExecutable(candidate))) return 'found';
  return program.includes('/') && candidates.some(isFile) ? 'not_executable' : 'missing';
}

// Without an exception for a missing file: most PATH directories lack the program.
function isFile(file: string): boolean {
  try {
    return statSync(file, { throwIfNoEntry: false })?.isFile() === true;
  } catch {
    return false;
  }
}

function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
