import { shortRelease } from '../core/short-release';
import {
  describeCharacter,
  findHiddenCharacter,
  isHiddenCharacter,
} from '../command/hidden-characters';
import { escapeCharacter, formatVisibleCommandLine } from '../command/quote-command';
import type { CommandSpec } from '../command/command-spec';
import { PUBLISHERS } from '../publishers/publishers';
import type { Redact } from '../redact/redact';
import { listStepCommands } from './list-commands';
import type { Plan, Step } from './plan';

// The header of a step, shared by dry-run and live output: `[2/3] post_deploy · qa · shop-qa`.
export function formatStepHeader(step: Step, index: number, total: number): string {
  return `[${index + 1}/${total}] ${step.id} · ${step.env} · ${step.target}`;
}

/**
 * The command line shown for a command (dry run, the `$` line of a run, the ledger): exactly
 * what pasting into bash would run, every character visible, secrets masked. A word that is
 * printed with escapes is masked before it is escaped too, so that a secret holding such a
 * character is still found.
 */
export function formatCommand(command: CommandSpec, redact: Redact): string {
  const maskEscaped = (word: string) => (findHiddenCharacter(word) === -1 ? word : redact(word));
  const env = Object.fromEntries(
    Object.entries(command.env ?? {}).map(([name, value]) => [name, maskEscaped(value)]),
  );
  return redact(formatVisibleCommandLine(command.argv.map(maskEscaped), env));
}

// The dry-run text of a plan: every step and its exact command lines, nothing run.
export function formatDryRun(plan: Plan, redact: Redact): string {
  const lines = [
    `nx-release-deploy ${plan.stage} · ${plan.project} · release ${shortRelease(plan.releaseId)} · dry run (nothing runs, nothing is written)`,
  ];
  plan.steps.forEach((step, index) => {
    lines.push(
      formatStepHeader(step, index, plan.steps.length),
      ...describeStep(step, redact),
      ...listStepCommands(step).flatMap((command) => showCommand(command, redact)),
    );
  });
  if (plan.steps.length === 0) lines.push('No steps: nothing to do.');
  if (plan.rollback) {
    lines.push(
      `[if a step after deploy fails] ${plan.rollback.id} · ${plan.rollback.env} · ${plan.rollback.target}` +
        (plan.rollbackOnInterrupt ? ' (also when interrupted)' : ''),
      ...listStepCommands(plan.rollback).flatMap((command) => showCommand(command, redact)),
    );
  }
  lines.push(
    `Dry run: ${plan.steps.length} step${plan.steps.length === 1 ? '' : 's'} planned, none run.`,
  );
  return lines.join('\n');
}

// What a step's commands do not show: what the gate requires, when a publish step is skipped.
function describeStep(step: Step, redact: Redact): string[] {
  switch (step.kind) {
    case 'gate':
      return [
        `  requires ${step.target} (from ${step.prepareTarget}) to show this release ok` +
          (step.provenPostDeploy ? ', with this post-deploy command ok on QA:' : ''),
        ...(step.provenPostDeploy ? showCommand(step.provenPostDeploy, redact) : []),
      ];
    case 'publish':
      return [`  skipped when live: ${PUBLISHERS[step.package.kind].describeLive(step.package)}`];
    case 'deploy':
    case 'post_deploy':
      return [];
  }
}

// A command's `$` line, and under it what each byte escape stands for (`\e`, `\r` speak for
// themselves; `\xe2\x80\xae` needs its name).
function showCommand(command: CommandSpec, redact: Redact): string[] {
  const escaped = new Map<string, string>();
  for (const word of [...command.argv, ...Object.values(command.env ?? {})].map(redact)) {
    for (const char of word) {
      const escape = isHiddenCharacter(char) ? escapeCharacter(char) : '';
      if (escape.startsWith('\\x')) escaped.set(escape, describeCharacter(char));
    }
  }
  const names = [...escaped].map(([escape, name]) => `${escape} is ${name}`);
  return [
    `  $ ${formatCommand(command, redact)}`,
    ...(names.length > 0 ? [`    (${names.join(', ')})`] : []),
  ];
}
