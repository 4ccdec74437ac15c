/**
 * Batch mode (executors.json `batchImplementation` + `preferBatch`) keeps every per-task
 * guarantee: the same projects released once batched (one process) and once unbatched
 * (`--batch=false`, one forked process per task) leave identical ledgers and exit statuses,
 * with one project failing while the others succeed.
 */
import path from 'node:path';
import { createWorkspace, type NxResult, type Workspace } from './support/nx-workspace';
import { buildUncachedReleaseProject } from './support/release-projects';

interface Ledger {
  project: string;
  stage: string;
  releaseId: string;
  status: string;
  checks: Array<Record<string, unknown>>;
}

const PROJECTS = ['shop', 'admin', 'billing'];
const RELEASE_ID = 'batch-e2e-1';
const MIGRATE = [
  'node',
  '-e',
  'console.log("migrating " + process.env.RELEASE_APP); process.exit(process.env.RELEASE_APP === "billing-qa" ? 4 : 0)',
];

function buildProject(name: string): object {
  return buildUncachedReleaseProject(name, {
    platform: 'local',
    qa_app: `${name}-qa`,
    prod_app: name,
    deploy_cmd: { qa: ['node', '-e', 'console.log("deploying {app} {sha}")'] },
    post_deploy_cmd: MIGRATE,
  });
}

// A ledger without what differs between any two runs: times and durations.
async function readComparable(workspace: Workspace, project: string): Promise<Ledger> {
  const ledger = await workspace.readJson<Ledger>(
    path.join('dist/release', project, 'prepare/checks_run.json'),
  );
  return {
    ...ledger,
    startedAt: '<time>',
    finishedAt: '<time>',
    checks: ledger.checks.map((check) => ({
      ...check,
      startedAt: '<time>',
      finishedAt: '<time>',
      durationMs: '<ms>',
    })),
  } as Ledger;
}

function listFailedTasks(result: NxResult): string[] {
  const section = result.output.split('Failed tasks:')[1] ?? '';
  return [...section.matchAll(/^- (\S+)$/gm)].map((match) => match[1] as string).sort();
}

describe('batched and unbatched runs', () => {
  const workspaces: Workspace[] = [];
  let batched: { workspace: Workspace; result: NxResult };
  let unbatched: { workspace: Workspace; result: NxResult };

  beforeAll(async () => {
    const projects = Object.fromEntries(PROJECTS.map((name) => [name, buildProject(name)]));
    const run = async (args: string[]) => {
      const workspace = await createWorkspace({ projects });
      workspaces.push(workspace);
      const result = await workspace.runNx(['run-many', '-t', 'release-prepare', ...args], {
        NX_RELEASE_ID: RELEASE_ID,
      });
      return { workspace, result };
    };
    batched = await run([]);
    unbatched = await run(['--batch=false']);
  }, 120_000);

  afterAll(async () => {
    await Promise.all(workspaces.map((workspace) => workspace.close()));
  });

  it('runs batched in one process and unbatched one task at a time', () => {
    expect(batched.result.output).toContain('Running 3 tasks with nx-release-deploy:prepare');
    expect(unbatched.result.output).not.toContain('tasks with nx-release-deploy:prepare');
  });

  it('exits the same way, with the same failed task', () => {
    expect(batched.result.exitCode).toBe(1);
    expect(unbatched.result.exitCode).toBe(1);
    expect(listFailedTasks(batched.result)).toEqual(['billing:release-prepare']);
    expect(listFailedTasks(unbatched.result)).toEqual(['billing:release-prepare']);
  });

  it('leaves identical ledgers for every project', async () => {
    for (const project of PROJECTS) {
      const one = await readComparable(batched.workspace, project);
      const other = await readComparable(unbatched.workspace, project);
      expect(one).toEqual(other);
      expect(one.status).toBe(project === 'billing' ? 'failed' : 'ok');
    }
    const billing = await readComparable(batched.workspace, 'billing');
    expect(
      billing.checks.map((check) => [check.id, check.status, check.reason, check.exitCode]),
    ).toEqual([
      ['deploy', 'ok', null, 0],
      ['post_deploy', 'failed', 'exit code 4', 4],
    ]);
  });

  it("prints each task's output and its ABORTED line in batch mode", () => {
    expect(batched.result.output).toContain('migrating shop-qa');
    expect(batched.result.output).toMatch(
      /ABORTED: prepare of billing \(release batch-e2e-1\) stopped at step post_deploy on billing-qa: exit code 4; 0 steps did not run\./,
    );
  });
});
