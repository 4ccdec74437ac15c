import type { ProgramHint } from '../command/command-spec';
import { findHiddenCharacter } from '../command/hidden-characters';
import { quoteCommandNameVisibly } from '../command/quote-command';
import type { ProgramState } from '../io/find-program';
import type { Platform } from '../platforms/platform';
import { adviseProgram, findInstallHint } from './advise-program';
import { listPlanCommands } from './list-commands';
import type { Plan } from './plan';

// A program the plan starts that cannot be started, with the steps that start it.
export interface Unstartable {
  readonly program: string;
  readonly state: Exclude<ProgramState, 'found'>;
  readonly steps: readonly string[];
}

// What a dry run can tell before anything runs: programs that would not start, a platform
// credential that is not set.
export function checkPrerequisites(
  plan: Plan,
  platform: Platform,
  env: Readonly<Record<string, string | undefined>>,
  canRun: (program: string) => boolean,
): string[] {
  const notes = [...listPrograms(plan).keys()]
    .filter((program) => !canRun(program))
    .map((program) => {
      // A name holding a control or direction character is shown as the dry run's $ line shows it.
      const shown =
        findHiddenCharacter(program) === -1 ? program : quoteCommandNameVisibly(program);
      if (program.includes('/'))
        return `${shown} does not exist or is not executable (paths are relative to the workspace root).`;
      const hint = findInstallHint(program, plan.installHints);
      return `${shown} is not on PATH${hint ? `: ${hint}` : ''}.`;
    });
  const { credential } = platform;
  if (credential && !env[credential.env]) {
    notes.push(`${credential.env} is not set: ${credential.unset}.`);
  }
  return notes;
}

// Every program a real run may start (each step's, both publish commands, the rollback) that
// cannot be started; the run refuses before anything runs rather than fail after a deploy.
export function findUnstartable(
  plan: Plan,
  locate: (program: string) => ProgramState,
): Unstartable[] {
  return [...listPrograms(plan)].flatMap(([program, steps]) => {
    const state = locate(program);
    return state === 'found' ? [] : [{ program, state, steps }];
  });
}

// The refusal of a real run: one line per program, each with how to make it startable.
export function describeUnstartable(
  task: string,
  unstartable: readonly Unstartable[],
  hints: readonly ProgramHint[],
): string {
  const lines = unstartable.map((entry) => ({
    what: `${describeState(entry)} (${describeSteps(entry.steps)})`,
    fix: adviseProgram(entry.program, entry.state, hints),
  }));
  const [only] = lines;
  if (lines.length === 1 && only) {
    return `Cannot start ${task}: ${only.what}; nothing has run. ${only.fix}.`;
  }
  return [
    `Cannot start ${task}: ${lines.length} programs it runs cannot be started; nothing has run.`,
    ...lines.map((line) => `  - ${line.what}. ${line.fix}.`),
  ].join('\n');
}

// Each program the plan may start, with the ids of the steps that start it, in plan order.
function listPrograms(plan: Plan): Map<string, string[]> {
  const programs = new Map<string, string[]>();
  const add = (program: string | undefined, step: string) => {
    if (program === undefined || program === '') return;
    const steps = programs.get(program) ?? [];
    if (!steps.includes(step)) steps.push(step);
    programs.set(program, steps);
  };
  for (const { step, command } of listPlanCommands(plan)) add(command.argv[0], step.id);
  return programs;
}

function describeState({ program, state }: Unstartable): string {
  if (state === 'not_executable') return `${program} is not executable`;
  return program.includes('/')
    ? `${program} does not exist (paths are relative to the workspace root)`
    : `${program} is not on PATH`;
}

function describeSteps(steps: readonly string[]): string {
  const names =
    steps.length === 1 ? steps[0] : `${steps.slice(0, -1).join(', ')} and ${steps.at(-1)}`;
  return `the ${names} step${steps.length === 1 ? ' runs' : 's run'} it`;
}
