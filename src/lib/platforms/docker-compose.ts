import type { CommandSpec } from '../command/command-spec';
import { bindSettings } from './bind-settings';
import { COMPOSE_FILE, COMPOSE_PROJECT, COMPOSE_SERVICE } from './name-rules';
import type { RunTarget } from './platform';
import type { PlatformAdapter } from './platform-adapter';
import type { SettingFields, SettingsOf } from './setting-fields';

const FIELDS = {
  service: {
    kind: 'string',
    required: true,
    rule: COMPOSE_SERVICE,
    example: '"web"',
    description: 'The running service docker compose exec runs the command in.',
  },
  project: {
    kind: 'string',
    default: '{app}',
    rule: COMPOSE_PROJECT,
    example: '"{app}"',
    description: 'The Compose project name (--project-name).',
  },
  file: {
    kind: 'list',
    rule: COMPOSE_FILE,
    example: '"docker-compose.prod.yml"',
    description:
      "The compose file or files (--file), relative to the workspace root; Compose's own default when absent.",
  },
} as const satisfies SettingFields;

// Compose settings of one environment, as the argv builder gets them.
export type DockerComposeSettings = SettingsOf<typeof FIELDS>;

/**
 * `docker compose [--file=F]... --project-name=P exec -T -- SERVICE TOKENS...`
 * compose exec turns off flag parsing at SERVICE (SetInterspersed(false)) and hands the rest to
 * the container as argv, no shell; so `--` goes BEFORE the service: after it, compose would pass
 * `--` on as the command. `-T`: no pseudo-TTY, so stdout and stderr stay apart. compose exits
 * with the command's status (cmd/compose/exec.go: cli.StatusError{StatusCode} -> os.Exit).
 */
export function buildComposeExec(
  _target: RunTarget,
  settings: DockerComposeSettings,
  tokens: readonly string[],
): CommandSpec {
  return {
    argv: [
      'docker',
      'compose',
      ...(settings.file ?? []).map((file) => `--file=${file}`),
      `--project-name=${settings.project}`,
      'exec',
      '-T',
      '--',
      settings.service,
      ...tokens,
    ],
  };
}

// Runs the command in a running service of a Compose project (the app is the project name).
export const dockerComposePlatform: PlatformAdapter<typeof FIELDS> = {
  name: 'docker-compose',
  label: 'Docker Compose',
  appName: { pattern: COMPOSE_PROJECT.pattern, rule: COMPOSE_PROJECT.rule },
  fields: FIELDS,
  bind: (settings) =>
    bindSettings(
      {
        name: 'docker-compose',
        label: 'Docker Compose',
        remote: 'argv',
        appName: dockerComposePlatform.appName,
        binary: {
          name: 'docker',
          install:
            'install Docker with the Compose plugin (docker compose version must work) and put docker on PATH',
        },
      },
      settings,
      buildComposeExec,
    ),
};
