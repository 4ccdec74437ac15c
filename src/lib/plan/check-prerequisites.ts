import { findHiddenCharacter } from '../command/hidden-characters';
import { quoteCommandNameVisibly } from '../command/quote-command';
import type { Platform } from '../platforms/platform';
import type { Plan } from './plan';

// What a dry run can tell before anything runs: programs that would not start, missing keys.
export function checkPrerequisites(
  plan: Plan,
  platform: Platform,
  env: Readonly<Record<string, string | undefined>>,
  canRun: (program: string) => boolean,
): string[] {
  const programs = new Set<string>();
  for (const step of plan.steps) {
    const commands =
      step.kind === 'gate'
        ? []
        : step.kind === 'publish'
          ? [step.check, step.publish]
          : [step.command];
    for (const command of commands) if (command.argv[0]) programs.add(command.argv[0]);
  }
  const notes = [...programs]
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
