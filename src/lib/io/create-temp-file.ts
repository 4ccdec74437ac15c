import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { formatTempName } from './temp-name';

// Create only: fails on any existing entry, a symbolic link included (dangling or not), so a
// file or link planted at the name is never written through or reused.
const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
const ATTEMPTS = 8;

export interface TempFile {
  readonly path: string;
  readonly handle: FileHandle;
}

// A new, empty temp file beside `file`, under a random name nobody could have planted.
export async function createTempFile(
  file: string,
  makeSuffix: () => string = () => randomBytes(8).toString('hex'),
): Promise<TempFile> {
  const dir = path.dirname(file);
  for (let attempt = 1; ; attempt += 1) {
    const temp = path.join(dir, formatTempName(path.basename(file), makeSuffix()));
    try {
      return { path: temp, handle: await open(temp, CREATE_NEW, 0o666) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= ATTEMPTS) throw error;
    }
  }
}
