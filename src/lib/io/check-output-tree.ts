import { lstat, mkdir, readdir, readlink, realpath, stat } from 'node:fs/promises';
import path from 'node:path';

// Something on disk that stops a run from writing its files under <outputPath>, as data: the
// message is built by describeOutputProblem. Paths are relative to the workspace root.
export type OutputProblem =
  | { readonly kind: 'leaves-workspace'; readonly at: string; readonly target: string }
  | { readonly kind: 'dangling-link'; readonly at: string; readonly target: string }
  | { readonly kind: 'not-a-directory'; readonly at: string; readonly role: 'path' | 'ledger' }
  | { readonly kind: 'lock-not-a-file'; readonly at: string; readonly found: string }
  | { readonly kind: 'unusable'; readonly at: string; readonly code: string };

/**
 * Checks the directories a run writes to before it writes anything: every existing component
 * of `<outputPath>/<stage>` is a directory, and resolves (through any symbolic link) inside the
 * real workspace root; so does every link directly under `<outputPath>` (where the lock, the
 * other stage's directory and any other record of the run live). The lock `<stage>.lock` and
 * its takeover guard, when they exist, are files. With `create`, the directories are then
 * made and checked once more (a link swapped in meanwhile is caught). A link that stays inside
 * the workspace is fine.
 */
export async function checkOutputTree(
  root: string,
  outputDir: string,
  options: { readonly create: boolean },
): Promise<OutputProblem | undefined> {
  const realRoot = await realpath(root);
  const parts = outputDir.split('/');
  const outputPath = parts.slice(0, -1).join('/');
  for (let depth = 1; depth <= parts.length; depth += 1) {
    const at = parts.slice(0, depth).join('/');
    const found = await checkComponent(root, realRoot, at, depth === parts.length);
    if (found === 'missing') break;
    if (found) return found;
  }
  const below = await checkEntriesBelow(root, realRoot, outputPath, `${parts.at(-1)}.lock`);
  if (below || !options.create) return below;
  try {
    await mkdir(path.join(root, outputDir), { recursive: true });
    for (const at of [outputPath, outputDir]) {
      const real = await realpath(path.join(root, at));
      if (!isInside(realRoot, real)) return { kind: 'leaves-workspace', at, target: real };
    }
  } catch (error) {
    return { kind: 'unusable', at: outputDir, code: readCode(error) };
  }
  return undefined;
}

async function checkComponent(
  root: string,
  realRoot: string,
  at: string,
  isLedgerDir: boolean,
): Promise<OutputProblem | 'missing' | undefined> {
  const file = path.join(root, at);
  const role = isLedgerDir ? 'ledger' : 'path';
  try {
    const entry = await lstat(file);
    if (entry.isSymbolicLink()) {
      const link = await checkLink(root, realRoot, at);
      if (link) return link;
      return (await stat(file)).isDirectory() ? undefined : { kind: 'not-a-directory', at, role };
    }
    return entry.isDirectory() ? undefined : { kind: 'not-a-directory', at, role };
  } catch (error) {
    const code = readCode(error);
    if (code === 'ENOENT') return 'missing';
    return { kind: 'unusable', at, code };
  }
}

// A link resolves inside the workspace, or says where it leads.
async function checkLink(
  root: string,
  realRoot: string,
  at: string,
): Promise<OutputProblem | undefined> {
  const file = path.join(root, at);
  const target = await readlink(file);
  try {
    return isInside(realRoot, await realpath(file))
      ? undefined
      : { kind: 'leaves-workspace', at, target };
  } catch (error) {
    if (readCode(error) !== 'ENOENT') throw error;
    // A dangling link: where it would lead once something creates its target.
    const resolved = path.resolve(await realpath(path.dirname(file)), target);
    return isInside(realRoot, resolved)
      ? { kind: 'dangling-link', at, target }
      : { kind: 'leaves-workspace', at, target };
  }
}

async function checkEntriesBelow(
  root: string,
  realRoot: string,
  outputPath: string,
  lockName: string,
): Promise<OutputProblem | undefined> {
  const dir = path.join(root, outputPath);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const at = `${outputPath}/${entry.name}`;
    if (entry.isSymbolicLink()) {
      const link = await checkLink(root, realRoot, at).catch((error: unknown) => ({
        kind: 'unusable' as const,
        at,
        code: readCode(error),
      }));
      if (link && link.kind !== 'dangling-link') return link;
    }
    const isLock = entry.name === lockName || entry.name === `${lockName}.takeover`;
    if (isLock && !entry.isFile() && !entry.isSymbolicLink())
      return { kind: 'lock-not-a-file', at, found: describeEntry(entry) };
  }
  return undefined;
}

function describeEntry(entry: { isDirectory(): boolean; isFIFO(): boolean }): string {
  if (entry.isDirectory()) return 'a directory';
  if (entry.isFIFO()) return 'a named pipe';
  return 'not a regular file';
}

function isInside(realRoot: string, real: string): boolean {
  return real === realRoot || real.startsWith(`${realRoot}${path.sep}`);
}

function readCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}
