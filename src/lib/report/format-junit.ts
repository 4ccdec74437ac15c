import { isDone, type Check } from '../ledger/ledger';
import type { ReportInput } from './report-input';

/**
 * JUnit XML of one stage, the format GitHub (test reporters), GitLab (`artifacts:reports:junit`)
 * and Jenkins (junit step) all read: one testcase per check; a failure carries its reason and
 * output tail, a skip its reason; steps that never ran after an abort are skipped testcases.
 */
export function formatJunit({ ledger, notRun }: ReportInput): string {
  const suite = `${ledger.project} ${ledger.stage}`;
  const failures = ledger.checks.filter((check) => !isDone(check)).length;
  const skipped =
    ledger.checks.filter((check) => check.status === 'skipped').length + notRun.length;
  const tests = ledger.checks.length + notRun.length;
  const seconds = formatSeconds(
    ledger.checks.reduce((sum, check) => sum + (check.durationMs ?? 0), 0),
  );
  const stoppedAt = ledger.checks.find((check) => !isDone(check))?.id;
  const cases = [
    ...ledger.checks.map((check) => formatCase(suite, check)),
    ...notRun.map(
      (step) =>
        `    <testcase classname="${escapeXml(suite)}" name="${escapeXml(`${step.id} · ${step.env} · ${step.target}`)}" time="0">\n` +
        `      <skipped message="${escapeXml(`not run: the stage stopped at ${stoppedAt ?? 'an earlier step'}`)}"/>\n    </testcase>`,
    ),
  ];
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="nx-release-deploy" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds}">`,
    `  <testsuite name="${escapeXml(`${suite} (release ${ledger.releaseId})`)}" tests="${tests}" failures="${failures}" errors="0" skipped="${skipped}" time="${seconds}" timestamp="${escapeXml(ledger.startedAt)}">`,
    '    <properties>',
    ...[
      ['project', ledger.project],
      ['stage', ledger.stage],
      ['releaseId', ledger.releaseId],
      ['status', ledger.status],
    ].map(
      ([name, value]) => `      <property name="${name}" value="${escapeXml(value as string)}"/>`,
    ),
    '    </properties>',
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

function formatCase(suite: string, check: Check): string {
  const open = `    <testcase classname="${escapeXml(suite)}" name="${escapeXml(`${check.id} · ${check.env} · ${check.target}`)}" time="${formatSeconds(check.durationMs ?? 0)}">`;
  const detail = [check.command && `$ ${check.command}`, check.outputTail]
    .filter(Boolean)
    .join('\n');
  if (!isDone(check)) {
    const reason = check.reason ?? check.status;
    return `${open}\n      <failure message="${escapeXml(reason)}" type="${check.status}">${escapeXml(detail)}</failure>\n    </testcase>`;
  }
  if (check.status === 'skipped') {
    return `${open}\n      <skipped message="${escapeXml(check.reason ?? 'skipped')}"/>\n    </testcase>`;
  }
  const output = detail ? `\n      <system-out>${escapeXml(detail)}</system-out>\n    ` : '';
  return `${open}${output}</testcase>`;
}

function formatSeconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

// Escapes markup and drops what XML 1.0 cannot hold at all (most control chars, such as ANSI ESC).
export function escapeXml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
