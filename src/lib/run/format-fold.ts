// GitHub Actions folds the lines between `::group::<title>` and `::endgroup::` under the title.
export const FOLD_END = '::endgroup::';

// The colour codes of style.ts (ESC [ ... m), which a fold's title would show as text.
const COLOUR = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');

// The line that opens a fold: the title as one plain line (the log shows no colour in titles).
export function formatFoldStart(title: string): string {
  const plain = title.replace(COLOUR, '').replace(/[\r\n]+/g, ' ');
  return `::group::${plain}`;
}

// Under a failed step's result line, outside its fold: what the step printed last, again.
export function formatFailedOutput(tail: string): string {
  if (tail === '') return '';
  const body = tail.endsWith('\n') ? tail : `${tail}\n`;
  return `  Last output of the step (also in its group above):\n${body}`;
}
