import type { TargetIssues } from './resolve-target';

/**
 * One message for everything wrong with a project's release options. A single issue is one
 * line: `Invalid configuration for shop:release-prepare: devops.qa_app: "X" is not ... Use ...`.
 * Several are listed one per line under a header, grouped by the target to edit.
 */
export function formatConfigError(project: string, problems: readonly TargetIssues[]): string {
  const total = problems.reduce((count, group) => count + group.issues.length, 0);
  const only = problems[0]?.issues[0];
  if (total === 1 && problems[0] && only) {
    return `Invalid configuration for ${project}:${problems[0].target}: ${formatIssueLine(only)}`;
  }
  return problems
    .filter((group) => group.issues.length > 0)
    .map((group) =>
      [
        `Invalid configuration for ${project}:${group.target} (${group.issues.length} problem${group.issues.length > 1 ? 's' : ''}):`,
        ...group.issues.map((issue) => `  - ${formatIssueLine(issue)}`),
      ].join('\n'),
    )
    .join('\n');
}

function formatIssueLine(issue: { path: string; problem: string; fix: string }): string {
  return `${issue.path} ${issue.problem}. ${capitalize(issue.fix)}${/[.?!]$/.test(issue.fix) ? '' : '.'}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
