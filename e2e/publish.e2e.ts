/**
 * Ship's publish steps against a real npm registry (verdaccio on 127.0.0.1), through the real Nx 24
 * CLI with the packed plugin (README "Publish, skip-if-live"): publish what is not live, skip what
 * is (`already live`), and never publish blind when the live check cannot tell.
 */
import { spawn } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startLocalRegistry } from './support/local-registry';
import type { LocalRegistry } from './support/local-registry';
import { createWorkspace } from './support/nx-workspace';
import { cleanInheritedEnv } from './support/packed-plugin';
import type { NxResult, Workspace } from './support/nx-workspace';
import { formatAbortedNext, shortRelease } from './support/release-text';
import { buildUncachedReleaseProject } from './support/release-projects';

jest.setTimeout(60_000);

interface LedgerCheck {
  id: string;
  status: string;
  reason: string | null;
  argv: string[];
  exitCode: number | null;
  outputTail: string;
}

interface LedgerFile {
  releaseId: string;
  status: string;
  checks: LedgerCheck[];
}

interface NpmResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

const SDK = '@acme/shop-sdk';
const CLI = 'shop-cli';
const SHIP_LEDGER = 'dist/release/shop/ship/checks_run.json';
const POST_DEPLOY_LOG = 'post-deploy.log';
// While this file exists, the post-deploy command fails on prod (and only there).
const FAIL_PROD_MARKER = 'fail-prod-post-deploy';
const POST_DEPLOY_JS = `const { appendFileSync, existsSync } = require('node:fs');
appendFileSync(${JSON.stringify(POST_DEPLOY_LOG)}, process.env.RELEASE_ENV + ' ' + process.env.RELEASE_APP + '\\n');
if (process.env.RELEASE_ENV === 'prod' && existsSync(${JSON.stringify(FAIL_PROD_MARKER)})) process.exit(5);
console.log(process.env.RELEASE_APP);
`;
const POST_DEPLOY_CMD = ['node', 'scripts/post-deploy.js'];

function shopProject(): object {
  return buildUncachedReleaseProject('shop', {
    platform: 'local',
    qa_app: 'shop-qa',
    prod_app: 'shop',
    post_deploy_cmd: POST_DEPLOY_CMD,
    publish: ['packages/shop-sdk', 'packages/shop-cli'],
  });
}

function formatManifest(name: string, version: string): string {
  const manifest = { name, version, description: 'publish e2e fixture', license: 'MIT' };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

function createShopWorkspace(): Promise<Workspace> {
  return createWorkspace({
    projects: { shop: shopProject() },
    files: {
      'scripts/post-deploy.js': POST_DEPLOY_JS,
      'packages/shop-sdk/package.json': formatManifest(SDK, '1.0.0'),
      'packages/shop-sdk/index.js': 'module.exports = "sdk";\n',
      'packages/shop-cli/package.json': formatManifest(CLI, '2.1.0'),
      'packages/shop-cli/index.js': 'module.exports = "cli";\n',
    },
  });
}

// npm as the user runs it, pointed at the local registry (plus any overrides).
function runNpm(
  registry: LocalRegistry,
  cwd: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<NpmResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, {
      cwd,
      env: { ...cleanInheritedEnv(process.env), ...registry.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (exitCode) => resolve({ exitCode, stdout, stderr }));
  });
}

// What the registry answers for name@version: the version, or `E404` when it is not there.
async function viewVersion(registry: LocalRegistry, cwd: string, spec: string): Promise<string> {
  const result = await runNpm(registry, cwd, ['view', spec, 'version']);
  if (result.exitCode === 0) return result.stdout.trim();
  if (result.stderr.includes('npm error code E404')) return 'E404';
  throw new Error(`npm view ${spec} failed (exit ${result.exitCode}):\n${result.stderr}`);
}

// A 127.0.0.1 port where nothing listens: bound by the OS, then released.
function findClosedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function summarizeChecks(ledger: LedgerFile): Array<Pick<LedgerCheck, 'id' | 'status' | 'reason'>> {
  return ledger.checks.map(({ id, status, reason }) => ({ id, status, reason }));
}

function findCheck(ledger: LedgerFile, id: string): LedgerCheck | undefined {
  return ledger.checks.find((check) => check.id === id);
}

function describeOkGate(sha: string) {
  return {
    id: 'gate',
    status: 'ok',
    reason: `release ${shortRelease(sha)} prepared; post-deploy command proven on QA`,
  };
}

// Exit 0; on failure the assertion shows nx's whole output.
function expectSucceeded(result: NxResult): void {
  expect({ exitCode: result.exitCode, output: result.exitCode === 0 ? '' : result.output }).toEqual(
    { exitCode: 0, output: '' },
  );
}

async function readLines(workspace: Workspace, relPath: string): Promise<string[]> {
  const text = await readFile(path.join(workspace.root, relPath), 'utf8').catch(() => '');
  return text.split('\n').filter(Boolean);
}

describe('nx run shop:release-ship publishes to a real npm registry', () => {
  let registry: LocalRegistry;
  let workspace: Workspace;
  let sha: string;

  // npm inside the plugin reaches verdaccio through the env nx passes down to the executor.
  const runNx = (args: string[], env: Record<string, string> = {}) =>
    workspace.runNx(args, { ...registry.env, ...keepNxCacheInside(workspace), ...env });

  const prepare = async (): Promise<void> =>
    expectSucceeded(await runNx(['run', 'shop:release-prepare']));

  beforeEach(async () => {
    const startedAt = performance.now();
    [registry, workspace] = await Promise.all([startLocalRegistry(), createShopWorkspace()]);
    sha = await workspace.git(['rev-parse', 'HEAD']);
    console.log(`registry + workspace ready in ${Math.round(performance.now() - startedAt)} ms`);
  });

  afterEach(async () => {
    await Promise.all([registry?.close(), workspace?.close()]);
  });

  it('publishes both packages in order, and the registry then answers their versions', async () => {
    await prepare();

    const result = await runNx(['run', 'shop:release-ship']);

    expectSucceeded(result);
    const ledger = await workspace.readJson<LedgerFile>(SHIP_LEDGER);
    expect({ releaseId: ledger.releaseId, status: ledger.status }).toEqual({
      releaseId: sha,
      status: 'ok',
    });
    expect(summarizeChecks(ledger)).toEqual([
      describeOkGate(sha),
      { id: `publish:${SDK}@1.0.0`, status: 'ok', reason: null },
      { id: `publish:${CLI}@2.1.0`, status: 'ok', reason: null },
      { id: 'post_deploy', status: 'ok', reason: null },
    ]);
    expect(findCheck(ledger, `publish:${SDK}@1.0.0`)?.argv).toEqual([
      'npm',
      'publish',
      './packages/shop-sdk',
    ]);
    expect(findCheck(ledger, `publish:${CLI}@2.1.0`)?.argv).toEqual([
      'npm',
      'publish',
      './packages/shop-cli',
    ]);
    expect(await viewVersion(registry, workspace.root, `${SDK}@1.0.0`)).toBe('1.0.0');
    expect(await viewVersion(registry, workspace.root, `${CLI}@2.1.0`)).toBe('2.1.0');
  });

  it('skips both as already live on a plain re-run, and succeeds', async () => {
    await prepare();
    expectSucceeded(await runNx(['run', 'shop:release-ship']));

    const result = await runNx(['run', 'shop:release-ship']);

    expectSucceeded(result);
    const ledger = await workspace.readJson<LedgerFile>(SHIP_LEDGER);
    expect(ledger.status).toBe('ok');
    expect(summarizeChecks(ledger)).toEqual([
      describeOkGate(sha),
      { id: `publish:${SDK}@1.0.0`, status: 'skipped', reason: 'already live' },
      { id: `publish:${CLI}@2.1.0`, status: 'skipped', reason: 'already live' },
      { id: 'post_deploy', status: 'ok', reason: null },
    ]);
    // A skipped publish records the check that found the version live, not a publish.
    expect(findCheck(ledger, `publish:${SDK}@1.0.0`)?.argv).toEqual([
      'npm',
      'view',
      `${SDK}@1.0.0`,
      'version',
    ]);
    expect(result.output.match(/^ {2}skipped: already live \(\d+\.\ds\)$/gm)).toHaveLength(2);
  });

  it('publishes only the sdk when shop-cli 2.1.0 was already published by hand', async () => {
    const byHand = await runNpm(registry, workspace.root, ['publish', './packages/shop-cli']);
    expect(byHand.exitCode).toBe(0);
    await prepare();

    const result = await runNx(['run', 'shop:release-ship']);

    expectSucceeded(result);
    const ledger = await workspace.readJson<LedgerFile>(SHIP_LEDGER);
    expect(summarizeChecks(ledger)).toEqual([
      describeOkGate(sha),
      { id: `publish:${SDK}@1.0.0`, status: 'ok', reason: null },
      { id: `publish:${CLI}@2.1.0`, status: 'skipped', reason: 'already live' },
      { id: 'post_deploy', status: 'ok', reason: null },
    ]);
    expect(await viewVersion(registry, workspace.root, `${SDK}@1.0.0`)).toBe('1.0.0');
  });

  it('succeeds on a plain re-run after a failure late in ship, the versions being live', async () => {
    await prepare();
    await writeFile(path.join(workspace.root, FAIL_PROD_MARKER), '');

    const failed = await runNx(['run', 'shop:release-ship']);

    expect(failed.exitCode).toBe(1);
    expect(failed.output).toContain(
      `ABORTED: ship of shop (release ${shortRelease(sha)}) stopped at step post_deploy on shop: exit code 5; 0 steps did not run. ${formatAbortedNext('shop', 'ship', 'other')}`,
    );
    const failedLedger = await workspace.readJson<LedgerFile>(SHIP_LEDGER);
    expect(failedLedger.status).toBe('failed');
    expect(summarizeChecks(failedLedger)).toEqual([
      describeOkGate(sha),
      { id: `publish:${SDK}@1.0.0`, status: 'ok', reason: null },
      { id: `publish:${CLI}@2.1.0`, status: 'ok', reason: null },
      { id: 'post_deploy', status: 'failed', reason: 'exit code 5' },
    ]);
    expect(await viewVersion(registry, workspace.root, `${SDK}@1.0.0`)).toBe('1.0.0');
    expect(await viewVersion(registry, workspace.root, `${CLI}@2.1.0`)).toBe('2.1.0');

    await rm(path.join(workspace.root, FAIL_PROD_MARKER));
    const rerun = await runNx(['run', 'shop:release-ship']);

    expectSucceeded(rerun);
    expect(rerun.output).toContain(
      'The last run of this release ended failed at step post_deploy; running every step again. ' +
        'Use --resume to skip the steps that already succeeded.',
    );
    const ledger = await workspace.readJson<LedgerFile>(SHIP_LEDGER);
    expect(ledger.status).toBe('ok');
    expect(summarizeChecks(ledger)).toEqual([
      describeOkGate(sha),
      { id: `publish:${SDK}@1.0.0`, status: 'skipped', reason: 'already live' },
      { id: `publish:${CLI}@2.1.0`, status: 'skipped', reason: 'already live' },
      { id: 'post_deploy', status: 'ok', reason: null },
    ]);
    expect(await readLines(workspace, POST_DEPLOY_LOG)).toEqual([
      'qa shop-qa',
      'prod shop',
      'prod shop',
    ]);
  });

  it('fails the step, aborts ship and publishes nothing when the registry cannot be reached', async () => {
    await prepare();
    const unreachable = `http://127.0.0.1:${await findClosedPort()}/`;

    // No retries: npm would otherwise back off for ~10 s per attempt on ECONNREFUSED.
    const result = await runNx(['run', 'shop:release-ship'], {
      npm_config_registry: unreachable,
      npm_config_fetch_retries: '0',
    });

    expect(result.exitCode).toBe(1);
    expect(result.output).toContain(
      `ABORTED: ship of shop (release ${shortRelease(sha)}) stopped at step publish:${SDK}@1.0.0 on npm: ` +
        `the live check failed with exit code 1; 2 steps did not run (publish:${CLI}@2.1.0, post_deploy). ` +
        formatAbortedNext('shop', 'ship', 'other'),
    );
    const ledger = await workspace.readJson<LedgerFile>(SHIP_LEDGER);
    expect(ledger.status).toBe('failed');
    expect(summarizeChecks(ledger)).toEqual([
      describeOkGate(sha),
      {
        id: `publish:${SDK}@1.0.0`,
        status: 'failed',
        reason: 'the live check failed with exit code 1',
      },
    ]);
    const check = findCheck(ledger, `publish:${SDK}@1.0.0`);
    expect(check?.argv).toEqual(['npm', 'view', `${SDK}@1.0.0`, 'version']);
    expect(check?.exitCode).toBe(1);
    expect(check?.outputTail).toContain('ECONNREFUSED');
    expect(await viewVersion(registry, workspace.root, `${SDK}@1.0.0`)).toBe('E404');
    expect(await viewVersion(registry, workspace.root, `${CLI}@2.1.0`)).toBe('E404');
    expect(await readLines(workspace, POST_DEPLOY_LOG)).toEqual(['qa shop-qa']);
  });

  it('publishes the bumped sdk 1.0.1 of a new release and skips the cli', async () => {
    await prepare();
    expectSucceeded(await runNx(['run', 'shop:release-ship']));
    const bumped = await workspace.commit('Bump @acme/shop-sdk to 1.0.1', {
      'packages/shop-sdk/package.json': formatManifest(SDK, '1.0.1'),
    });
    await prepare();

    const result = await runNx(['run', 'shop:release-ship']);

    expectSucceeded(result);
    const ledger = await workspace.readJson<LedgerFile>(SHIP_LEDGER);
    expect({ releaseId: ledger.releaseId, status: ledger.status }).toEqual({
      releaseId: bumped,
      status: 'ok',
    });
    expect(summarizeChecks(ledger)).toEqual([
      describeOkGate(bumped),
      { id: `publish:${SDK}@1.0.1`, status: 'ok', reason: null },
      { id: `publish:${CLI}@2.1.0`, status: 'skipped', reason: 'already live' },
      { id: 'post_deploy', status: 'ok', reason: null },
    ]);
    expect(await viewVersion(registry, workspace.root, `${SDK}@1.0.1`)).toBe('1.0.1');
    expect(await viewVersion(registry, workspace.root, `${SDK}@1.0.0`)).toBe('1.0.0');
  });
});

// Nx 24 keeps its cache and task DB in ~/.nx/<id of the repo's first commit> by default; one
// inside the temp workspace leaves nothing behind in the home directory.
function keepNxCacheInside(workspace: Workspace): Record<string, string> {
  return { NX_CACHE_DIRECTORY: path.join(workspace.root, '.nx', 'cache') };
}
