/**
 * What the operating system refuses when a program is started (execve): a value that breaks
 * one of these can only fail at spawn, so it is refused when the configuration is read.
 * - One argument (or environment entry) of at most 131071 bytes: Linux's MAX_ARG_STRLEN is
 *   32 pages (131072 bytes) counting the terminating NUL; one byte more fails with E2BIG.
 * - The argv and environment together (each string with its NUL, plus one pointer each) of at
 *   most 1 MiB: macOS's ARG_MAX, and Linux's limit whenever the stack limit is 4 MiB or more
 *   (a quarter of it; the usual 8 MiB stack allows 2 MiB).
 * - No NUL inside a string: C strings end there (Node refuses such an argument outright).
 */
export const MAX_ARGUMENT_BYTES = 131_071;
export const MAX_SPAWN_BYTES = 1024 * 1024;
const POINTER_BYTES = 8;

// Why one value can never be an argument of a started program, or undefined when it can be.
export function describeUnspawnableText(
  text: string,
): { readonly problem: string; readonly fix: string } | undefined {
  if (text.includes('\0')) {
    return {
      problem: 'contains a NUL character, which no command argument can hold',
      fix: 'remove it',
    };
  }
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_ARGUMENT_BYTES) {
    return {
      problem: `is ${bytes} bytes long, longer than one argument of a command may be (${MAX_ARGUMENT_BYTES} bytes on Linux)`,
      fix: 'shorten it',
    };
  }
  return undefined;
}

// What execve copies for argv and env: every string with its NUL, and a pointer to each.
export function measureSpawnBytes(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): number {
  return measureStrings(argv) + measureEnvBytes(env);
}

// The environment's share of measureSpawnBytes, for a caller that measures it once.
export function measureEnvBytes(env: Readonly<Record<string, string | undefined>>): number {
  let total = 0;
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined) total += measureString(`${name}=${value}`);
  }
  return total;
}

// The argv's share of measureSpawnBytes.
export function measureStrings(texts: readonly string[]): number {
  return texts.reduce((total, text) => total + measureString(text), 0);
}

function measureString(text: string): number {
  return Buffer.byteLength(text, 'utf8') + 1 + POINTER_BYTES;
}
