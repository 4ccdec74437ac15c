import { accessSync, constants } from 'node:fs';
import path from 'node:path';

// Whether `program` would start: a path (with a slash) from `cwd`, or a name found on PATH.
export function canRun(program: string, cwd: string, pathVariable: string | undefined): boolean {
  const candidates = program.includes('/')
    ? [path.resolve(cwd, program)]
    : (pathVariable ?? '')
        .split(path.delimiter)
        .filter(Boolean)
        .map((dir) => path.join(dir, program));
  return candidates.some((candidate) => {
    try {
      accessSync(candidate, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
