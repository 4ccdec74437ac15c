import type { CommandSpec } from '../command/command-spec';
import { formatCommandLine } from '../command/quote-command';
import { MASK } from '../redact/mask-pass';
import { chainParts, partialOf, spellParts, type TokenShape } from '../redact/token-shape-passes';
import { bindSettings } from './bind-settings';
import { FLY_APP, FLY_PROCESS_GROUP, FLY_REGION } from './name-rules';
import type { RunTarget } from './platform';
import type { PlatformAdapter } from './platform-adapter';
import type { SettingFields, SettingsOf } from './setting-fields';

const FIELDS = {
  process_group: {
    kind: 'string',
    rule: FLY_PROCESS_GROUP,
    example: '"app"',
    description:
      'The process group whose machine runs the command (--process-group); any when absent.',
  },
  region: {
    kind: 'string',
    rule: FLY_REGION,
    example: '"iad"',
    description: 'The region whose machine runs the command (--region); any when absent.',
  },
} as const satisfies SettingFields;

const FLY_CHARS = '[A-Za-z0-9._~+/=,-]';

// Fly.io tokens: `FlyV1 <macaroons, comma-separated>`.
const FLY_TOKEN: TokenShape = {
  pattern: /\b(FlyV1\s+)[A-Za-z0-9._~+/=,-]{8,}/g,
  replace: (match) => `${match[1] ?? ''}${MASK}`,
  needs: 'FlyV1',
  runs: [/[\w.~+/=,-]/, /\s/, /[A-Za-z0-9]/],
  partial: partialOf(`\\b${chainParts(spellParts('FlyV1', `\\s+${FLY_CHARS}*`))}`),
};

// Fly.io settings of one environment, as the argv builder gets them.
export type FlySettings = SettingsOf<typeof FIELDS>;

/**
 * `fly ssh console --app=APP --quiet [--region=R] [--process-group=G] --command=REMOTE`
 * `ssh console` is the flyctl command whose own exit status reports the remote one: the SSH
 * session's exit-status comes back as an error and flyctl exits non-zero (always 1, see
 * internal/cli/cli.go). `machine exec` prints "Exit code: N" and exits 0; `machine run` returns
 * once the machine has started. The command travels as ONE string in the SSH exec request,
 * POSIX-quoted so that a shell and a plain word splitter (Fly's in-VM SSH server runs it
 * without a shell) read the same words; `--command=` keeps it attached to its flag.
 */
export function buildFlySshConsole(
  target: RunTarget,
  settings: FlySettings,
  tokens: readonly string[],
): CommandSpec {
  return {
    argv: [
      'fly',
      'ssh',
      'console',
      `--app=${target.app}`,
      '--quiet',
      ...(settings.region === undefined ? [] : [`--region=${settings.region}`]),
      ...(settings.process_group === undefined
        ? []
        : [`--process-group=${settings.process_group}`]),
      `--command=${formatCommandLine(tokens)}`,
    ],
  };
}

// Runs the command on a started machine of a Fly.io app, over flyctl's SSH.
export const flyPlatform: PlatformAdapter<typeof FIELDS> = {
  name: 'fly',
  label: 'Fly.io',
  appName: { pattern: FLY_APP.pattern, rule: FLY_APP.rule },
  fields: FIELDS,
  secrets: { env: ['FLY_API_TOKEN', 'FLY_ACCESS_TOKEN'], keywordShapes: [FLY_TOKEN] },
  bind: (settings) =>
    bindSettings(
      {
        name: 'fly',
        label: 'Fly.io',
        remote: 'shell-string',
        appName: flyPlatform.appName,
        binary: {
          name: 'fly',
          install: 'install flyctl (curl -L https://fly.io/install.sh | sh) and put fly on PATH',
        },
      },
      settings,
      buildFlySshConsole,
    ),
};
