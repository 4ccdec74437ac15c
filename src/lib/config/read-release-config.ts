import type { ExecutorContext } from '@nx/devkit';
import path from 'node:path';
import { ReleaseError } from '../errors/release-error';
import { readGitHead } from '../io/read-git-head';
import { readPackageManifest } from '../io/read-package-manifest';
import { formatConfigError } from './format-config-error';
import type { ReleaseConfig, Stage } from './release-config';
import { resolvePublishTargets } from './resolve-publish-targets';
import {
  DEFAULT_PREPARE_TARGET,
  describeBadReleaseId,
  isValidReleaseId,
  resolveTarget,
  type PrepareTargetInput,
} from './resolve-target';

// Reads and validates everything a stage needs; throws one ReleaseError naming what to fix.
export async function readReleaseConfig(
  stage: Stage,
  options: Record<string, unknown>,
  context: ExecutorContext,
  env: NodeJS.ProcessEnv,
  readHead: (root: string) => Promise<string | undefined> = readGitHead,
): Promise<ReleaseConfig> {
  const project = context.projectName ?? '(unknown project)';
  const target = context.targetName ?? `release-${stage}`;
  const resolved = resolveTarget({
    stage,
    project,
    target,
    options,
    ...(stage === 'ship' && { prepare: findPrepareTarget(options, context) }),
  });
  if ('problems' in resolved) throw new ReleaseError(formatConfigError(project, resolved.problems));
  const { devops, ...rest } = resolved.target;
  const releaseId = await resolveReleaseId(
    rest.releaseId,
    env,
    { root: context.root, project, target },
    readHead,
  );
  const publishOwner =
    isRecord(options.devops) && 'publish' in options.devops ? target : findPrepareName(options);
  const publish =
    stage === 'ship'
      ? await readPublishTargets(devops.publish, context.root, project, publishOwner)
      : [];
  return {
    project,
    target: target,
    stage,
    workspaceRoot: context.root,
    devops,
    ...rest,
    releaseId,
    publish,
  };
}

function findPrepareName(options: Record<string, unknown>): string {
  return typeof options.prepareTarget === 'string' ? options.prepareTarget : DEFAULT_PREPARE_TARGET;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function findPrepareTarget(
  options: Record<string, unknown>,
  context: ExecutorContext,
): PrepareTargetInput {
  const name = findPrepareName(options);
  const targets =
    context.projectsConfigurations?.projects[context.projectName ?? '']?.targets ?? {};
  const found = targets[name];
  if (!found) return { found: false, name, available: Object.keys(targets) };
  const configuration = context.configurationName
    ? found.configurations?.[context.configurationName]
    : undefined;
  return { found: true, name, options: { ...(found.options ?? {}), ...(configuration ?? {}) } };
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

async function readPublishTargets(
  entries: ReleaseConfig['devops']['publish'],
  root: string,
  project: string,
  owner: string,
) {
  const dirs = entries.flatMap((entry) => (entry.kind === 'npm' ? [entry.dir] : []));
  const manifests = new Map(
    await Promise.all(
      dirs.map(async (dir) => [dir, await readPackageManifest(path.join(root, dir))] as const),
    ),
  );
  const result = resolvePublishTargets(entries, manifests);
  if ('issues' in result)
    throw new ReleaseError(formatConfigError(project, [{ target: owner, issues: result.issues }]));
  return result.targets;
}
