/**
 * Nx caching of release-prepare / release-ship with the recommended target config (README
 * "Nx caching and outputs"), through the real Nx 24 CLI: a cache hit only ever means "this exact
 * release was already done successfully", it never hides a deploy of new code, and a dry-run never
 * touches the ledger.
 *
 * Every deploy and post-deploy command appends a line to platform.log (outside dist/, so no
 * cache restore can touch it): that file is what really ran.
 *
 * Measured facts about Nx 24.0.6 that these tests rely on:
 * - A cache hit prints `> nx run <project>:<target>  [local cache]` and replays the task's
 *   recorded terminal output (step lines, `ok (0.1s)` and all) although nothing ran; the summary
 *   says `Nx read the output from the cache instead of running the command for N out of M tasks.`
 * - Without the daemon (as here and in most CI) Nx cannot compare on-disk outputs with the cache,
 *   so every hit copies the cached outputs over what is on disk ("[existing outputs match the
 *   cache, left as is]" never appears).
 * - Nx passes `--dry-run` to the outputs interpolation as `dry-run` (and `--dryRun` as `dryRun`).
 * - By default Nx 24 keeps its cache and task DB in ~/.nx/<id>/ where the id derives from the git
 *   remote or, without one, from the first commit; the tests point NX_CACHE_DIRECTORY into the
 *   temp workspace so nothing is left in the home directory and no two workspaces share a cache.
 */
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { createWorkspace } from './support/nx-workspace';
import type { NxResult, Workspace } from './support/nx-workspace';
import { formatAbortedNext, shortRelease } from './support/release-text';

jest.setTimeout(60_000);

interface LedgerFile {
  releaseId: string;
  status: string;
}

const PLATFORM_LOG = 'platform.log';
// deploy gets env/app/sha as arguments ({env} {app} {sha}); post_deploy from the RELEASE_* env
// of the local platform. PLATFORM_FAIL=<step>:<env> makes that one command exit 3.
const PLATFORM_JS = `const { appendFileSync } = require('node:fs');
const [step, env = process.env.RELEASE_ENV, app = process.env.RELEASE_APP, sha = process.env.RELEASE_ID] = process.argv.slice(2);
appendFileSync(${JSON.stringify(PLATFORM_LOG)}, [step, env, app, sha].join(' ') + '\\n');
if (process.env.PLATFORM_FAIL === step + ':' + env) process.exit(3);
`;
const DEPLOY_CMD = ['node', 'scripts/platform.js', 'deploy', '{env}', '{app}', '{sha}'];
const POST_DEPLOY_CMD = ['node', 'scripts/platform.js', 'post_deploy'];
const INPUTS = ['default', '^default', { runtime: 'git rev-parse HEAD' }, { env: 'NX_RELEASE_ID' }];
// The plain ledger-dir output, kept only to show why it is not the recommended one.
const PLAIN_OUTPUT = '{workspaceRoot}/dist/release/{projectName}/prepare';

const PREPARE = ['run', 'shop:release-prepare'];
const SHIP = ['run', 'shop:release-ship'];
const PREPARE_LEDGER = 'dist/release/shop/prepare/checks_run.json';
const SHIP_LEDGER = 'dist/release/shop/ship/checks_run.json';
// Where the plugin records each release's newest run, outside the cached outputs.
const RUN_RECORD = 'dist/release/shop/runs/prepare.json';

// A dry-run's output is a dir named `true` that never exists: it can neither capture nor restore.
function formatRecommendedOutput(stage: string): string {
  return `{workspaceRoot}/dist/release/{projectName}/{options.dryRun ?? options.dry-run ?? ${stage}}`;
}

function buildProject(name: string, prepareOutput = formatRecommendedOutput('prepare')): object {
  return {
    root: `apps/${name}`,
    targets: {
      'release-prepare': {
        executor: 'nx-release-deploy:prepare',
        cache: true,
        inputs: INPUTS,
        outputs: [prepareOutput],
        options: {
          devops: {
            platform: 'local',
            qa_app: `${name}-qa`,
            prod_app: name,
            deploy_cmd: { qa: DEPLOY_CMD, prod: DEPLOY_CMD },
            post_deploy_cmd: POST_DEPLOY_CMD,
          },
        },
      },
      'release-ship': {
        executor: 'nx-release-deploy:ship',
        cache: true,
        dependsOn: [{ target: 'release-prepare', params: 'forward' }],
        inputs: INPUTS,
        outputs: [formatRecommendedOutput('ship')],
        options: {},
      },
    },
  };
}

function createCacheWorkspace(projects: Record<string, object>): Promise<Workspace> {
  return createWorkspace({ projects, files: { 'scripts/platform.js': PLATFORM_JS } });
}

function runNx(workspace: Workspace, args: string[], env: Record<string, string> = {}) {
  return workspace.runNx(args, {
    NX_CACHE_DIRECTORY: path.join(workspace.root, '.nx', 'cache'),
    ...env,
  });
}

async function readPlatformLog(workspace: Workspace): Promise<string[]> {
  const text = await readFile(path.join(workspace.root, PLATFORM_LOG), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean);
}

// The ledger's exact bytes, or undefined when there is none.
function readLedgerText(workspace: Workspace, relPath: string): Promise<string | undefined> {
  return readFile(path.join(workspace.root, relPath), 'utf8').catch(() => undefined);
}

function readStatus(ledgerText: string | undefined): string | undefined {
  return ledgerText === undefined ? undefined : (JSON.parse(ledgerText) as LedgerFile).status;
}

function removeDir(workspace: Workspace, relPath: string): Promise<void> {
  return rm(path.join(workspace.root, relPath), { recursive: true, force: true });
}

// Each task's header once: in batch mode Nx prints it when the task starts and again with the
// result the task reports when it ends.
function listTaskHeaders(result: NxResult): string[] {
  return [...new Set(result.output.split('\n').filter((line) => line.startsWith('> nx run ')))];
}

// Exit status, and for each task whether Nx ran it or took it from the cache.
function expectTasks(result: NxResult, exitCode: number, headers: string[]): void {
  expect({
    exitCode: result.exitCode,
    headers: listTaskHeaders(result),
    output: result.exitCode === exitCode ? '' : result.output,
  }).toEqual({ exitCode, headers, output: '' });
}

// The same for tasks run side by side (run-many), whose order Nx does not fix.
function expectTasksInAnyOrder(result: NxResult, headers: string[]): void {
  expect({
    exitCode: result.exitCode,
    headers: listTaskHeaders(result).sort(),
    output: result.exitCode === 0 ? '' : result.output,
  }).toEqual({ exitCode: 0, headers: [...headers].sort(), output: '' });
}

function formatHit(task: string): string {
  return `> nx run ${task}  [local cache]`;
}

function formatRan(task: string): string {
  return `> nx run ${task}`;
}

function formatLogLine(
  step: 'deploy' | 'post_deploy',
  env: 'qa' | 'prod',
  app: string,
  sha: string,
) {
  return `${step} ${env} ${app} ${sha}`;
}

function listQaLines(sha: string, project = 'shop'): string[] {
  return [
    formatLogLine('deploy', 'qa', `${project}-qa`, sha),
    formatLogLine('post_deploy', 'qa', `${project}-qa`, sha),
  ];
}

function listProdLines(sha: string): string[] {
  return [
    formatLogLine('deploy', 'prod', 'shop', sha),
    formatLogLine('post_deploy', 'prod', 'shop', sha),
  ];
}

describe('Nx cache with the recommended release-prepare / release-ship config', () => {
  const workspaces: Workspace[] = [];

  async function setUp(projects: Record<string, object> = { shop: buildProject('shop') }) {
    const workspace = await createCacheWorkspace(projects);
    workspaces.push(workspace);
    return { workspace, sha: await workspace.git(['rev-parse', 'HEAD']) };
  }

  afterAll(() => Promise.all(workspaces.map((workspace) => workspace.close())));

  it('takes a second prepare of the same commit from the cache, runs nothing, and restores the ledger', async () => {
    const { workspace, sha } = await setUp();
    expectTasks(await runNx(workspace, PREPARE), 0, [formatRan('shop:release-prepare')]);
    const ledger = await readLedgerText(workspace, PREPARE_LEDGER);
    expect(await readPlatformLog(workspace)).toEqual(listQaLines(sha));

    const again = await runNx(workspace, PREPARE);

    expectTasks(again, 0, [formatHit('shop:release-prepare')]);
    expect(again.output).toContain(
      'Nx read the output from the cache instead of running the command for 1 out of 1 tasks.',
    );
    expect(await readPlatformLog(workspace)).toEqual(listQaLines(sha));

    await removeDir(workspace, 'dist/release/shop/prepare');
    expectTasks(await runNx(workspace, PREPARE), 0, [formatHit('shop:release-prepare')]);
    expect(await readLedgerText(workspace, PREPARE_LEDGER)).toBe(ledger);
    expect(await readPlatformLog(workspace)).toEqual(listQaLines(sha));
  });

  it('runs prepare again for a new commit', async () => {
    const { workspace, sha } = await setUp();
    expectTasks(await runNx(workspace, PREPARE), 0, [formatRan('shop:release-prepare')]);
    const next = await workspace.commit('Next release');

    expectTasks(await runNx(workspace, PREPARE), 0, [formatRan('shop:release-prepare')]);

    expect(await readPlatformLog(workspace)).toEqual([...listQaLines(sha), ...listQaLines(next)]);
    const ledger = await workspace.readJson<LedgerFile>(PREPARE_LEDGER);
    expect({ releaseId: ledger.releaseId, status: ledger.status }).toEqual({
      releaseId: next,
      status: 'ok',
    });
  });

  // `shop` has the recommended output; `plain` the plain ledger dir, side by side in each run.
  it('never lets a dry-run change the ledger (and shows a plain output would)', async () => {
    const { workspace, sha } = await setUp({
      shop: buildProject('shop'),
      plain: buildProject('plain', PLAIN_OUTPUT),
    });
    const both = ['run-many', '-t', 'release-prepare', '--projects=shop,plain'];
    const dryRun = [...both, '--dry-run'];
    const dryRunHits = [
      formatHit('plain:release-prepare --dry-run'),
      formatHit('shop:release-prepare --dry-run'),
    ];
    const plainLedger = 'dist/release/plain/prepare/checks_run.json';
    const readBoth = async () => ({
      shop: await readLedgerText(workspace, PREPARE_LEDGER),
      plain: await readLedgerText(workspace, plainLedger),
    });
    expectTasksInAnyOrder(await runNx(workspace, both), [
      formatRan('plain:release-prepare'),
      formatRan('shop:release-prepare'),
    ]);
    const first = await readBoth();
    expect([first.shop, first.plain].map(readStatus)).toEqual(['ok', 'ok']);

    expectTasksInAnyOrder(await runNx(workspace, dryRun), [
      formatRan('plain:release-prepare --dry-run'),
      formatRan('shop:release-prepare --dry-run'),
    ]);
    expectTasksInAnyOrder(await runNx(workspace, dryRun), dryRunHits);
    expect(await readBoth()).toEqual(first);

    expectTasksInAnyOrder(await runNx(workspace, [...both, '--skip-nx-cache']), [
      formatRan('plain:release-prepare'),
      formatRan('shop:release-prepare'),
    ]);
    const newer = await readBoth();
    expect(newer.shop).not.toBe(first.shop);
    expect(newer.plain).not.toBe(first.plain);

    expectTasksInAnyOrder(await runNx(workspace, dryRun), dryRunHits);
    // The recommended output keeps the newer ledger byte for byte; the plain one had captured
    // the real ledger in the dry-run's cache entry and restores that older one over it.
    expect(await readBoth()).toEqual({ shop: newer.shop, plain: first.plain });

    await removeDir(workspace, 'dist');
    expectTasksInAnyOrder(await runNx(workspace, dryRun), dryRunHits);
    expect(await readBoth()).toEqual({ shop: undefined, plain: first.plain });
    expect(workspace.exists('dist/release/shop/true')).toBe(false);

    expect((await readPlatformLog(workspace)).sort()).toEqual(
      [
        ...listQaLines(sha),
        ...listQaLines(sha, 'plain'),
        ...listQaLines(sha),
        ...listQaLines(sha, 'plain'),
      ].sort(),
    );
  });

  // A documented limit of the recommended output: `?? ` only skips an absent option, so an
  // explicit `--dry-run=false` runs for real but caches into a `false` dir that never exists.
  it('caches no ledger for an explicit --dry-run=false (documented limit)', async () => {
    const { workspace, sha } = await setUp();
    const explicit = [...PREPARE, '--dry-run=false'];
    expectTasks(await runNx(workspace, explicit), 0, [
      formatRan('shop:release-prepare --dry-run=false'),
    ]);
    expect(workspace.exists(PREPARE_LEDGER)).toBe(true);
    await removeDir(workspace, 'dist');

    const again = await runNx(workspace, explicit);

    expectTasks(again, 0, [formatHit('shop:release-prepare --dry-run=false')]);
    expect(workspace.exists(PREPARE_LEDGER)).toBe(false);
    expect(await readPlatformLog(workspace)).toEqual(listQaLines(sha));
  });

  it('never caches a failed prepare', async () => {
    const { workspace, sha } = await setUp();
    const failQa = { PLATFORM_FAIL: 'post_deploy:qa' };

    const first = await runNx(workspace, PREPARE, failQa);
    const second = await runNx(workspace, PREPARE, failQa);

    const aborted = `ABORTED: prepare of shop (release ${shortRelease(sha)}) stopped at step post_deploy on shop-qa: exit code 3; 0 steps did not run. ${formatAbortedNext('shop', 'prepare', 'other')}`;
    for (const result of [first, second]) {
      expectTasks(result, 1, [formatRan('shop:release-prepare')]);
      expect(result.output).toContain(aborted);
    }
    expect(await readPlatformLog(workspace)).toEqual([...listQaLines(sha), ...listQaLines(sha)]);
    expect((await workspace.readJson<LedgerFile>(PREPARE_LEDGER)).status).toBe('failed');
  });

  // Nx replays the older successful prepare (and restores its ledger) although a later prepare of
  // the release failed: the gate and --resume follow the newest run, which the plugin records
  // outside the cached outputs.
  it('refuses to ship after a later prepare of the release failed, whatever Nx restores, until a later prepare succeeds', async () => {
    const { workspace, sha } = await setUp();
    expectTasks(await runNx(workspace, PREPARE), 0, [formatRan('shop:release-prepare')]);
    const forced = [...PREPARE, '--skip-nx-cache'];
    expectTasks(await runNx(workspace, forced, { PLATFORM_FAIL: 'post_deploy:qa' }), 1, [
      formatRan('shop:release-prepare'),
    ]);

    const refused = await runNx(workspace, SHIP);

    expectTasks(refused, 1, [formatHit('shop:release-prepare'), formatRan('shop:release-ship')]);
    expect(readStatus(await readLedgerText(workspace, PREPARE_LEDGER))).toBe('ok');
    expect(refused.output).toContain(
      `stopped at step gate on ${PREPARE_LEDGER}: the newest prepare of release ${shortRelease(sha)} ended failed (recorded in ${RUN_RECORD}, whatever ledger the Nx cache restored): fix it, then run nx run shop:release-prepare --resume --skip-nx-cache`,
    );
    expect(await readPlatformLog(workspace)).toEqual([...listQaLines(sha), ...listQaLines(sha)]);

    // --resume has a hash of its own, so it runs; it resumes the failed run, not the replayed one.
    const resumed = await runNx(workspace, [...PREPARE, '--resume']);

    expectTasks(resumed, 0, [formatRan('shop:release-prepare --resume')]);
    expect(resumed.output).toContain('skipped: resumed');
    expect(await readPlatformLog(workspace)).toEqual([
      ...listQaLines(sha),
      ...listQaLines(sha),
      formatLogLine('post_deploy', 'qa', 'shop-qa', sha),
    ]);

    const shipped = await runNx(workspace, SHIP);

    expectTasks(shipped, 0, [formatHit('shop:release-prepare'), formatRan('shop:release-ship')]);
    expect((await readPlatformLog(workspace)).slice(5)).toEqual(listProdLines(sha));
  });

  it('ships from a cached prepare, takes a second ship from the cache, and re-deploys with --skip-nx-cache', async () => {
    const { workspace, sha } = await setUp();
    expectTasks(await runNx(workspace, PREPARE), 0, [formatRan('shop:release-prepare')]);
    // Like another CI agent: nothing on disk, only the cache.
    await removeDir(workspace, 'dist');

    const ship = await runNx(workspace, SHIP);

    expectTasks(ship, 0, [formatHit('shop:release-prepare'), formatRan('shop:release-ship')]);
    expect(await readPlatformLog(workspace)).toEqual([...listQaLines(sha), ...listProdLines(sha)]);
    const shipLedger = await readLedgerText(workspace, SHIP_LEDGER);
    expect(readStatus(shipLedger)).toBe('ok');
    expect(workspace.exists(PREPARE_LEDGER)).toBe(true);

    const again = await runNx(workspace, SHIP);

    expectTasks(again, 0, [formatHit('shop:release-prepare'), formatHit('shop:release-ship')]);
    expect(again.output).toContain(
      'Nx read the output from the cache instead of running the command for 2 out of 2 tasks.',
    );
    expect(await readPlatformLog(workspace)).toEqual([...listQaLines(sha), ...listProdLines(sha)]);
    expect(await readLedgerText(workspace, SHIP_LEDGER)).toBe(shipLedger);

    const forced = await runNx(workspace, [...SHIP, '--skip-nx-cache']);

    expectTasks(forced, 0, [formatRan('shop:release-prepare'), formatRan('shop:release-ship')]);
    expect(await readPlatformLog(workspace)).toEqual([
      ...listQaLines(sha),
      ...listProdLines(sha),
      ...listQaLines(sha),
      ...listProdLines(sha),
    ]);
    expect(await readLedgerText(workspace, SHIP_LEDGER)).not.toBe(shipLedger);
  });
});
