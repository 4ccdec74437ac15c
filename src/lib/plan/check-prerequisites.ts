import { findHiddenCharacter } from '../command/hidden-characters';
import { quoteCommandNameVisibly } from '../command/quote-command';
import type { ProgramState } from '../io/find-program';
import type { Platform } from '../platforms/platform';
import type { Plan } from './plan';

// A program the plan starts that cannot be started, with the steps that start it.
export interface Unstartable {
  readonly program: string;
  readonly state: Exclude<ProgramState, 'found'>;
  readonly steps: readonly string[];
}

// What a dry run can tell before anything runs: programs that would not start, missing keys.
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
      return program.includes('/')
        ? `${shown} does not exist or is not executable (paths are relative to the workspace root).`
        : `${shown} is not on PATH${platform.binary?.name === program ? `: ${platform.binary.install}` : ''}.`;
    });
  if (platform.name === 'heroku' && !env.HEROKU_API_KEY) {
    notes.push(
      'HEROKU_API_KEY is not set: the Heroku CLI would need a stored login (heroku login).',
    );
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
  platform: Platform,
): string {
  const lines = unstartable.map((entry) => ({
    what: `${describeState(entry)} (${describeSteps(entry.steps)})`,
    fix: adviseProgram(entry, platform),
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
  for (const step of plan.steps) {
    if (step.kind === 'gate') continue;
    if (step.kind === 'publish') {
      add(step.check.argv[0], step.id);
      add(step.publish.argv[0], step.id);
    } else add(step.command.argv[0], step.id);
  }
  if (plan.rollback) add(plan.rollback.command.argv[0], plan.rollback.id);
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

function adviseProgram({ program, state }: Unstartable, platform: Platform): string {
  if (state === 'not_executable') {
    return `Make it executable (chmod +x ${program}) and commit the mode (git update-index --chmod=+x ${program}), or run it through its interpreter (e.g. ["node", "${program}"])`;
  }
  if (program.includes('/')) return 'Fix the path, or add the file to the repository';
  if (platform.binary?.name === program) return capitalize(platform.binary.install);
  if (program === 'npm') return 'npm comes with Node.js: put it on the PATH the executor sees';
  return `Install ${program}, or fix the PATH the executor sees`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
