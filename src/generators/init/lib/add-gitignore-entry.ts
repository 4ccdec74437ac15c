// The ledgers' directory, relative to the workspace root (the executors' default outputPath).
export const LEDGER_IGNORE_ENTRY = '/dist/release';

// Patterns that already keep dist/release out of git (and so out of Nx's file hashes).
const COVERING = new Set(['dist', 'dist/release']);

/**
 * .gitignore text with /dist/release appended, unless a line already ignores dist or
 * dist/release (the usual `/dist`, `dist/`, `dist/**`...). Nx hashes only files git does not
 * ignore, so an unignored ledger would become an input of a root project's own release targets.
 * Negations and other patterns are not interpreted: when unsure, the line is added.
 */
export function addGitignoreEntry(text: string): string {
  const covered = text.split(/\r?\n/).some((line) => COVERING.has(normalizePattern(line)));
  if (covered) return text;
  const separator = text === '' || text.endsWith('\n') ? '' : '\n';
  return `${text}${separator}${LEDGER_IGNORE_ENTRY}\n`;
}

function normalizePattern(line: string): string {
  return line
    .trim()
    .replace(/^\//, '')
    .replace(/(\/\*\*|\/\*)$/, '')
    .replace(/\/$/, '');
}
