import type { OutputProblem } from '../io/check-output-tree';
import type { ConfigIssue } from '../core/config-issue';
import { formatConfigError } from './format-config-error';

const ELSEWHERE = 'or set outputPath to another directory inside the workspace';

// What is wrong with the directory tree under outputPath, said as an issue of that option.
export function describeOutputProblem(outputPath: string, problem: OutputProblem): ConfigIssue {
  const subject = `"${outputPath}"`;
  switch (problem.kind) {
    case 'leaves-workspace':
      return {
        path: 'outputPath',
        problem: `${subject} leads outside the workspace: ${problem.at} is a symbolic link to ${problem.target}`,
        fix: `remove that link (or point it at a directory inside the workspace), ${ELSEWHERE}`,
      };
    case 'dangling-link':
      return {
        path: 'outputPath',
        problem: `${subject} goes through ${problem.at}, a symbolic link to ${problem.target}, which does not exist`,
        fix: `create its target or remove the link, ${ELSEWHERE}`,
      };
    case 'not-a-directory':
      return {
        path: 'outputPath',
        problem:
          problem.role === 'ledger'
            ? `${subject} cannot hold the ledger: ${problem.at} is a file, not a directory`
            : `${subject} goes through a file: ${problem.at} is not a directory`,
        fix: `move that file away, ${ELSEWHERE}`,
      };
    case 'lock-not-a-file':
      return {
        path: 'outputPath',
        problem: `${subject} cannot hold the lock: ${problem.at} is ${problem.found}, not a lock file`,
        fix: `remove it (no run creates it), ${ELSEWHERE}`,
      };
    case 'unusable':
      return {
        path: 'outputPath',
        problem: `${subject} cannot be used: ${problem.at} (${problem.code})`,
        fix: `fix the permissions of that directory, ${ELSEWHERE}`,
      };
  }
}

// The one message for a stage whose output tree is unusable, like any configuration error.
export function formatOutputProblem(
  config: { readonly project: string; readonly target: string; readonly outputDir: string },
  problem: OutputProblem,
): string {
  const outputPath = config.outputDir.split('/').slice(0, -1).join('/');
  return formatConfigError(config.project, [
    { target: config.target, issues: [describeOutputProblem(outputPath, problem)] },
  ]);
}
