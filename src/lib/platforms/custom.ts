import type { CommandSpec } from '../command/command-spec';
import { formatCommandLine } from '../command/quote-command';
import type { ConfigIssue } from '../core/config-issue';
import { bindSettings } from './bind-settings';
import { GENERIC_APP } from './name-rules';
import type { Platform, RunTarget } from './platform';
import type { PlatformAdapter } from './platform-adapter';
import type { SettingFields, SettingsOf } from './setting-fields';

const CMD = '{cmd}';
const ARGV = '{argv}';

const FIELDS = {
  argv: {
    kind: 'argv',
    required: true,
    placeholders: ['cmd', 'argv'],
    example: '["mytool", "exec", "--app={app}", "--", "{argv}"]',
    description:
      'The argv template: the program first, then any of {app} and {env}, and exactly one of {argv} (an element of its own, replaced by the tokens) or {cmd} (replaced by the tokens POSIX-quoted into one string).',
  },
} as const satisfies SettingFields;

// The custom template of one environment, {app} and {env} filled in.
export type CustomSettings = SettingsOf<typeof FIELDS>;

/**
 * The user's argv template, {app} and {env} already filled in: an element `{argv}` becomes the
 * tokens, one element each (for a tool that passes argv on); `{cmd}` becomes the tokens
 * POSIX-quoted into ONE string (for a tool whose remote side runs a shell string). Either way
 * a token stays one word and never becomes part of the template's own options.
 */
export function buildCustomCommand(
  _target: RunTarget,
  settings: CustomSettings,
  tokens: readonly string[],
): CommandSpec {
  const line = formatCommandLine(tokens);
  return {
    argv: settings.argv.flatMap((element) =>
      element === ARGV ? [...tokens] : [element.split(CMD).join(line)],
    ),
  };
}

// What the remote side of a template receives.
export function readTemplateRemote(template: readonly string[]): Platform['remote'] {
  return template.includes(ARGV) ? 'argv' : 'shell-string';
}

// A template must name a program and say exactly once where the command goes.
function checkTemplates(
  settings: { readonly qa: CustomSettings; readonly prod: CustomSettings },
  pathOf: (key: string, env: 'qa' | 'prod') => string,
): ConfigIssue[] {
  const issues = (['qa', 'prod'] as const).flatMap((env) =>
    checkTemplate(settings[env].argv, pathOf('argv', env)),
  );
  const [qa, prod] = [settings.qa.argv, settings.prod.argv].map(readTemplateRemote);
  if (issues.length === 0 && qa !== prod) {
    issues.push({
      path: pathOf('argv', 'prod'),
      problem: `puts the command in ${prod === 'argv' ? ARGV : CMD}, but ${pathOf('argv', 'qa')} in ${qa === 'argv' ? ARGV : CMD}`,
      fix: 'use the same one for both environments, so that QA proves what prod runs',
    });
  }
  return issues;
}

function checkTemplate(template: readonly string[], at: string): ConfigIssue[] {
  const [program] = template;
  if (program === undefined) {
    return [
      {
        path: at,
        problem: 'is empty',
        fix: `give the program and its arguments, with "${ARGV}" or "${CMD}" where the command goes`,
      },
    ];
  }
  const issues: ConfigIssue[] = [];
  if (program === '' || program.startsWith('-') || program.includes(CMD) || program === ARGV) {
    issues.push({
      path: `${at}[0]`,
      problem: `${JSON.stringify(program)} is not a program name`,
      fix: 'start the template with the program to run, e.g. "railway"',
    });
  }
  template.forEach((element, index) => {
    if (element === '')
      issues.push({ path: `${at}[${index}]`, problem: 'is empty', fix: 'remove it' });
    else if (element !== ARGV && element.includes(ARGV))
      issues.push({
        path: `${at}[${index}]`,
        problem: `has ${ARGV} inside other text`,
        fix: `make "${ARGV}" an element of its own (it becomes one element per token), or use ${CMD}`,
      });
  });
  const argvUses = template.filter((element) => element === ARGV).length;
  const cmdUses = template.reduce((count, element) => count + element.split(CMD).length - 1, 0);
  if (argvUses + cmdUses !== 1 && issues.length === 0) {
    issues.push({
      path: at,
      problem: describeUses(argvUses, cmdUses),
      fix: `put "${ARGV}" (the tokens as separate arguments) or "${CMD}" (the tokens as one quoted string) exactly once where the command goes`,
    });
  }
  return issues;
}

function describeUses(argvUses: number, cmdUses: number): string {
  if (argvUses + cmdUses === 0) return `has no ${ARGV} or ${CMD}`;
  if (argvUses > 0 && cmdUses > 0) return `uses both ${ARGV} and ${CMD}`;
  return `uses ${argvUses > 0 ? ARGV : CMD} ${argvUses + cmdUses} times`;
}

// A platform not listed: the user's own argv template, for any tool that runs a command on an app.
export const customPlatform: PlatformAdapter<typeof FIELDS> = {
  name: 'custom',
  label: 'custom',
  appName: { pattern: GENERIC_APP.pattern, rule: GENERIC_APP.rule },
  fields: FIELDS,
  checkSettings: checkTemplates,
  bind: (settings) => {
    const program = settings.qa.argv[0] ?? '';
    return bindSettings(
      {
        name: 'custom',
        label: 'custom',
        remote: readTemplateRemote(settings.qa.argv),
        appName: customPlatform.appName,
        binary: { name: program, install: `install ${program}, or change devops.custom.argv` },
      },
      settings,
      buildCustomCommand,
    );
  },
};
