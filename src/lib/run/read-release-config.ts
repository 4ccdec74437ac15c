import type { ExecutorContext } from '@nx/devkit';
import path from 'node:path';
import { isRecord } from '../core/is-record';
import { ReleaseError } from '../core/release-error';
import { readGitHead } from '../io/read-git-head';
import { readPackageManifest } from '../io/read-package-manifest';
import { buildPlan } from '../plan/build-plan';
import { checkSpawnLimits } from '../plan/check-spawn-limits';
import { measureEnvBytes } from '../command/spawn-limits';
import { BLOCK_PLATFORM_NAMES } from '../platforms/platforms';
import { PUBLISHERS } from '../publishers/publishers';
import type { ConfigIssue } from '../core/config-issue';
import type { Devops } from '../config/devops';
import {
  findInheritingShips,
  findPrepareName,
  readTargetOptions,
  type ProjectTargets,
} from '../config/find-release-targets';
import { findTypedOption, type TaskOverrides } from '../config/find-typed-option';
import { formatConfigError } from '../config/format-config-error';
import type { ReleaseConfig, Stage } from '../config/release-config';
import { resolvePublishTargets } from '../config/resolve-publish-targets';
import {
  describeBadReleaseId,
  isValidReleaseId,
  resolveTarget,
  type PrepareTargetInput,
  type ResolvedTarget,
  type TargetIssues,
} from '../config/resolve-target';

/**
 * Reads and validates everything a stage needs; throws one ReleaseError naming what to fix.
 * Everything that can be known before the first step is checked here: the whole devops block
 * (ship's parts too, package.json files included, when prepare reads it), the ship targets
 * that inherit a prepare's devops, and every command of the plan against what the operating
 * system would refuse to start.
 */
export async function readReleaseConfig(
  stage: Stage,
  options: Record<string, unknown>,
  context: ExecutorContext,
  env: NodeJS.ProcessEnv,
  readHead: (root: string) => Promise<string | undefined> = readGitHead,
): Promise<ReleaseConfig> {
  const project = context.projectName ?? '(unknown project)';
  const target = context.targetName ?? `release-${stage}`;
  const targets = readProjectTargets(context);
  const typed = withTypedReleaseId(options, context, { project, target });
  const resolved = resolveTarget({
    stage,
    project,
    target,
    options: typed,
    ...(stage === 'ship' && { prepare: findPrepareTarget(options, targets, context) }),
  });
  if ('problems' in resolved) throw new ReleaseError(formatConfigError(project, resolved.problems));
  const releaseId = await resolveReleaseId(
    resolved.target.releaseId,
    env,
    { root: context.root, project, target },
    readHead,
  );
  // The environment every command inherits, read once (process.env is slow to read).
  const inherited = { ...env };
  const base = {
    stage,
    project,
    target,
    root: context.root,
    releaseId,
    env: { vars: inherited, bytes: measureEnvBytes(inherited) },
  };
  const checked = await completeConfig({ ...base, options, resolved: resolved.target });
  const problems = [...checked.problems];
  if (stage === 'prepare' && problems.length === 0) {
    for (const ship of findInheritingShips(target, targets, context.configurationName)) {
      const prepare = { options, devops: checked.config?.devops };
      problems.push(...(await checkShipTarget({ ...base, ship, prepare })));
    }
  }
  if (problems.length > 0 || !checked.config) {
    throw new ReleaseError(formatConfigError(project, mergeProblems(problems)));
  }
  return checked.config;
}

// The environment commands inherit, with its size for the spawn limits.
interface InheritedEnv {
  readonly vars: Readonly<Record<string, string | undefined>>;
  readonly bytes: number;
}

// Resolves the parts that need I/O or the release id: publish manifests, then the plan's limits.
async function completeConfig(input: {
  readonly stage: Stage;
  readonly project: string;
  readonly target: string;
  readonly root: string;
  readonly releaseId: string;
  readonly env: InheritedEnv;
  readonly options: Record<string, unknown>;
  readonly resolved: ResolvedTarget;
}): Promise<{ config?: ReleaseConfig; problems: TargetIssues[] }> {
  const { stage, project, target, root, releaseId, env, options, resolved } = input;
  const ownerOf = (keys: readonly string[]) =>
    stage === 'prepare' || keys.some((key) => ownsKey(options, key))
      ? target
      : findPrepareName(options);
  const { devops, ...rest } = resolved;
  const publish = await readPublishTargets(devops.publish, root);
  if ('issues' in publish) {
    return { problems: [{ target: ownerOf(['publish']), issues: publish.issues }] };
  }
  const config: ReleaseConfig = {
    project,
    target,
    stage,
    workspaceRoot: root,
    devops,
    ...rest,
    releaseId,
    // Prepare checks the publish entries it shares with ship, but publishes nothing itself.
    publish: stage === 'ship' ? publish.targets : [],
  };
  const block = BLOCK_PLATFORM_NAMES.find((name) => name === devops.platform.name);
  const plan = buildPlan({ ...config, publish: publish.targets });
  const limits = checkSpawnLimits(plan, env.vars, block, env.bytes);
  const grouped = new Map<string, ConfigIssue[]>();
  for (const issue of limits) {
    const owner = ownerOf([...issue.path.matchAll(/devops\.([a-z_-]+)/g)].map((m) => m[1] ?? ''));
    grouped.set(owner, [...(grouped.get(owner) ?? []), issue]);
  }
  const problems = [...grouped].map(([owner, issues]) => ({ target: owner, issues }));
  return problems.length > 0 ? { problems } : { config, problems: [] };
}

// A ship target that inherits this prepare's devops, checked as ship will check it, so that a
// release it would refuse does not deploy QA first.
async function checkShipTarget(input: {
  readonly project: string;
  readonly target: string;
  readonly root: string;
  readonly releaseId: string;
  readonly env: InheritedEnv;
  readonly ship: { readonly name: string; readonly options: Record<string, unknown> };
  readonly prepare: { readonly options: Record<string, unknown>; readonly devops?: Devops };
}): Promise<TargetIssues[]> {
  const { project, target, root, releaseId, env, ship, prepare } = input;
  const resolved = resolveTarget({
    stage: 'ship',
    project,
    target: ship.name,
    options: ship.options,
    prepare: {
      found: true,
      name: target,
      options: prepare.options,
      ...(prepare.devops && { devops: prepare.devops }),
    },
  });
  if ('problems' in resolved) return resolved.problems;
  const checked = await completeConfig({
    stage: 'ship',
    project,
    target: ship.name,
    root,
    releaseId,
    env,
    options: ship.options,
    resolved: resolved.target,
  });
  return checked.problems;
}

// Problems of several checks in one message: grouped by target, each line once.
function mergeProblems(problems: readonly TargetIssues[]): TargetIssues[] {
  const merged = new Map<string, ConfigIssue[]>();
  for (const { target, issues } of problems) {
    const known = merged.get(target) ?? [];
    for (const issue of issues) {
      const same = (other: ConfigIssue) =>
        other.path === issue.path && other.problem === issue.problem && other.fix === issue.fix;
      if (!known.some(same)) known.push(issue);
    }
    merged.set(target, known);
  }
  return [...merged].map(([target, issues]) => ({ target, issues }));
}

function ownsKey(options: Record<string, unknown>, key: string): boolean {
  return isRecord(options.devops) && key in options.devops;
}

function readProjectTargets(context: ExecutorContext): ProjectTargets {
  return (context.projectsConfigurations?.projects[context.projectName ?? '']?.targets ??
    {}) as ProjectTargets;
}

function findPrepareTarget(
  options: Record<string, unknown>,
  targets: ProjectTargets,
  context: ExecutorContext,
): PrepareTargetInput {
  const name = findPrepareName(options);
  const found = readTargetOptions(targets, name, context.configurationName);
  if (!found) return { found: false, name, available: Object.keys(targets) };
  return { found: true, name, options: found };
}

// A numeric releaseId gets back the text typed on the command line (`1e5`, not 100000).
function withTypedReleaseId(
  options: Record<string, unknown>,
  context: ExecutorContext,
  own: { project: string; target: string },
): Record<string, unknown> {
  if (typeof options.releaseId !== 'number') return options;
  const tasks = Object.values(context.taskGraph?.tasks ?? {}) as TaskOverrides[];
  const text = findTypedOption('releaseId', options.releaseId, tasks, own);
  return text === undefined ? options : { ...options, releaseId: text };
}

// Release identity: the releaseId option, then NX_RELEASE_ID, then the commit checked out.
async function resolveReleaseId(
  option: string | undefined,
  env: NodeJS.ProcessEnv,
  { root, project, target }: { root: string; project: string; target: string },
  readHead: (root: string) => Promise<string | undefined>,
): Promise<string> {
  if (option) return option;
  const fromEnv = env.NX_RELEASE_ID?.trim();
  if (fromEnv) {
    if (!isValidReleaseId(fromEnv)) {
      const issue = describeBadReleaseId(fromEnv);
      throw new ReleaseError(
        `Invalid NX_RELEASE_ID for ${project}:${target}: ${issue.problem}. ${issue.fix[0]?.toUpperCase()}${issue.fix.slice(1)}.`,
      );
    }
    return fromEnv;
  }
  const head = await readHead(root);
  if (head) return head;
  throw new ReleaseError(
    `Cannot tell which release this is for ${project}:${target}: ${root} is not a git repository with a commit, and no release id was given. ` +
      'Run it inside the git repository, or pass --releaseId=<id> (or set NX_RELEASE_ID).',
  );
}

// The publish targets, with the package.json files their publishers ask for read first.
async function readPublishTargets(entries: ReleaseConfig['devops']['publish'], root: string) {
  const dirs = entries.flatMap((entry) => {
    const dir = PUBLISHERS[entry.kind].locateManifest?.(entry);
    return dir === undefined ? [] : [dir];
  });
  const manifests = new Map(
    await Promise.all(
      dirs.map(async (dir) => [dir, await readPackageManifest(path.join(root, dir))] as const),
    ),
  );
  return resolvePublishTargets(entries, manifests);
}
