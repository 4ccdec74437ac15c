import { z } from 'zod';
import { commandSchema, readCommand, type CommandInput } from '../command/command-option';
import type { ConfigIssue } from '../core/config-issue';
import { describeValue } from '../core/describe-value';
import { PACKAGE_NAME } from './package-name';
import type { Publisher } from './publisher';

// `{ name, check_cmd, publish_cmd }` as written in devops.publish.
export interface CustomInput {
  readonly name: string;
  readonly check_cmd: CommandInput;
  readonly publish_cmd: CommandInput;
}

// A package of any other ecosystem: its name and its two commands, split into argv.
export interface CustomEntry {
  readonly kind: 'custom';
  readonly name: string;
  readonly check: readonly string[];
  readonly publish: readonly string[];
}

// Any ecosystem, through two commands of the user's: the check exits 0 when the version is live.
export const customPublisher: Publisher<CustomInput, CustomEntry, CustomEntry> = {
  schema: z.strictObject({
    name: z.string().meta({ description: 'The name shown in the step id: publish:<name>.' }),
    check_cmd: commandSchema.meta({
      description: 'Exits 0 when this version is already live (the step is then skipped).',
    }),
    publish_cmd: commandSchema.meta({ description: 'Publishes the version.' }),
  }),
  shape: 'an object { name, check_cmd, publish_cmd }',
  readEntry(input, at) {
    const issues: ConfigIssue[] = [];
    if (!PACKAGE_NAME.test(input.name)) {
      issues.push({
        path: `${at}.name`,
        problem: `${describeValue(input.name)} is not a valid package name`,
        fix: 'use letters, digits, dots, dashes and underscores, optionally with an @scope/ prefix',
      });
    }
    const check = readCommand(input.check_cmd, `${at}.check_cmd`, issues);
    const publish = readCommand(input.publish_cmd, `${at}.publish_cmd`, issues);
    if (!check || !publish || issues.length > 0) return { issues };
    return { entry: { kind: 'custom', name: input.name, check, publish } };
  },
  identify: (entry) => entry.name,
  resolveTarget: (entry) => ({ target: entry }),
  buildCommands: (target) => ({
    id: `publish:${target.name}`,
    target: target.name,
    check: { argv: target.check },
    publish: { argv: target.publish },
  }),
  commandKeys: { check: 'check_cmd', publish: 'publish_cmd' },
  describeLive: () => 'the check exits 0',
  decideLive: (_target, check) => (check.exitCode === 0 ? { kind: 'live' } : { kind: 'absent' }),
};
