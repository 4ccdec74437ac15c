import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { isRecord } from '../core/is-record';

// The fields of a package.json that decide what is published and whether it is live.
export interface PackageManifest {
  readonly name?: unknown;
  readonly version?: unknown;
  readonly private?: unknown;
  readonly publishConfig?: { readonly registry?: unknown; readonly tag?: unknown };
}

// Reads <dir>/package.json; a missing or unreadable file comes back as a reason, not a throw.
export async function readPackageManifest(
  dir: string,
): Promise<{ manifest: PackageManifest } | { reason: string }> {
  const file = path.join(dir, 'package.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return {
      reason:
        code === 'ENOENT'
          ? 'has no package.json'
          : `has an unreadable package.json (${code ?? 'error'})`,
    };
  }
  try {
    const manifest: unknown = JSON.parse(text);
    if (!isRecord(manifest)) return { reason: 'has a package.json that is not an object' };
    return { manifest };
  } catch {
    return { reason: 'has a package.json that is not valid JSON' };
  }
}
