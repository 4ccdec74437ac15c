import { readCommand } from '../command/command-option';
import { findUnknownPlaceholders, PLACEHOLDER_NAMES } from '../command/substitute-placeholders';
import type { Platform } from '../platforms/platform';
import { isPlatformAdapter, type AnyPlatformAdapter } from '../platforms/platform-adapter';
import { BLOCK_PLATFORM_NAMES, PLATFORMS, type PlatformName } from '../platforms/platforms';
import { resolvePlatformSettings } from '../platforms/resolve-platform-settings';
import { PUBLISHERS, readPublishEntry, type PublishEntry } from '../publishers/publishers';
import type { ConfigIssue } from '../core/config-issue';
import { describeValue } from '../core/describe-value';
import { parseWithSchema } from './parse-with-schema';
import type { Devops } from './devops';
import { devopsSchema, type DevopsInput } from './devops-schema';

// Validates a `devops` block and gives it meaning; every problem comes back, none is thrown.
export function resolveDevops(raw: unknown): { devops: Devops } | { issues: ConfigIssue[] } {
  const parsed = parseWithSchema(devopsSchema, raw, ['devops']);
  if (!parsed.data) return { issues: parsed.issues };
  const input = parsed.data;
  const issues: ConfigIssue[] = [...parsed.issues];
  const name = input.platform ?? 'heroku';
  const entry = PLATFORMS[name];
  for (const key of ['qa_app', 'prod_app'] as const) {
    if (!entry.appName.pattern.test(input[key])) {
      issues.push({
        path: `devops.${key}`,
        problem: `${describeValue(input[key])} is not a valid ${entry.label} app name`,
        fix: entry.appName.rule,
      });
    }
  }
  const appsValid = issues.length === parsed.issues.length;
  if (input.qa_app === input.prod_app) {
    issues.push({
      path: 'devops.prod_app',
      problem: `is the same app as devops.qa_app (${JSON.stringify(input.qa_app)})`,
      fix: 'give QA and prod different apps, so that a release is proven on QA before it reaches prod',
    });
  }
  refuseOtherBlocks(input, name, issues);
  const platform = readPlatform(input, name, appsValid, issues);
  const postDeploy =
    input.post_deploy_cmd === undefined
      ? undefined
      : readCommand(input.post_deploy_cmd, 'devops.post_deploy_cmd', issues);
  if (postDeploy) refusePlaceholders(postDeploy, 'devops.post_deploy_cmd', issues);
  const deploy = {
    qa: readDeployCommand(input, 'deploy_cmd', 'qa', issues),
    prod: readDeployCommand(input, 'deploy_cmd', 'prod', issues),
  };
  const rollback = {
    qa: readDeployCommand(input, 'rollback_cmd', 'qa', issues),
    prod: readDeployCommand(input, 'rollback_cmd', 'prod', issues),
  };
  refuseRollbackWithoutDeploy(input, issues);
  const publish = (input.publish ?? []).map((entry, index) => {
    const read = readPublishEntry(entry, `devops.publish[${index}]`);
    if ('entry' in read) return read.entry;
    issues.push(...read.issues);
    return undefined;
  });
  refuseDuplicatePublish(publish, issues);
  if (issues.length > 0 || !platform) return { issues };
  return {
    devops: {
      platform,
      apps: { qa: input.qa_app, prod: input.prod_app },
      ...(postDeploy && { postDeploy }),
      ...(input.post_deploy_timeout !== undefined && {
        postDeployTimeoutMs: input.post_deploy_timeout * 1000,
      }),
      deploy: { ...(deploy.qa && { qa: deploy.qa }), ...(deploy.prod && { prod: deploy.prod }) },
      rollback: {
        ...(rollback.qa && { qa: rollback.qa }),
        ...(rollback.prod && { prod: rollback.prod }),
      },
      rollbackOnInterrupt: input.rollback_on_interrupt === true,
      publish: publish.filter((entry): entry is PublishEntry => entry !== undefined),
      redactEnv: input.redact_env ?? [],
    },
  };
}

// A block configures its own platform only: one for another platform is a leftover or a typo.
function refuseOtherBlocks(input: DevopsInput, name: PlatformName, issues: ConfigIssue[]): void {
  for (const other of BLOCK_PLATFORM_NAMES) {
    if (other === name || input[other as keyof DevopsInput] === undefined) continue;
    issues.push({
      path: `devops.${other}`,
      problem: `configures the ${other} platform, but devops.platform is ${name}${input.platform === undefined ? ' (the default)' : ''}`,
      fix: `set devops.platform to ${other}, or remove devops.${other}`,
    });
  }
}

// The platform the planner calls: as is, or an adapter bound to its validated settings.
function readPlatform(
  input: DevopsInput,
  name: PlatformName,
  appsValid: boolean,
  issues: ConfigIssue[],
): Platform | undefined {
  const entry: Platform | AnyPlatformAdapter = PLATFORMS[name];
  if (!isPlatformAdapter(entry)) return entry;
  // Settings may use {app}: with an invalid app name they would only repeat that problem.
  if (!appsValid) return undefined;
  const block = input[name as keyof DevopsInput] as Record<string, unknown> | undefined;
  const resolved = resolvePlatformSettings(entry, block, {
    qa: input.qa_app,
    prod: input.prod_app,
  });
  if ('issues' in resolved) {
    issues.push(...resolved.issues);
    return undefined;
  }
  return entry.bind(resolved.settings);
}

// A deploy or rollback command: the same forms and placeholders.
function readDeployCommand(
  input: DevopsInput,
  key: 'deploy_cmd' | 'rollback_cmd',
  env: 'qa' | 'prod',
  issues: ConfigIssue[],
): string[] | undefined {
  const command = input[key]?.[env];
  if (command === undefined) return undefined;
  const at = `devops.${key}.${env}`;
  const tokens = readCommand(command, at, issues);
  const unknown = tokens ? findUnknownPlaceholders(tokens) : [];
  if (unknown.length > 0) {
    issues.push({
      path: at,
      problem: `uses unknown placeholder${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`,
      fix: `use only ${PLACEHOLDER_NAMES.map((name) => `{${name}}`).join(', ')}`,
    });
    return undefined;
  }
  return tokens;
}

// A rollback undoes the deploy of its environment; without one there is nothing to undo.
function refuseRollbackWithoutDeploy(input: DevopsInput, issues: ConfigIssue[]): void {
  for (const env of ['qa', 'prod'] as const) {
    if (input.rollback_cmd?.[env] !== undefined && input.deploy_cmd?.[env] === undefined) {
      issues.push({
        path: `devops.rollback_cmd.${env}`,
        problem: `is set, but devops.deploy_cmd.${env} is not: there is no deploy to undo`,
        fix: `set devops.deploy_cmd.${env}, or remove devops.rollback_cmd.${env}`,
      });
    }
  }
}

// The post-deploy tokens must be identical on QA and prod, so they take no placeholders.
function refusePlaceholders(tokens: readonly string[], at: string, issues: ConfigIssue[]): void {
  const used = tokens.flatMap((token) =>
    PLACEHOLDER_NAMES.filter((name) => token.includes(`{${name}}`)),
  );
  if (used.length > 0) {
    issues.push({
      path: at,
      problem: `uses the placeholder {${used[0]}}, but the post-deploy command must be the same on QA and prod`,
      fix: 'read the app from the environment inside the command (RELEASE_APP on the local platform), or drop the placeholder',
    });
  }
}

function refuseDuplicatePublish(
  entries: readonly (PublishEntry | undefined)[],
  issues: ConfigIssue[],
): void {
  const seen = new Map<string, number>();
  entries.forEach((entry, index) => {
    if (!entry) return;
    const key = `${entry.kind}:${PUBLISHERS[entry.kind].identify(entry)}`;
    const first = seen.get(key);
    if (first !== undefined) {
      issues.push({
        path: `devops.publish[${index}]`,
        problem: `repeats devops.publish[${first}]`,
        fix: 'list each package once',
      });
    } else seen.set(key, index);
  });
}
