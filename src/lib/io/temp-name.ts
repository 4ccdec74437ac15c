// Temp files of atomic writes are `.<name>.<16 hex digits>.tmp` beside the file they replace:
// random, so a name cannot be guessed and planted in advance.
export function formatTempName(base: string, suffix: string): string {
  return `.${base}.${suffix}.tmp`;
}

const CURRENT = /^\..+\.[0-9a-f]{16}\.tmp$/;
// Written by earlier versions: `.<name>.<pid>.<ms>.tmp` (ledger, reports) and
// `<stage>.lock.<pid>.tmp` or `<stage>.lock.takeover.<pid>.tmp` (lock).
const EARLIER = [/^\..+\.\d+\.\d+\.tmp$/, /^[^/]+\.lock(\.takeover)?\.\d+\.tmp$/];

// Whether a directory entry is a temp file some atomic write of this plugin left behind.
export function isTempName(name: string): boolean {
  return CURRENT.test(name) || EARLIER.some((pattern) => pattern.test(name));
}
