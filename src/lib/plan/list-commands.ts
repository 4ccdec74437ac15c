import type { CommandSpec } from '../command/command-spec';
import type { Plan, RollbackStep, Step } from './plan';

// A step that starts commands: any but the gate (it reads a ledger).
export type CommandStep = Exclude<Step | RollbackStep, { readonly kind: 'gate' }>;

// One command a run of the plan may start: its step, and its place among the step's commands.
export interface PlannedCommand {
  readonly step: CommandStep;
  readonly position: number;
  readonly command: CommandSpec;
}

// The commands a step may start, in order: a publish step's live check then its publish
// command, one command for the others, none for the gate.
export function listStepCommands(step: Step | RollbackStep): readonly CommandSpec[] {
  switch (step.kind) {
    case 'gate':
      return [];
    case 'publish':
      return [step.check, step.publish];
    case 'deploy':
    case 'post_deploy':
    case 'rollback':
      return [step.command];
  }
}

// Every command a run of the plan may start: each step's in order, then the rollback's.
export function listPlanCommands(plan: Plan): readonly PlannedCommand[] {
  const steps = [...plan.steps, ...(plan.rollback ? [plan.rollback] : [])].filter(
    (step): step is CommandStep => step.kind !== 'gate',
  );
  return steps.flatMap((step) =>
    listStepCommands(step).map((command, position) => ({ step, position, command })),
  );
}
