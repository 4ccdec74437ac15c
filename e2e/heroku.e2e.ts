/**
 * `heroku run` end to end: the real Nx 24 CLI runs the packed plugin, which runs the REAL Heroku
 * CLI 11 (a `heroku` symlink on PATH), which talks to the loopback stand-in, whose dyno is a local
 * bash in a scratch "app" directory (README "Stages and steps", "Commands, quoting and the Heroku
 * CLI"). One stand-in (apps shop-qa and shop) serves every test; each scenario gets a fresh
 * workspace and tells its dyno runs apart by position.
 */
import { chmod, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startHerokuStandin } from './support/heroku-standin';
import type { DynoRun, HerokuStandin } from './support/heroku-standin';
import { createWorkspace } from './support/nx-workspace';
import type { NxResult, Workspace } from './support/nx-workspace';
import { REPO_ROOT } from './support/packed-plugin';
import { formatAbortedNext, shortRelease } from './support/release-text';
import { buildUncachedReleaseProject } from './support/release-projects';
import { HOSTILE_TOKENS } from './support/hostile-tokens';

jest.setTimeout(120_000);

// What the CLI appends to the command because of --exit-code (heroku dist/lib/run/dyno.js).
const EXIT_CODE_SUFFIX = ' ; echo "\uFFFF heroku-command-exit-status: $?"';
const HEROKU_RUN = ['heroku', 'run', '--exit-code', '--no-tty', '--no-notify'];
const PREPARE_LEDGER = 'dist/release/shop/prepare/checks_run.json';
const SHIP_LEDGER = 'dist/release/shop/ship/checks_run.json';

// Dyno-side programs (the "app"): each a program, never a top-level `exit` of the dyno's bash.
const DYNO_SCRIPTS: Record<string, string> = {
  // Appends its argv as one JSON line, so every run can be read back exactly.
  'print-args': `require('node:fs').appendFileSync(require('node:path').join(__dirname, 'args.jsonl'), JSON.stringify(process.argv.slice(2)) + '\\n');`,
  // A re-runnable migration that fails with 7 while migrate.fail exists next to it.
  migrate: `const fs = require('node:fs'); const path = require('node:path');
fs.appendFileSync(path.join(__dirname, 'migrations.log'), process.argv.slice(2).join(' ') + '\\n');
if (fs.existsSync(path.join(__dirname, 'migrate.fail'))) { console.log('migration failed'); process.exit(7); }
console.log('migrated');`,
  'exit-with': `process.exit(Number(process.argv[2]));`,
};

// Local side effects, run by the plugin from the workspace root: argv arrays, no shell.
const RECORD_DEPLOY = `require('node:fs').appendFileSync('deploys.log', process.argv.slice(1).join(' ') + '\\n')`;
const GEM_MARKER = 'shop-gem-1.0.0.published';
const FULL_DEVOPS = {
  post_deploy_cmd: ['./migrate', 'db:migrate'],
  deploy_cmd: {
    qa: ['node', '-e', RECORD_DEPLOY, '{env}', '{app}'],
    prod: ['node', '-e', RECORD_DEPLOY, '{env}', '{app}'],
  },
  publish: [
    { name: 'shop-gem', check_cmd: ['test', '-f', GEM_MARKER], publish_cmd: ['touch', GEM_MARKER] },
  ],
};

interface LedgerCheck {
  id: string;
  kind: string;
  env: string;
  target: string;
  argv: string[];
  command: string;
  status: string;
  reason: string | null;
  exitCode: number | null;
  outputTail: string;
}

interface Ledger {
  schemaVersion: number;
  project: string;
  stage: string;
  releaseId: string;
  status: string;
  checks: LedgerCheck[];
}

let standin: HerokuStandin;
let dynoCwd: string;
let binDir: string;
const workspaces: Workspace[] = [];

beforeAll(async () => {
  dynoCwd = await mkdtemp(path.join(os.tmpdir(), 'heroku-e2e-dyno-'));
  await writeDynoScripts(dynoCwd);
  binDir = await linkHerokuBin();
  standin = await startHerokuStandin({ apps: ['shop-qa', 'shop'], dynoCwd });
});

afterAll(async () => {
  await standin?.close();
  await Promise.all(workspaces.map((workspace) => workspace.close()));
  await Promise.all(
    [dynoCwd, binDir].map((dir) => dir && rm(dir, { recursive: true, force: true })),
  );
});

async function writeDynoScripts(dir: string): Promise<void> {
  for (const [name, body] of Object.entries(DYNO_SCRIPTS)) {
    const file = path.join(dir, name);
    await writeFile(file, `#!/usr/bin/env node\n${body}\n`);
    await chmod(file, 0o755);
  }
}

// The plugin runs `heroku` from PATH: a temp bin dir whose `heroku` is the repo's real CLI.
async function linkHerokuBin(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'heroku-e2e-bin-'));
  const cli = path.join(REPO_ROOT, 'node_modules', 'heroku', 'bin', 'run.js');
  await symlink(cli, path.join(dir, 'heroku'));
  return dir;
}

function buildShopProject(devops: Record<string, unknown>): object {
  return buildUncachedReleaseProject('shop', { qa_app: 'shop-qa', prod_app: 'shop', ...devops });
}

async function createShopWorkspace(devops: Record<string, unknown>): Promise<Workspace> {
  const workspace = await createWorkspace({ projects: { shop: buildShopProject(devops) } });
  workspaces.push(workspace);
  return workspace;
}

function runTarget(workspace: Workspace, target: string, args: string[] = []): Promise<NxResult> {
  return workspace.runNx(['run', `shop:${target}`, ...args], {
    ...standin.env,
    PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}`,
  });
}

async function timeTarget(
  workspace: Workspace,
  target: string,
): Promise<{ result: NxResult; ms: number }> {
  const startedAt = performance.now();
  const result = await runTarget(workspace, target);
  return { result, ms: Math.round(performance.now() - startedAt) };
}

function readLedger(workspace: Workspace, file: string): Promise<Ledger> {
  return workspace.readJson<Ledger>(file);
}

function findCheck(ledger: Ledger, id: string): LedgerCheck | undefined {
  return ledger.checks.find((check) => check.id === id);
}

// Each check reduced to what a scenario asserts on: id, status, reason, exit code.
function summarizeChecks(ledger: Ledger): Array<[string, string, string | null, number | null]> {
  return ledger.checks.map((check) => [check.id, check.status, check.reason, check.exitCode]);
}

function readLoggedRuns(): Promise<DynoRun[]> {
  return readFile(standin.logPath, 'utf8').then((text) =>
    text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as DynoRun),
  );
}

// Runs from the stand-in's log after `mark` (a count taken earlier), as [app, command] pairs.
async function listRunsSince(mark: number): Promise<Array<[string, string]>> {
  const runs = await readLoggedRuns();
  return runs.slice(mark).map((run) => [run.app, run.command]);
}

function countLoggedRuns(): Promise<number> {
  return readLoggedRuns().then((runs) => runs.length);
}

function buildPostDeployArgv(app: string, remote: string): string[] {
  return [...HEROKU_RUN, `--app=${app}`, '--', remote];
}

async function readLines(file: string): Promise<string[]> {
  if (!existsSync(file)) return [];
  return (await readFile(file, 'utf8')).split('\n').slice(0, -1);
}

function readDeploys(workspace: Workspace): Promise<string[]> {
  return readLines(path.join(workspace.root, 'deploys.log'));
}

async function readDynoArgs(): Promise<string[][]> {
  return (await readLines(path.join(dynoCwd, 'args.jsonl'))).map(
    (line) => JSON.parse(line) as string[],
  );
}

// Distinct lines: in batch mode a task's closing line is printed live and again as the result
// it reports to Nx.
function listLinesStartingWith(result: NxResult, prefix: string): string[] {
  return [...new Set(result.output.split('\n').filter((line) => line.startsWith(prefix)))];
}

function expectNoStackTrace(result: NxResult): void {
  expect(result.output).not.toMatch(/^ {4}at /m);
}

describe('a release through the real Heroku CLI: prepare, ship, ship again', () => {
  let workspace: Workspace;
  let sha: string;
  let mark: number;
  let prepare: NxResult;
  let ship: NxResult;

  beforeAll(async () => {
    workspace = await createShopWorkspace(FULL_DEVOPS);
    sha = await workspace.git(['rev-parse', 'HEAD']);
    await rm(path.join(dynoCwd, 'migrations.log'), { force: true });
    mark = await countLoggedRuns();
    const timed = await timeTarget(workspace, 'release-prepare');
    prepare = timed.result;
    console.log(`nx run shop:release-prepare through the real Heroku CLI: ${timed.ms} ms`);
    ship = await runTarget(workspace, 'release-ship');
  });

  it('succeeds on both stages and sends the identical command to shop-qa and shop', async () => {
    expect([prepare.exitCode, ship.exitCode]).toEqual([0, 0]);
    const command = `./migrate db:migrate${EXIT_CODE_SUFFIX}`;
    expect(await listRunsSince(mark)).toEqual([
      ['shop-qa', command],
      ['shop', command],
    ]);
    expect(await readDeploys(workspace)).toEqual(['qa shop-qa', 'prod shop']);
    expect(await readLines(path.join(dynoCwd, 'migrations.log'))).toEqual([
      'db:migrate',
      'db:migrate',
    ]);
  });

  it('records the prepare ledger: deploy then post_deploy ok, with the heroku argv', async () => {
    const ledger = await readLedger(workspace, PREPARE_LEDGER);

    expect(ledger).toMatchObject({
      schemaVersion: 1,
      project: 'shop',
      stage: 'prepare',
      releaseId: sha,
      status: 'ok',
    });
    expect(summarizeChecks(ledger)).toEqual([
      ['deploy', 'ok', null, 0],
      ['post_deploy', 'ok', null, 0],
    ]);
    expect(findCheck(ledger, 'post_deploy')).toEqual({
      id: 'post_deploy',
      kind: 'post_deploy',
      env: 'qa',
      target: 'shop-qa',
      argv: buildPostDeployArgv('shop-qa', './migrate db:migrate'),
      command:
        "heroku run --exit-code --no-tty --no-notify --app=shop-qa -- './migrate db:migrate'",
      status: 'ok',
      reason: null,
      exitCode: 0,
      startedAt: expect.any(String),
      finishedAt: expect.any(String),
      durationMs: expect.any(Number),
      outputTail: expect.stringContaining('migrated'),
    });
  });

  it('records the ship ledger: gate, publish, deploy and post_deploy on shop, all ok', async () => {
    const ledger = await readLedger(workspace, SHIP_LEDGER);

    expect(ledger).toMatchObject({ stage: 'ship', releaseId: sha, status: 'ok' });
    expect(summarizeChecks(ledger)).toEqual([
      [
        'gate',
        'ok',
        `release ${shortRelease(sha)} prepared; post-deploy command proven on QA`,
        null,
      ],
      ['publish:shop-gem', 'ok', null, 0],
      ['deploy', 'ok', null, 0],
      ['post_deploy', 'ok', null, 0],
    ]);
    expect(findCheck(ledger, 'publish:shop-gem')?.argv).toEqual(['touch', GEM_MARKER]);
    expect(findCheck(ledger, 'post_deploy')).toMatchObject({
      env: 'prod',
      target: 'shop',
      argv: buildPostDeployArgv('shop', './migrate db:migrate'),
      command: "heroku run --exit-code --no-tty --no-notify --app=shop -- './migrate db:migrate'",
    });
  });

  it('re-runs ship without --resume: publish skipped as already live, deploy and post_deploy again', async () => {
    const before = await countLoggedRuns();

    const again = await runTarget(workspace, 'release-ship');

    expect(again.exitCode).toBe(0);
    const ledger = await readLedger(workspace, SHIP_LEDGER);
    expect(ledger.status).toBe('ok');
    expect(summarizeChecks(ledger)).toEqual([
      [
        'gate',
        'ok',
        `release ${shortRelease(sha)} prepared; post-deploy command proven on QA`,
        null,
      ],
      ['publish:shop-gem', 'skipped', 'already live', 0],
      ['deploy', 'ok', null, 0],
      ['post_deploy', 'ok', null, 0],
    ]);
    expect(findCheck(ledger, 'publish:shop-gem')?.argv).toEqual(['test', '-f', GEM_MARKER]);
    expect(await readDeploys(workspace)).toEqual(['qa shop-qa', 'prod shop', 'prod shop']);
    expect(await listRunsSince(before)).toEqual([
      ['shop', `./migrate db:migrate${EXIT_CODE_SUFFIX}`],
    ]);
  });
});

describe('hostile tokens in post_deploy_cmd', () => {
  const argv = ['./print-args', ...HOSTILE_TOKENS];
  let mark: number;
  let workspace: Workspace;
  let results: NxResult[];

  beforeAll(async () => {
    workspace = await createShopWorkspace({ post_deploy_cmd: argv });
    await rm(path.join(dynoCwd, 'args.jsonl'), { force: true });
    mark = await countLoggedRuns();
    results = [
      await runTarget(workspace, 'release-prepare'),
      await runTarget(workspace, 'release-ship'),
    ];
  });

  it('reach the program on the dyno unchanged, on QA and on prod', async () => {
    expect(results.map((result) => result.exitCode)).toEqual([0, 0]);
    expect(await readDynoArgs()).toEqual([HOSTILE_TOKENS, HOSTILE_TOKENS]);
  });

  it('travel as one identical string and never retarget the app (--app=other)', async () => {
    const runs = await listRunsSince(mark);
    expect(runs.map(([app]) => app)).toEqual(['shop-qa', 'shop']);
    const [qa, prod] = runs.map(([, command]) => command);
    expect(qa).toBe(prod);
    const prepare = await readLedger(workspace, PREPARE_LEDGER);
    const remote = findCheck(prepare, 'post_deploy')?.argv.at(-1) ?? '';
    expect(qa).toBe(`${remote}${EXIT_CODE_SUFFIX}`);
    expect(findCheck(prepare, 'post_deploy')?.argv).toEqual(buildPostDeployArgv('shop-qa', remote));
    const ship = await readLedger(workspace, SHIP_LEDGER);
    expect(findCheck(ship, 'post_deploy')?.argv).toEqual(buildPostDeployArgv('shop', remote));
  });
});

describe('a post-deploy command failing on QA', () => {
  let workspace: Workspace;
  let sha: string;
  let mark: number;
  let prepare: NxResult;
  let ship: NxResult;

  beforeAll(async () => {
    workspace = await createShopWorkspace({ post_deploy_cmd: ['./exit-with', '7'] });
    sha = await workspace.git(['rev-parse', 'HEAD']);
    mark = await countLoggedRuns();
    prepare = await runTarget(workspace, 'release-prepare');
    ship = await runTarget(workspace, 'release-ship');
  });

  it('aborts prepare with exit code 7 recorded', async () => {
    expect(prepare.exitCode).toBe(1);
    expect(listLinesStartingWith(prepare, 'ABORTED:')).toEqual([
      `ABORTED: prepare of shop (release ${shortRelease(sha)}) stopped at step post_deploy on shop-qa: exit code 7; 0 steps did not run. ${formatAbortedNext('shop', 'prepare', 'other')}`,
    ]);
    const ledger = await readLedger(workspace, PREPARE_LEDGER);
    expect(ledger.status).toBe('failed');
    expect(summarizeChecks(ledger)).toEqual([['post_deploy', 'failed', 'exit code 7', 7]]);
  });

  it('stops ship at the gate, so nothing runs on shop', async () => {
    const reason = `the prepare of release ${shortRelease(sha)} ended failed: fix it and run release-prepare again`;
    expect(ship.exitCode).toBe(1);
    expect(listLinesStartingWith(ship, 'ABORTED:')).toEqual([
      `ABORTED: ship of shop (release ${shortRelease(sha)}) stopped at step gate on ${PREPARE_LEDGER}: ${reason}; 1 step did not run (post_deploy). ${formatAbortedNext('shop', 'ship', 'gate')}`,
    ]);
    const ledger = await readLedger(workspace, SHIP_LEDGER);
    expect(ledger.status).toBe('failed');
    expect(summarizeChecks(ledger)).toEqual([['gate', 'failed', reason, null]]);
    expect(await listRunsSince(mark)).toEqual([['shop-qa', `./exit-with 7${EXIT_CODE_SUFFIX}`]]);
  });
});

describe('a post-deploy failure on prod after publish and deploy, then --resume', () => {
  let workspace: Workspace;
  let sha: string;
  let failed: NxResult;
  let resumed: NxResult;
  let runsOfFailedShip: Array<[string, string]>;
  let runsOfResume: Array<[string, string]>;
  let deploysAfterFailure: string[];
  let ledgerAfterFailure: Ledger;

  beforeAll(async () => {
    workspace = await createShopWorkspace(FULL_DEVOPS);
    sha = await workspace.git(['rev-parse', 'HEAD']);
    expect((await runTarget(workspace, 'release-prepare')).exitCode).toBe(0);
    const failMarker = path.join(dynoCwd, 'migrate.fail');
    await writeFile(failMarker, '');
    try {
      const beforeFailure = await countLoggedRuns();
      failed = await runTarget(workspace, 'release-ship');
      runsOfFailedShip = await listRunsSince(beforeFailure);
    } finally {
      await rm(failMarker, { force: true });
    }
    deploysAfterFailure = await readDeploys(workspace);
    ledgerAfterFailure = await readLedger(workspace, SHIP_LEDGER);
    const beforeResume = await countLoggedRuns();
    resumed = await runTarget(workspace, 'release-ship', ['--resume']);
    runsOfResume = await listRunsSince(beforeResume);
  });

  it('aborts ship at post_deploy on shop with exit code 7, after publish and deploy', async () => {
    expect(failed.exitCode).toBe(1);
    expect(listLinesStartingWith(failed, 'ABORTED:')).toEqual([
      `ABORTED: ship of shop (release ${shortRelease(sha)}) stopped at step post_deploy on shop: exit code 7; 0 steps did not run. ${formatAbortedNext('shop', 'ship', 'other')}`,
    ]);
    expect(ledgerAfterFailure.status).toBe('failed');
    expect(summarizeChecks(ledgerAfterFailure)).toEqual([
      [
        'gate',
        'ok',
        `release ${shortRelease(sha)} prepared; post-deploy command proven on QA`,
        null,
      ],
      ['publish:shop-gem', 'ok', null, 0],
      ['deploy', 'ok', null, 0],
      ['post_deploy', 'failed', 'exit code 7', 7],
    ]);
    expect(runsOfFailedShip).toEqual([['shop', `./migrate db:migrate${EXIT_CODE_SUFFIX}`]]);
    expect(deploysAfterFailure).toEqual(['qa shop-qa', 'prod shop']);
    expect(workspace.exists(GEM_MARKER)).toBe(true);
  });

  it('resumes with only post_deploy run again', async () => {
    expect(resumed.exitCode).toBe(0);
    const ledger = await readLedger(workspace, SHIP_LEDGER);
    expect(ledger.status).toBe('ok');
    expect(summarizeChecks(ledger)).toEqual([
      [
        'gate',
        'ok',
        `release ${shortRelease(sha)} prepared; post-deploy command proven on QA`,
        null,
      ],
      ['publish:shop-gem', 'skipped', 'resumed', null],
      ['deploy', 'skipped', 'resumed', null],
      ['post_deploy', 'ok', null, 0],
    ]);
    expect(await readDeploys(workspace)).toEqual(['qa shop-qa', 'prod shop']);
    expect(runsOfResume).toEqual([['shop', `./migrate db:migrate${EXIT_CODE_SUFFIX}`]]);
  });
});

describe('an app the platform does not know', () => {
  let workspace: Workspace;
  let sha: string;
  let mark: number;
  let prepare: NxResult;

  beforeAll(async () => {
    workspace = await createShopWorkspace({
      qa_app: 'ghost-app',
      post_deploy_cmd: ['./migrate', 'db:migrate'],
    });
    sha = await workspace.git(['rev-parse', 'HEAD']);
    mark = await countLoggedRuns();
    prepare = await runTarget(workspace, 'release-prepare');
  });

  it('fails prepare cleanly with the CLI exit code, and no dyno runs', async () => {
    expect(prepare.exitCode).toBe(1);
    expect(prepare.output).toContain("Couldn't find that app.");
    expect(listLinesStartingWith(prepare, 'ABORTED:')).toEqual([
      `ABORTED: prepare of shop (release ${shortRelease(sha)}) stopped at step post_deploy on ghost-app: exit code 2; 0 steps did not run. ${formatAbortedNext('shop', 'prepare', 'other')}`,
    ]);
    expectNoStackTrace(prepare);
    const ledger = await readLedger(workspace, PREPARE_LEDGER);
    expect(ledger.status).toBe('failed');
    expect(summarizeChecks(ledger)).toEqual([['post_deploy', 'failed', 'exit code 2', 2]]);
    expect(findCheck(ledger, 'post_deploy')?.argv).toEqual(
      buildPostDeployArgv('ghost-app', './migrate db:migrate'),
    );
    expect(await listRunsSince(mark)).toEqual([]);
  });
});

describe('secrets in what the commands print', () => {
  let workspace: Workspace;
  let prepare: NxResult;

  beforeAll(async () => {
    workspace = await createShopWorkspace({
      deploy_cmd: {
        qa: ['node', '-e', 'console.log("deploying with key=" + process.env.HEROKU_API_KEY)'],
      },
      post_deploy_cmd: ['./print-args', 'db:migrate'],
    });
    prepare = await runTarget(workspace, 'release-prepare');
  });

  it('masks HEROKU_API_KEY in the live output and in the ledger', async () => {
    const key = standin.env.HEROKU_API_KEY as string;
    expect(key.length).toBeGreaterThanOrEqual(6);
    expect(prepare.exitCode).toBe(0);
    expect(prepare.output).toContain('deploying with key=***');
    expect(prepare.output).not.toContain(key);
    const ledger = await readLedger(workspace, PREPARE_LEDGER);
    expect(findCheck(ledger, 'deploy')?.outputTail).toBe('deploying with key=***\n');
    expect(JSON.stringify(ledger)).not.toContain(key);
  });
});
