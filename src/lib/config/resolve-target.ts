import path from 'node:path';
import type { z } from 'zod';
import type { ConfigIssue } from '../core/config-issue';
import { describeValue } from '../core/describe-value';
import { isRecord } from '../core/is-record';
import { LEDGER_FILE } from '../core/ledger-file';
import { parseWithSchema } from './parse-with-schema';
import type { Devops } from './devops';
import { prepareOptionsSchema, shipOptionsSchema } from './options-schema';
import type { Stage } from './release-config';
import { checkGateProvable, QA_COMMAND_KEYS } from './check-gate-provable';
import { readReleaseIdOption } from './read-release-id-option';
import { resolveDevops } from './resolve-devops';

export const DEFAULT_OUTPUT_PATH = 'dist/release/{projectName}';
export const DEFAULT_PREPARE_TARGET = 'release-prepare';
const RELEASE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

// What the resolver needs to know about the project's prepare target (ship only).
export type PrepareTargetInput =
  | {
      readonly found: true;
      readonly name: string;
      readonly options: Record<string, unknown>;
      // Its devops already resolved (by the prepare that checks its ship targets): used as is
      // when ship sets no devops key of its own, instead of resolving the same block again.
      readonly devops?: Devops;
    }
  | { readonly found: false; readonly name: string; readonly available: readonly string[] };

// A stage's options, resolved except for what needs I/O (release id from git, package manifests).
export interface ResolvedTarget {
  readonly devops: Devops;
  readonly releaseId?: string;
  readonly outputDir: string;
  readonly dryRun: boolean;
  readonly resume: boolean;
  readonly gate?: { readonly prepareTarget: string; readonly ledgerPath: string };
}

// Issues grouped by the target whose options must change to fix them.
export interface TargetIssues {
  readonly target: string;
  readonly issues: readonly ConfigIssue[];
}

// Validates a stage's executor options (and, for ship, the prepare target's devops it inherits).
export function resolveTarget(input: {
  readonly stage: Stage;
  readonly project: string;
  readonly target: string;
  readonly options: Record<string, unknown>;
  readonly prepare?: PrepareTargetInput;
}): { target: ResolvedTarget } | { problems: TargetIssues[] } {
  const { stage, project, target } = input;
  const schema: z.ZodType = stage === 'prepare' ? prepareOptionsSchema : shipOptionsSchema;
  const options = stripNxInternals(input.options);
  const early: ConfigIssue[] = [];
  if (options.releaseId !== undefined) {
    const releaseId = readReleaseIdOption(options.releaseId);
    if ('issue' in releaseId) {
      early.push(releaseId.issue);
      delete options.releaseId;
    } else options.releaseId = releaseId.value;
  }
  const parsed = parseWithSchema(schema, options, []);
  if (!parsed.data) return { problems: [{ target, issues: [...early, ...parsed.issues] }] };
  const own = parsed.data as Record<string, unknown> & { devops?: Record<string, unknown> };
  const issues: ConfigIssue[] = [...early, ...parsed.issues];
  if (typeof own.releaseId === 'string' && !RELEASE_ID.test(own.releaseId))
    issues.push(describeBadReleaseId(own.releaseId));
  const outputPath = resolveOutputPath(own.outputPath, project, 'outputPath', issues);
  if (stage === 'prepare') return finishPrepare(own, outputPath, target, issues);
  return finishShip(input, own, outputPath, issues);
}

function finishPrepare(
  own: Record<string, unknown> & { devops?: Record<string, unknown> },
  outputPath: string,
  target: string,
  issues: ConfigIssue[],
): { target: ResolvedTarget } | { problems: TargetIssues[] } {
  if (own.devops === undefined) {
    issues.push({
      path: 'devops',
      problem: 'is required',
      fix: 'add a devops block with at least qa_app and prod_app (see the README)',
    });
    return { problems: [{ target, issues }] };
  }
  const devops = resolveDevops(own.devops);
  if ('issues' in devops) issues.push(...devops.issues);
  if (issues.length > 0 || 'issues' in devops) return { problems: [{ target, issues }] };
  if (!devops.devops.postDeploy && !devops.devops.deploy.qa) {
    return {
      problems: [
        { target, issues: [describeNothingToDo('release-prepare', 'devops.deploy_cmd.qa')] },
      ],
    };
  }
  return {
    target: {
      ...readFlags(own),
      devops: devops.devops,
      outputDir: path.posix.join(outputPath, 'prepare'),
    },
  };
}

function finishShip(
  input: Parameters<typeof resolveTarget>[0],
  own: Record<string, unknown> & { devops?: Record<string, unknown> },
  outputPath: string,
  issues: ConfigIssue[],
): { target: ResolvedTarget } | { problems: TargetIssues[] } {
  const prepare = input.prepare;
  const prepareName = (own.prepareTarget as string | undefined) ?? DEFAULT_PREPARE_TARGET;
  if (!prepare || !prepare.found) {
    const available =
      prepare && !prepare.found && prepare.available.length > 0
        ? ` (its targets: ${prepare.available.join(', ')})`
        : '';
    issues.push({
      path: 'prepareTarget',
      problem: `project ${input.project} has no target "${prepareName}"${available}`,
      fix: 'add the release-prepare target, or set prepareTarget to the name of its nx-release-deploy:prepare target',
    });
    return { problems: [{ target: input.target, issues }] };
  }
  const inherited = prepare.options.devops;
  const merged = { ...(isRecord(inherited) ? inherited : {}), ...(own.devops ?? {}) };
  const ownKeys = Object.keys(own.devops ?? {});
  const devops =
    prepare.devops && ownKeys.length === 0 ? { devops: prepare.devops } : resolveDevops(merged);
  const problems: TargetIssues[] = [];
  const prepareIssues: ConfigIssue[] = [];
  if ('issues' in devops) {
    for (const issue of devops.issues) {
      const key = issue.path.split(/[.[]/)[1] ?? '';
      (own.devops && key in own.devops ? issues : prepareIssues).push(issue);
    }
  }
  const prepareOutput = resolveOutputPath(
    prepare.options.outputPath,
    input.project,
    `outputPath`,
    prepareIssues,
  );
  if (issues.length > 0) problems.push({ target: input.target, issues });
  if (prepareIssues.length > 0) problems.push({ target: prepare.name, issues: prepareIssues });
  if (problems.length > 0 || 'issues' in devops) return { problems };
  const { postDeploy, deploy, publish } = devops.devops;
  if (!postDeploy && !deploy.prod && publish.length === 0) {
    const owner = own.devops ? input.target : prepare.name;
    return {
      problems: [
        {
          target: owner,
          issues: [describeNothingToDo('release-ship', 'devops.deploy_cmd.prod, devops.publish')],
        },
      ],
    };
  }
  const gate =
    own.requirePrepared === false
      ? undefined
      : {
          prepareTarget: prepare.name,
          ledgerPath: path.posix.join(prepareOutput, 'prepare', LEDGER_FILE),
        };
  if (gate && QA_COMMAND_KEYS.some((key) => ownKeys.includes(key))) {
    const alone = resolveDevops(isRecord(inherited) ? inherited : {});
    const unprovable =
      'devops' in alone
        ? checkGateProvable({
            prepare: alone.devops,
            ship: devops.devops,
            ownKeys,
            prepareTarget: prepare.name,
            shipTarget: input.target,
          })
        : [];
    if (unprovable.length > 0) return { problems: [{ target: input.target, issues: unprovable }] };
  }
  return {
    target: {
      ...readFlags(own),
      devops: devops.devops,
      outputDir: path.posix.join(outputPath, 'ship'),
      ...(gate && { gate }),
    },
  };
}

function readFlags(
  own: Record<string, unknown>,
): Pick<ResolvedTarget, 'dryRun' | 'resume' | 'releaseId'> {
  return {
    dryRun: own.dryRun === true,
    resume: own.resume === true,
    ...(typeof own.releaseId === 'string' && { releaseId: own.releaseId }),
  };
}

// Checks a release id from any source; it becomes {sha} inside deploy tokens, so no leading dash.
export function describeBadReleaseId(value: string): ConfigIssue {
  return {
    path: 'releaseId',
    problem: `${describeValue(value)} is not a valid release id`,
    fix: 'use 1 to 128 letters, digits, dots, dashes and underscores, starting with a letter or digit (normally the commit SHA)',
  };
}

export function isValidReleaseId(value: string): boolean {
  return RELEASE_ID.test(value);
}

function resolveOutputPath(
  value: unknown,
  project: string,
  at: string,
  issues: ConfigIssue[],
): string {
  const raw = typeof value === 'string' ? value : DEFAULT_OUTPUT_PATH;
  const resolved = path.posix
    .normalize(raw.replace(/\{projectName\}/g, project).replace(/\\/g, '/'))
    .replace(/\/$/, '');
  if (
    path.posix.isAbsolute(resolved) ||
    resolved === '..' ||
    resolved.startsWith('../') ||
    resolved === '.'
  ) {
    issues.push({
      path: at,
      problem: `${describeValue(raw)} is not a directory inside the workspace`,
      fix: `give a path relative to the workspace root, such as "${DEFAULT_OUTPUT_PATH}", and list it in the target's outputs`,
    });
  } else {
    const problem = findUnusableName(resolved);
    if (problem)
      issues.push({
        path: at,
        problem: `${describeValue(raw)} ${problem.problem}`,
        fix: problem.fix,
      });
  }
  return resolved;
}

// The longest file name Linux, macOS and Windows file systems take, in bytes (NAME_MAX).
const NAME_MAX = 255;

// A path no file system accepts: a NUL ends it early, and a longer name fails (ENAMETOOLONG).
function findUnusableName(resolved: string): { problem: string; fix: string } | undefined {
  if (resolved.includes('\0'))
    return {
      problem: 'contains a NUL character',
      fix: `remove it: give a path relative to the workspace root, such as "${DEFAULT_OUTPUT_PATH}"`,
    };
  const long = resolved.split('/').find((name) => Buffer.byteLength(name, 'utf8') > NAME_MAX);
  if (long)
    return {
      problem: `has a name of ${Buffer.byteLength(long, 'utf8')} bytes (${describeValue(long)}), longer than the ${NAME_MAX} a file system allows`,
      fix: `shorten each directory name in it to at most ${NAME_MAX} bytes`,
    };
  return undefined;
}

// Nx may add bookkeeping keys (such as __unparsed__) to the options it passes.
function stripNxInternals(options: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(options).filter(([key]) => !key.startsWith('__')));
}

function describeNothingToDo(stage: string, alternatives: string): ConfigIssue {
  return {
    path: 'devops',
    problem: `gives ${stage} nothing to do`,
    fix: `set devops.post_deploy_cmd (or ${alternatives})`,
  };
}
