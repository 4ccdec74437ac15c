/**
 * Batch mode (executors.json `batchImplementation` + `preferBatch`) keeps every per-task
 * guarantee: the same projects released once batched (one process) and once unbatched
 * (`--batch=false`, one forked process per task) leave identical ledgers and exit statuses,
 * with one project failing while the others succeed.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { readJobLog, startNxInJob, type LogLine } from './support/github-job';
import { createWorkspace, type NxResult, type Workspace } from './support/nx-workspace';
import { killIfAlive, sleep } from './support/processes';
import { buildUncachedReleaseProject } from './support/release-projects';

interface Ledger {
  project: string;
  stage: string;
  releaseId: string;
  runId?: string;
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
    // Every run gets a random id of its own.
    runId: ledger.runId === undefined ? undefined : '<run id>',
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

/**
 * On a GitHub-hosted job (GITHUB_ACTIONS=true, Nx's default output style), Nx holds a batch
 * worker's stdout back and shows it only at the batch's end, when a task failed. Liveness is
 * proven without timing: each migration prints its first line, then waits (up to 30 s) for a
 * file that the test creates only once it has read that line in nx's log, and says "migrated"
 * only if the file came. Output shown only at the batch's end would never release it.
 */
describe('on GitHub Actions, with the default batch mode', () => {
  const MIGRATE_JS = `const { existsSync } = require('node:fs');
const app = process.env.RELEASE_APP;
const go = 'go-' + app + '-' + process.env.RELEASE_ID;
console.log('migration of ' + app + ' waits for ' + go);
if (app.startsWith('billing')) {
  console.log('error: column "sku" already exists');
  process.exit(4);
}
const deadline = Date.now() + 30000;
const timer = setInterval(() => {
  if (existsSync(go)) {
    clearInterval(timer);
    console.log('migrated ' + app);
  } else if (Date.now() > deadline) {
    clearInterval(timer);
    console.log(go + ' never came: the log did not show this migration while it ran');
    process.exit(9);
  }
}, 50);
`;
  const project = (name: string) =>
    buildUncachedReleaseProject(name, {
      platform: 'local',
      qa_app: `${name}-qa`,
      prod_app: name,
      deploy_cmd: { qa: ['node', '-e', 'console.log("deploying {app} {sha}")'] },
      post_deploy_cmd: ['node', 'scripts/migrate.js'],
    });
  let workspace: Workspace;
  let sideBySide: { result: NxResult; log: LogLine[] };
  let oneAtATime: { result: NxResult; log: LogLine[] };
  let streamed: { result: NxResult; log: LogLine[] };

  // Runs nx as a job's step; creates each migration's file once its first line is in the log.
  async function runInJob(args: string[], env: Record<string, string>) {
    const job = await startNxInJob(workspace, args, env);
    const released = new Set<string>();
    let exited = false;
    const settled = job.result.finally(() => (exited = true));
    try {
      while (!exited) {
        for (const [, go] of job.readOutput().matchAll(/migration of \S+ waits for (\S+)\n/g)) {
          if (go && !released.has(go)) {
            released.add(go);
            writeFileSync(path.join(workspace.root, go), '');
          }
        }
        await Promise.race([settled, sleep(20)]);
      }
    } finally {
      if (!exited) killIfAlive(-job.pid);
    }
    const result = await settled;
    return { result, log: readJobLog(result.output) };
  }

  beforeAll(async () => {
    workspace = await createWorkspace({
      projects: Object.fromEntries(['shop', 'admin', 'billing'].map((n) => [n, project(n)])),
      files: { 'scripts/migrate.js': MIGRATE_JS },
    });
    const args = ['run-many', '-t', 'release-prepare'];
    sideBySide = await runInJob(args, { NX_RELEASE_ID: 'gha-1' });
    oneAtATime = await runInJob([...args, '-p', 'shop', 'billing'], {
      NX_RELEASE_ID: 'gha-2',
      NX_PARALLEL: '1',
    });
    streamed = await runInJob(['run', 'shop:release-prepare'], {
      NX_RELEASE_ID: 'gha-3',
      NX_STREAM_OUTPUT: 'true',
    });
  }, 180_000);

  afterAll(async () => {
    await workspace?.close();
  });

  // The lines of `log` matching `patterns` one after the other (each after the previous one).
  function findInOrder(log: readonly LogLine[], patterns: readonly RegExp[]): LogLine[] {
    const found: LogLine[] = [];
    let from = 0;
    for (const pattern of patterns) {
      const index = log.findIndex((line, at) => at >= from && pattern.test(line.text));
      if (index === -1) throw new Error(`No line matching ${pattern} after ${found.at(-1)?.text}`);
      found.push(log[index] as LogLine);
      from = index + 1;
    }
    return found;
  }

  const steps = (project: string, release: string, prefix: string) => {
    const p = prefix.replace(/[[\]]/g, '\\$&');
    return [
      new RegExp(`^${p}\\[1/2\\] deploy · qa · ${project}-qa$`),
      new RegExp(`^${p}  \\$ node -e 'console\\.log\\("deploying ${project}-qa ${release}"\\)'$`),
      new RegExp(`^${p}deploying ${project}-qa ${release}$`),
      new RegExp(`^${p}  ok \\(`),
      new RegExp(`^${p}\\[2/2\\] post_deploy · qa · ${project}-qa$`),
      new RegExp(
        `^${p}  \\$ RELEASE_APP=${project}-qa RELEASE_ENV=qa RELEASE_ID=${release} node scripts/migrate\\.js$`,
      ),
      new RegExp(`^${p}migration of ${project}-qa waits for go-${project}-qa-${release}$`),
      new RegExp(`^${p}migrated ${project}-qa$`),
      new RegExp(`^${p}  ok \\(`),
      new RegExp(`^${p}prepare of ${project} \\(release ${release}\\) succeeded: 2 ok\\.`),
    ];
  };

  it('shows each step live, side by side: the migrations finish because their lines reached the log while they ran', () => {
    expect(listFailedTasks(sideBySide.result)).toEqual(['billing:release-prepare']);
    for (const name of ['shop', 'admin']) {
      const lines = findInOrder(sideBySide.log, [
        ...steps(name, 'gha-1', `[${name}] `),
        new RegExp(`^✔ +nx run ${name}:release-prepare$`),
      ]);
      expect(lines.every((line) => line.fold === undefined)).toBe(true);
    }
    expect(sideBySide.log.filter((line) => line.fold?.startsWith('['))).toEqual([]);
  });

  it("shows a failed step's output and its ABORTED line outside every fold", () => {
    for (const { log, prefix, release } of [
      { log: sideBySide.log, prefix: '[billing] ', release: 'gha-1' },
      { log: oneAtATime.log, prefix: '', release: 'gha-2' },
    ]) {
      const unfolded = log.filter((line) => line.fold === undefined).map((line) => line.text);
      expect(unfolded).toContain(`${prefix}error: column "sku" already exists`);
      expect(unfolded).toContain(
        `${prefix}ABORTED: prepare of billing (release ${release}) stopped at step post_deploy on billing-qa: exit code 4; 0 steps did not run. To continue once the cause is fixed: nx run billing:release-prepare --resume (ledger: dist/release/billing/prepare/checks_run.json)`,
      );
    }
  });

  it('folds each step of a task that runs alone, its result line outside the fold', () => {
    expect(listFailedTasks(oneAtATime.result)).toEqual(['billing:release-prepare']);
    const lines = findInOrder(oneAtATime.log, steps('shop', 'gha-2', ''));
    const deploy = '[1/2] deploy · qa · shop-qa';
    const migrate = '[2/2] post_deploy · qa · shop-qa';
    // Header (the fold's title), command, output (folded), result line, ... closing line.
    expect(lines.map((line) => line.fold)).toEqual([
      undefined,
      deploy,
      deploy,
      undefined,
      undefined,
      migrate,
      migrate,
      migrate,
      undefined,
      undefined,
    ]);
    expect(oneAtATime.log.filter((line) => line.text === deploy)).toHaveLength(1);
  });

  it('leaves the stream to Nx under NX_STREAM_OUTPUT=true: every line once, live, unfolded', () => {
    expect(streamed.result.exitCode).toBe(0);
    const lines = findInOrder(streamed.log, steps('shop', 'gha-3', '').slice(0, -1));
    expect(lines.every((line) => line.fold === undefined)).toBe(true);
    const marker = 'migration of shop-qa waits for go-shop-qa-gha-3';
    expect(streamed.log.filter((line) => line.text === marker)).toHaveLength(1);
  });
});
