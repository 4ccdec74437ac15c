import { shortRelease } from '../config/short-release';
import { formatCommandLine } from '../command/quote-command';
import type { CommandSpec } from '../command/command-spec';
import type { Redact } from '../redact/redact';
import type { Plan, Step } from './plan';

// The header of a step, shared by dry-run and live output: `[2/3] post_deploy · qa · shop-qa`.
export function formatStepHeader(step: Step, index: number, total: number): string {
  return `[${index + 1}/${total}] ${step.id} · ${step.env} · ${step.target}`;
}

// The command line shown for a command: exactly what pasting into bash would run, secrets masked.
export function formatCommand(command: CommandSpec, redact: Redact): string {
  return redact(formatCommandLine(command.argv, command.env));
}

// The dry-run text of a plan: every step and its exact command lines, nothing run.
export function formatDryRun(plan: Plan, redact: Redact): string {
  const lines = [
    `nx-release-deploy ${plan.stage} · ${plan.project} · release ${shortRelease(plan.releaseId)} · dry run (nothing runs, nothing is written)`,
  ];
  plan.steps.forEach((step, index) => {
    lines.push(formatStepHeader(step, index, plan.steps.length), ...describeStep(step, redact));
  });
  if (plan.steps.length === 0) lines.push('No steps: nothing to do.');
  if (plan.rollback) {
    lines.push(
      `[if a step after deploy fails] ${plan.rollback.id} · ${plan.rollback.env} · ${plan.rollback.target}` +
        (plan.rollbackOnInterrupt ? ' (also when interrupted)' : ''),
      `  $ ${formatCommand(plan.rollback.command, redact)}`,
    );
  }
  lines.push(
    `Dry run: ${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'} planned, none run.`,
  );
  return lines.join('\n');
}

function describeStep(step: Step, redact: Redact): string[] {
  switch (step.kind) {
    case 'gate':
      return [
        `  requires ${step.target} (from ${step.prepareTarget}) to show this release ok` +
          (step.provenPostDeploy ? ', with this post-deploy command ok on QA:' : ''),
        ...(step.provenPostDeploy ? [`  $ ${formatCommand(step.provenPostDeploy, redact)}`] : []),
      ];
    case 'publish':
      return [
        `  skipped when live: ${step.live.kind === 'npm-view' ? `npm answers version ${step.live.version}` : 'the check exits 0'}`,
        `  $ ${formatCommand(step.check, redact)}`,
        `  $ ${formatCommand(step.publish, redact)}`,
      ];
    case 'deploy':
    case 'post_deploy':
      return [`  $ ${formatCommand(step.command, redact)}`];
  }
}
