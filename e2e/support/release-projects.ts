/**
 * Deployable apps with the recommended release targets (README "Configure"), on the `local`
 * platform, for tests that look at WHICH releases ran WHERE: every deploy and post-deploy
 * command is `node scripts/platform.js ...`, which appends one line
 * `<agent> <step> <env> <app> <release id>` to a platform log outside every workspace (so no
 * checkout, clean or cache restore can touch it). The log stands for the platform: it is what
 * really ran. `PLATFORM_LOG` (required) and `PLATFORM_AGENT` (default `local`) come from the
 * env of the nx run; neither is an input of the targets, so neither changes a task hash.
 *
 * A commit that adds `apps/<project>/MIGRATION_FAILS` breaks that app's migration: its
 * post-deploy command logs its line, then exits 3, on every machine that runs it.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { NxResult } from './nx-workspace';
import { getRunDir } from './packed-plugin';

export type PlatformStep = 'deploy' | 'post_deploy';

export const PLATFORM_SCRIPT = 'scripts/platform.js';
export const PLATFORM_JS = `const { appendFileSync, existsSync } = require('node:fs');
const [step, projectRoot, env = process.env.RELEASE_ENV, app = process.env.RELEASE_APP, sha = process.env.RELEASE_ID] = process.argv.slice(2);
const agent = process.env.PLATFORM_AGENT || 'local';
appendFileSync(process.env.PLATFORM_LOG, [agent, step, env, app, sha].join(' ') + '\\n');
if (step === 'post_deploy' && existsSync(projectRoot + '/MIGRATION_FAILS')) process.exit(3);
`;
export const MIGRATION_FAILS = 'MIGRATION_FAILS';

/** The recommended inputs: files of the project and of its dependencies, the commit, NX_RELEASE_ID. */
export const RECOMMENDED_INPUTS = [
  'default',
  '^default',
  { runtime: 'git rev-parse HEAD' },
  { env: 'NX_RELEASE_ID' },
];

export function formatRecommendedOutput(stage: 'prepare' | 'ship'): string {
  return `{workspaceRoot}/dist/release/{projectName}/{options.dryRun ?? options.dry-run ?? ${stage}}`;
}

/**
 * project.json of an app at apps/<name> with both release targets and the given devops, not
 * cached (for the tests that are not about the cache), with the recommended outputs.
 */
export function buildUncachedReleaseProject(name: string, devops: Record<string, unknown>): object {
  return {
    root: `apps/${name}`,
    targets: {
      'release-prepare': {
        executor: 'nx-release-deploy:prepare',
        outputs: [formatRecommendedOutput('prepare')],
        options: { devops },
      },
      'release-ship': {
        executor: 'nx-release-deploy:ship',
        outputs: [formatRecommendedOutput('ship')],
        options: {},
      },
    },
  };
}

/** project.json of an app at apps/<name> with the recommended targets (or other inputs). */
export function buildReleaseProject(name: string, inputs: unknown[] = RECOMMENDED_INPUTS): object {
  const root = `apps/${name}`;
  const platform = (step: PlatformStep, ...args: string[]) => [
    'node',
    PLATFORM_SCRIPT,
    step,
    root,
    ...args,
  ];
  const deploy = platform('deploy', '{env}', '{app}', '{sha}');
  return {
    root,
    targets: {
      'release-prepare': {
        executor: 'nx-release-deploy:prepare',
        cache: true,
        inputs,
        outputs: [formatRecommendedOutput('prepare')],
        options: {
          devops: {
            platform: 'local',
            qa_app: `${name}-qa`,
            prod_app: name,
            deploy_cmd: { qa: deploy, prod: deploy },
            post_deploy_cmd: platform('post_deploy'),
          },
        },
      },
      'release-ship': {
        executor: 'nx-release-deploy:ship',
        cache: true,
        dependsOn: [{ target: 'release-prepare', params: 'forward' }],
        inputs,
        outputs: [formatRecommendedOutput('ship')],
        options: {},
      },
    },
  };
}

/** A fresh, empty platform log in the run's scratch dir, outside every workspace. */
export async function createPlatformLog(): Promise<string> {
  const file = path.join(await mkdtemp(path.join(getRunDir(), 'platform-')), 'platform.log');
  await writeFile(file, '');
  return file;
}

export async function readPlatformLog(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8')).split('\n').filter(Boolean);
}

export function formatPlatformLine(
  agent: string,
  step: PlatformStep,
  env: 'qa' | 'prod',
  app: string,
  sha: string,
): string {
  return `${agent} ${step} ${env} ${app} ${sha}`;
}

/** What a prepare of `project` at `sha` does on the platform: deploy QA, then migrate QA. */
export function listQaLines(agent: string, project: string, sha: string): string[] {
  return [
    formatPlatformLine(agent, 'deploy', 'qa', `${project}-qa`, sha),
    formatPlatformLine(agent, 'post_deploy', 'qa', `${project}-qa`, sha),
  ];
}

/** What a ship of `project` at `sha` does on the platform: deploy prod, then migrate prod. */
export function listProdLines(agent: string, project: string, sha: string): string[] {
  return [
    formatPlatformLine(agent, 'deploy', 'prod', project, sha),
    formatPlatformLine(agent, 'post_deploy', 'prod', project, sha),
  ];
}

/**
 * The `> nx run <task>[  [local cache]|[remote cache]]` headers Nx prints, each once, in the
 * order they first appear. Once: when the executor runs in batch mode (`preferBatch`), Nx 24
 * prints a task's header for its live output and again with its terminal output.
 */
export function listTaskHeaders(result: NxResult): string[] {
  const headers = result.output.split('\n').filter((line) => line.startsWith('> nx run '));
  return [...new Set(headers)];
}
