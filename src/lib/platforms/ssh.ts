import type { CommandSpec } from '../command/command-spec';
import { formatCommandLine, quoteArgument } from '../command/quote-command';
import { bindSettings } from './bind-settings';
import { GENERIC_APP, parseSshDestination, REMOTE_DIRECTORY, SSH_HOST_RULE } from './name-rules';
import type { RunTarget } from './platform';
import type { PlatformAdapter } from './platform-adapter';
import type { SettingFields, SettingsOf } from './setting-fields';

const FIELDS = {
  host: {
    kind: 'string',
    required: true,
    rule: SSH_HOST_RULE,
    example: '"deploy@{app}.example.com"',
    description: 'The server the command runs on, through ssh -T -oBatchMode=yes.',
  },
  directory: {
    kind: 'string',
    rule: REMOTE_DIRECTORY,
    example: '"/srv/{app}"',
    description:
      'The directory the command runs in (cd <directory> && ...); the home directory when absent.',
  },
} as const satisfies SettingFields;

// SSH settings of one environment, as the argv builder gets them.
export type SshSettings = SettingsOf<typeof FIELDS>;

/**
 * `ssh -T -oBatchMode=yes -- DESTINATION REMOTE`
 * OpenSSH joins every word after the destination with spaces into one string that the remote
 * user's login shell runs (`shell -c string`), so the command goes as ONE pre-quoted argument.
 * `--` ends ssh's options: without it ssh parses options again AFTER the destination (ssh.c,
 * `opt_terminated`), so a command starting with `-o...` would configure ssh. A port becomes the
 * ssh://user@host:port form. ssh exits with the remote status, or 255 for its own errors.
 */
export function buildSshCommand(
  _target: RunTarget,
  settings: SshSettings,
  tokens: readonly string[],
): CommandSpec {
  const command = formatCommandLine(tokens);
  const remote =
    settings.directory === undefined
      ? command
      : `cd ${quoteArgument(settings.directory)} && ${command}`;
  return {
    argv: ['ssh', '-T', '-oBatchMode=yes', '--', formatDestination(settings.host), remote],
  };
}

// `[user@]host[:port]` as ssh takes it: `host:port` is not a destination, the URI form is.
function formatDestination(value: string): string {
  const parsed = parseSshDestination(value);
  if (parsed?.port === undefined) return value;
  return `ssh://${parsed.user === undefined ? '' : `${parsed.user}@`}${parsed.host}:${parsed.port}`;
}

// Runs the command on a server over OpenSSH, in an optional directory.
export const sshPlatform: PlatformAdapter<typeof FIELDS> = {
  name: 'ssh',
  label: 'SSH',
  appName: { pattern: GENERIC_APP.pattern, rule: GENERIC_APP.rule },
  fields: FIELDS,
  bind: (settings) =>
    bindSettings(
      {
        name: 'ssh',
        label: 'SSH',
        remote: 'shell-string',
        appName: sshPlatform.appName,
        binary: { name: 'ssh', install: 'install the OpenSSH client and put ssh on PATH' },
      },
      settings,
      buildSshCommand,
    ),
};
