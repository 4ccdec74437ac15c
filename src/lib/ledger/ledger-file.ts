import { constants } from 'node:fs';
import { mkdir, open, readdir, rename, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { Stage } from '../config/release-config';
import { createTempFile } from '../io/create-temp-file';
import { isTempName } from '../io/temp-name';
import { parseLedger, type LedgerRead } from './parse-ledger';
import type { Ledger } from './ledger';
import { parseRunRecord, type RunRecord, type RunRecordRead } from './run-record';

/**
 * Writes a file so that a kill at any instant leaves either the previous or the new complete
 * file: write a temp file in the same directory, fsync it, rename it over the target, then
 * fsync the directory so the rename itself survives a crash. The temp file has a random name
 * and is created new (never through a link); the rename replaces a link at `file` itself,
 * never the file it points to.
 */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const { path: temp, handle } = await createTempFile(file);
  try {
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dir);
}

// The ledger as pretty JSON, written atomically.
export function writeLedger(file: string, ledger: Ledger): Promise<void> {
  return writeFileAtomic(file, `${JSON.stringify(ledger, null, 2)}\n`);
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
  } finally {
    await handle.close();
  }
}

// Reads a ledger file: missing, valid, or damaged with the reason (never throws for content).
// A symbolic link is not followed (it could lead anywhere): it reads as damaged.
export async function readLedger(file: string): Promise<LedgerRead> {
  const text = await readText(file);
  return typeof text === 'string' ? parseLedger(text) : text;
}

// The run record as pretty JSON, written atomically.
export function writeRunRecord(file: string, record: RunRecord): Promise<void> {
  return writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
}

// Reads the run record of one project and stage, like a ledger.
export async function readRunRecord(
  file: string,
  owner: { readonly project: string; readonly stage: Stage },
): Promise<RunRecordRead> {
  const text = await readText(file);
  return typeof text === 'string' ? parseRunRecord(text, owner) : text;
}

async function readText(
  file: string,
): Promise<string | { kind: 'missing' } | { kind: 'damaged'; reason: string }> {
  try {
    return await readWithoutFollowing(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'missing' };
    if (code === 'ELOOP') return { kind: 'damaged', reason: 'is a symbolic link (not followed)' };
    return { kind: 'damaged', reason: `cannot be read (${code ?? 'error'})` };
  }
}

async function readWithoutFollowing(file: string): Promise<string> {
  const handle = await open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    return await handle.readFile('utf8');
  } finally {
    await handle.close();
  }
}

// Moves a damaged ledger aside (kept for inspection) and returns where it went.
export async function moveLedgerAside(file: string, now: Date): Promise<string> {
  const aside = `${file}.damaged-${now.toISOString().replace(/[:.]/g, '-')}`;
  await rename(file, aside);
  return aside;
}

// Temp files of atomic writes a killed run left behind (the stage lock is held: none is live);
// with `of`, only those of that file (a directory the stages share: the run records). unlink
// removes a link itself, never what it points to.
export async function removeStaleTempFiles(dir: string, of?: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  await Promise.all(
    entries
      .filter((entry) => !entry.isDirectory() && isTempName(entry.name))
      .filter((entry) => of === undefined || entry.name.startsWith(`.${of}.`))
      .map((entry) => unlink(path.join(dir, entry.name)).catch(() => undefined)),
  );
}
