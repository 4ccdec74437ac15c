import { formatDuration } from '../core/format-duration';
import type { ReportInput } from './report-input';

const ICONS: Readonly<Record<string, string>> = {
  ok: '✅',
  skipped: '⏭️',
  failed: '❌',
  timed_out: '⏱️',
  interrupted: '🛑',
  running: '❔',
  rolled_back: '↩️',
};

// A Markdown table for GitHub's job summary ($GITHUB_STEP_SUMMARY), one row per check.
export function formatStepSummary({ ledger, notRun }: ReportInput): string {
  const rows = [
    ...ledger.checks.map((check) => [
      `${ICONS[check.status] ?? ''} ${check.status}`,
      `\`${check.id}\``,
      check.env,
      check.target,
      check.durationMs === null || check.reason === 'resumed'
        ? ''
        : formatDuration(check.durationMs),
      check.reason ?? '',
    ]),
    ...notRun.map((step) => [
      '➖ not run',
      `\`${step.id}\``,
      step.env,
      step.target,
      '',
      'the stage stopped before it',
    ]),
  ];
  return [
    `### ${ICONS[ledger.status] ?? ''} nx-release-deploy: ${ledger.stage} of ${ledger.project} ${ledger.status === 'ok' ? 'succeeded' : ledger.status}`,
    '',
    `Release \`${ledger.releaseId}\`, started ${ledger.startedAt}.`,
    '',
    '| Status | Step | Env | Target | Duration | Reason |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row.map(escapeCell).join(' | ')} |`),
    '',
  ].join('\n');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
