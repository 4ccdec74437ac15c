import { shortRelease } from '../core/short-release';
import type { Check } from '../ledger/ledger';
import { formatDuration } from '../core/format-duration';
import type { Style } from '../core/style';
import type { ReportInput } from './report-input';

// The closing table printed after a stage: every check, its status, duration and reason.
export function formatSummaryTable({ ledger, notRun }: ReportInput, style: Style): string {
  const rows = [
    ...ledger.checks.map((check) => [
      check.id,
      check.env,
      check.target,
      check.status,
      formatTime(check),
      check.reason ?? '',
    ]),
    ...notRun.map((step) => [step.id, step.env, step.target, 'not run', '', '']),
  ];
  const header = ['step', 'env', 'target', 'status', 'time', 'reason'];
  const widths = header.map((title, index) =>
    Math.max(title.length, ...rows.map((row) => (row[index] as string).length)),
  );
  const format = (row: string[]) =>
    `  ${row
      .map((cell, index) =>
        index === row.length - 1 ? cell : cell.padEnd(widths[index] as number),
      )
      .join('  ')
      .trimEnd()}`;
  return [
    style.bold(
      `Summary: ${ledger.stage} of ${ledger.project} (release ${shortRelease(ledger.releaseId)})`,
    ),
    style.dim(format(header)),
    ...rows.map((row) => colourRow(format(row), row[3] as string, style)),
  ].join('\n');
}

function formatTime(check: Check): string {
  return check.durationMs === null || check.reason === 'resumed'
    ? ''
    : formatDuration(check.durationMs);
}

function colourRow(line: string, status: string, style: Style): string {
  if (status === 'ok') return style.green(line);
  if (status === 'skipped' || status === 'not run') return style.dim(line);
  return style.red(line);
}
