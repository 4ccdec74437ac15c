import type { CommandSpec } from '../command/command-spec';
import type { ConfigIssue } from '../core/config-issue';
import { PUBLISHERS } from '../publishers/publishers';
import { listPlanCommands, type CommandStep } from './list-commands';
import type { Plan } from './plan';
import {
  MAX_ARGUMENT_BYTES,
  MAX_SPAWN_BYTES,
  describeUnspawnableText,
  measureEnvBytes,
  measureStrings,
} from '../command/spawn-limits';

// One command of a plan, what it is called in a message and the options it is built from.
interface SourcedCommand {
  readonly label: string;
  readonly sources: readonly string[];
  readonly command: CommandSpec;
}

/**
 * Every command the plan can start (rollback included), checked against what execve refuses:
 * built from any option, placeholder or platform setting, a command that would fail only when
 * spawned is a configuration error now, named by the options it is built from.
 */
export function checkSpawnLimits(
  plan: Plan,
  inherited: Readonly<Record<string, string | undefined>>,
  platformBlock: string | undefined,
  // The caller may measure the environment once for several plans (process.env is slow to read).
  inheritedBytes: number = measureEnvBytes(inherited),
): ConfigIssue[] {
  return listCommands(plan, platformBlock).flatMap(({ label, sources, command }) => {
    const path = sources.join(' and ');
    const builds = `${sources.length > 1 ? 'build' : 'builds'} ${label}`;
    for (const [index, text] of [...command.argv, ...Object.values(command.env ?? {})].entries()) {
      const refusal = describeUnspawnableText(text);
      if (!refusal) continue;
      const what =
        index < command.argv.length
          ? `argument ${index + 1}`
          : `environment variable ${Object.keys(command.env ?? {})[index - command.argv.length]}`;
      return [
        {
          path,
          problem: `${builds}, whose ${what} ${refusal.problem}`,
          fix: sources.length > 1 && refusal.fix === 'shorten it' ? 'shorten them' : refusal.fix,
        },
      ];
    }
    const added = command.env ?? {};
    const replaced = Object.fromEntries(Object.keys(added).map((name) => [name, inherited[name]]));
    const bytes =
      measureStrings(command.argv) +
      inheritedBytes +
      measureEnvBytes(added) -
      measureEnvBytes(replaced);
    if (bytes <= MAX_SPAWN_BYTES) return [];
    return [
      {
        path,
        problem: `${builds}, which takes ${bytes} bytes with its environment, more than a command may (${MAX_SPAWN_BYTES} bytes for the arguments and the environment together; one argument at most ${MAX_ARGUMENT_BYTES})`,
        fix: 'shorten it, or run with a smaller environment',
      },
    ];
  });
}

function listCommands(plan: Plan, platformBlock: string | undefined): SourcedCommand[] {
  const publishSteps: readonly CommandStep[] = plan.steps.filter((step) => step.kind === 'publish');
  return listPlanCommands(plan).map(({ step, position, command }) => ({
    ...describeSource(step, position, publishSteps.indexOf(step), platformBlock),
    command,
  }));
}

// What a command is called in a message, and the options it is built from.
function describeSource(
  step: CommandStep,
  position: number,
  publishIndex: number,
  platformBlock: string | undefined,
): Omit<SourcedCommand, 'command'> {
  const on = `${step.kind} command for ${step.target}`;
  switch (step.kind) {
    case 'deploy':
      return { label: `the ${on}`, sources: [`devops.deploy_cmd.${step.env}`] };
    case 'post_deploy':
      return {
        label: `the ${on}`,
        sources: ['devops.post_deploy_cmd', ...(platformBlock ? [`devops.${platformBlock}`] : [])],
      };
    case 'rollback':
      return { label: `the ${on}`, sources: [`devops.rollback_cmd.${step.env}`] };
    case 'publish': {
      // An entry's commands come from its keys (custom), or are built from the entry (npm).
      const at = `devops.publish[${publishIndex}]`;
      const keys = PUBLISHERS[step.package.kind].commandKeys;
      const [what, key] =
        position === 0 ? ['the live check', keys?.check] : ['the publish command', keys?.publish];
      return { label: `${what} of ${step.id}`, sources: [key ? `${at}.${key}` : at] };
    }
  }
}
