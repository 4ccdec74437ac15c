import {
  closeSync,
  constants,
  createWriteStream,
  fstatSync,
  openSync,
  readFileSync,
} from 'node:fs';
import type { Writable } from 'node:stream';

/**
 * The stdout of process `pid` (the Nx process that forked this one), opened for writing
 * through Linux's /proc/<pid>/fd/1, or undefined where that is not possible or not safe: no
 * /proc, no permission, a socket (which /proc cannot open), a pipe nobody reads (probed without
 * blocking), a regular file (a second open has its own offset and would overwrite Nx's lines),
 * or the very stream this process writes to already. Writes block in libuv's thread pool when
 * the pipe is full, so the writer keeps its backpressure; an error (the reader went away)
 * drops the rest of the output instead of ending the process.
 */
export function openNxStdout(pid: number): Writable | undefined {
  const file = `/proc/${pid}/fd/1`;
  let probe: number;
  try {
    probe = openSync(file, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    const target = fstatSync(probe);
    if (!target.isFIFO() && !target.isCharacterDevice()) return undefined;
    if (isSameFile(target, 1)) return undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(probe);
  }
  let fd: number;
  try {
    fd = openSync(file, constants.O_WRONLY);
  } catch {
    return undefined;
  }
  const stream = createWriteStream('', { fd });
  stream.on('error', () => undefined);
  return stream;
}

// The command line of process `pid`, or [] where it cannot be read (no /proc, gone).
export function readProcessArgv(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    return [];
  }
}

function isSameFile(target: { dev: number; ino: number }, fd: number): boolean {
  try {
    const own = fstatSync(fd);
    return own.dev === target.dev && own.ino === target.ino;
  } catch {
    return false;
  }
}
