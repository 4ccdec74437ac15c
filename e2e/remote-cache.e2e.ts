/**
 * Two CI agents and one Nx remote cache (README "Scaling out"): the recommended release targets
 * through the real Nx 24 CLI, with a self-hosted HTTP cache on 127.0.0.1
 * (support/remote-cache-server.ts, whose header lists the API facts it models) shared by two clones
 * of one origin repository (support/agent-clone.ts): agent A prepares, agent B ships. Each agent
 * has its own local cache (NX_CACHE_DIRECTORY inside its clone, empty at the start), so anything B
 * gets from A comes through the remote cache. The platform log (support/release-projects.ts) is
 * outside every clone and says which agent deployed what.
 *
 * Measured with Nx 24.0.6 and pinned here:
 * - `NX_SELF_HOSTED_REMOTE_CACHE_SERVER` + `NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN` is all it
 *   takes: no licence, no flag, nothing printed about it. A restored task prints
 *   `> nx run shop:release-prepare  [remote cache]` and replays the terminal output A recorded.
 * - Nx reads its local cache first and asks the server only on a local miss (GET), and uploads
 *   (PUT) only tasks that succeeded: the artifact is the task's outputs, i.e. the ledger
 *   directory, nothing else (no lock file, no temp file).
 * - The cache is on the critical path and fails closed: a 401 (wrong token) or an unreachable
 *   server stops the run before any task runs; an upload answered 5xx is retried 6 times and
 *   then fails the task although its commands ran (QA deployed, ledger `ok`). Such a failure
 *   never lets a release ship without a proven prepare: the next agent finds no entry and runs
 *   prepare itself.
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { cloneAgent, pullOrigin } from './support/agent-clone';
import { createWorkspace } from './support/nx-workspace';
import type { NxResult, Workspace } from './support/nx-workspace';
import {
  MIGRATION_FAILS,
  PLATFORM_JS,
  PLATFORM_SCRIPT,
  buildReleaseProject,
  createPlatformLog,
  listProdLines,
  listQaLines,
  listTaskHeaders,
  readPlatformLog,
} from './support/release-projects';
import { startRemoteCacheServer, summarizeRequests } from './support/remote-cache-server';
import type {
  CacheRequest,
  RemoteCacheOptions,
  RemoteCacheServer,
} from './support/remote-cache-server';
import { formatAbortedNext, shortRelease } from './support/release-text';

jest.setTimeout(90_000);

type AgentName = 'a' | 'b';

interface Fixture {
  server: RemoteCacheServer;
  origin: Workspace;
  agents: Record<AgentName, Workspace>;
  platformLog: string;
  timings: string[];
}

interface AgentRun {
  result: NxResult;
  /** The requests the cache server received during this run, in order. */
  requests: CacheRequest[];
}

interface LedgerFile {
  releaseId: string;
  status: string;
  checks: Array<{ id: string; status: string }>;
}

const PREPARE = ['run', 'shop:release-prepare'];
const SHIP = ['run', 'shop:release-ship'];
const PREPARE_LEDGER = 'dist/release/shop/prepare/checks_run.json';
const SHIP_LEDGER = 'dist/release/shop/ship/checks_run.json';
const PREPARE_ARTIFACT_FILES = [
  'code',
  PREPARE_LEDGER,
  'dist/release/shop/prepare/junit.xml',
  'terminalOutput',
];

// The server starts last: if a step before it throws, no listening socket is left behind to
// keep Jest alive (the directories are in the run's scratch dir, removed with it).
async function setUpAgents(options: RemoteCacheOptions = {}): Promise<Fixture> {
  const origin = await createWorkspace({
    projects: { shop: buildReleaseProject('shop') },
    files: { [PLATFORM_SCRIPT]: PLATFORM_JS },
  });
  const agents = { a: await cloneAgent(origin), b: await cloneAgent(origin) };
  const platformLog = await createPlatformLog();
  const server = await startRemoteCacheServer(options);
  return { server, origin, agents, platformLog, timings: [] };
}

async function closeFixture(fixture: Fixture | undefined): Promise<void> {
  if (!fixture) return;
  console.log(
    [
      `remote cache requests: ${JSON.stringify(summarizeRequests(fixture.server.requests))}`,
      ...fixture.server.requests.map(formatRequest),
      'timings:',
      ...fixture.timings,
    ].join('\n'),
  );
  await fixture.server.close();
  await Promise.all(
    [fixture.origin, ...Object.values(fixture.agents)].map((workspace) => workspace.close()),
  );
}

// Runs nx on one agent against the shared cache; the env is the same on both agents except
// the agent's name in the platform log, which no target hashes.
async function runOnAgent(
  fixture: Fixture,
  agent: AgentName,
  args: string[],
  env: Record<string, string> = {},
): Promise<AgentRun> {
  const first = fixture.server.requests.length;
  const startedAt = performance.now();
  const result = await fixture.agents[agent].runNx(args, {
    ...fixture.server.env,
    PLATFORM_LOG: fixture.platformLog,
    PLATFORM_AGENT: agent,
    ...env,
  });
  const ms = Math.round(performance.now() - startedAt);
  fixture.timings.push(
    `  agent ${agent}: nx ${args.join(' ')} -> exit ${result.exitCode} in ${ms} ms`,
  );
  return { result, requests: fixture.server.requests.slice(first) };
}

// The URL of a loopback port nothing listens on (taken from the OS, then released).
async function reserveClosedUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

// A new commit on origin (a developer's push), pulled by both agents; returns its sha.
async function pushAndPull(fixture: Fixture, message: string, files: Record<string, string>) {
  const sha = await fixture.origin.commit(message, files);
  for (const agent of Object.values(fixture.agents)) {
    expect(await pullOrigin(agent)).toBe(sha);
  }
  return sha;
}

function formatRequest(request: CacheRequest): string {
  return `${request.method} ${request.hash ?? '-'} ${request.status}`;
}

function listRequests(run: AgentRun): string[] {
  return run.requests.map(formatRequest);
}

// The task hash of the run's first request (Nx asks for a task before running it).
function readFirstHash(run: AgentRun): string {
  const hash = run.requests[0]?.hash;
  if (hash === undefined) throw new Error(`no cache request in:\n${run.result.output}`);
  return hash;
}

function expectTasks(run: AgentRun, exitCode: number, headers: string[]): void {
  expect({
    exitCode: run.result.exitCode,
    headers: listTaskHeaders(run.result),
    output: run.result.exitCode === exitCode ? '' : run.result.output,
  }).toEqual({ exitCode, headers, output: '' });
}

// The file's exact text.
function readLedgerText(agent: Workspace, relPath: string): Promise<string> {
  return readFile(path.join(agent.root, relPath), 'utf8');
}

async function readLedgerSummary(agent: Workspace, relPath: string) {
  const ledger = await agent.readJson<LedgerFile>(relPath);
  return {
    releaseId: ledger.releaseId,
    status: ledger.status,
    checks: ledger.checks.map((check) => `${check.id} ${check.status}`),
  };
}

// The non-blank trimmed lines under the first line that starts with `heading`, up to the next
// line ending in `:` (Nx's next heading).
function listLinesAfter(result: NxResult, heading: string): string[] {
  const lines = result.output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const start = lines.findIndex((line) => line.startsWith(heading));
  if (start === -1) return [];
  const end = lines.findIndex((line, index) => index > start && line.endsWith(':'));
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

function formatAborted(sha: string): string {
  return `ABORTED: prepare of shop (release ${shortRelease(sha)}) stopped at step post_deploy on shop-qa: exit code 3; 0 steps did not run. ${formatAbortedNext('shop', 'prepare', 'other')}`;
}

// One pipeline, in order: each test continues from the state the previous one left.
describe('two CI agents sharing a self-hosted Nx remote cache', () => {
  let fixture: Fixture;
  let first: string;
  let prepareHash: string;

  beforeAll(async () => {
    fixture = await setUpAgents();
    first = await fixture.origin.git(['rev-parse', 'HEAD']);
  });

  afterAll(() => closeFixture(fixture));

  it('agent A prepares: QA deployed and migrated once, the ledger uploaded to the cache', async () => {
    const run = await runOnAgent(fixture, 'a', PREPARE);

    expectTasks(run, 0, ['> nx run shop:release-prepare']);
    expect(await readPlatformLog(fixture.platformLog)).toEqual(listQaLines('a', 'shop', first));
    prepareHash = readFirstHash(run);
    expect(listRequests(run)).toEqual([`GET ${prepareHash} 404`, `PUT ${prepareHash} 200`]);
    expect(run.requests.map((r) => [r.method, r.accept, r.contentType])).toEqual([
      ['GET', 'application/octet-stream', 'application/octet-stream'],
      ['PUT', '*/*', 'application/octet-stream'],
    ]);
    // The artifact is the ledger directory A wrote, plus Nx's own two entries.
    expect(await fixture.server.listArtifactFiles(prepareHash)).toEqual(PREPARE_ARTIFACT_FILES);
    expect(await fixture.server.readArtifactFile(prepareHash, PREPARE_LEDGER)).toBe(
      await readLedgerText(fixture.agents.a, PREPARE_LEDGER),
    );
  });

  it('agent B ships with an empty local cache: prepare comes from the cache, QA is not touched again', async () => {
    const b = fixture.agents.b;
    expect(b.exists('dist')).toBe(false);

    const run = await runOnAgent(fixture, 'b', SHIP);

    expectTasks(run, 0, [
      '> nx run shop:release-prepare  [remote cache]',
      '> nx run shop:release-ship',
    ]);
    expect(run.result.output).toContain(
      'Nx read the output from the cache instead of running the command for 1 out of 2 tasks.',
    );
    const shipHash = run.requests.find((r) => r.hash !== prepareHash)?.hash;
    expect(listRequests(run)).toEqual([
      `GET ${prepareHash} 200`,
      `GET ${shipHash} 404`,
      `PUT ${shipHash} 200`,
    ]);
    // A's ledger, restored byte for byte into B's clone, is what B's gate read.
    expect(await readLedgerText(b, PREPARE_LEDGER)).toBe(
      await readLedgerText(fixture.agents.a, PREPARE_LEDGER),
    );
    expect(await readLedgerSummary(b, SHIP_LEDGER)).toEqual({
      releaseId: first,
      status: 'ok',
      checks: ['gate ok', 'deploy ok', 'post_deploy ok'],
    });
    expect(await readPlatformLog(fixture.platformLog)).toEqual([
      ...listQaLines('a', 'shop', first),
      ...listProdLines('b', 'shop', first),
    ]);
  });

  it('a new commit, pulled by both, is a cache miss: A deploys QA for the new release', async () => {
    const before = await readPlatformLog(fixture.platformLog);
    const next = await pushAndPull(fixture, 'shop: next release', {
      'apps/shop/main.js': "console.log('next');\n",
    });

    const run = await runOnAgent(fixture, 'a', PREPARE);

    expectTasks(run, 0, ['> nx run shop:release-prepare']);
    const nextHash = readFirstHash(run);
    expect(nextHash).not.toBe(prepareHash);
    expect(listRequests(run)).toEqual([`GET ${nextHash} 404`, `PUT ${nextHash} 200`]);
    expect(await readPlatformLog(fixture.platformLog)).toEqual([
      ...before,
      ...listQaLines('a', 'shop', next),
    ]);
  });

  it('--skip-nx-cache re-deploys a release already done, and neither reads nor writes the cache', async () => {
    const before = await readPlatformLog(fixture.platformLog);
    const sha = await fixture.agents.a.git(['rev-parse', 'HEAD']);

    const run = await runOnAgent(fixture, 'a', [...PREPARE, '--skip-nx-cache']);

    expectTasks(run, 0, ['> nx run shop:release-prepare']);
    expect(listRequests(run)).toEqual([]);
    expect(await readPlatformLog(fixture.platformLog)).toEqual([
      ...before,
      ...listQaLines('a', 'shop', sha),
    ]);
  });

  it('an unreachable cache stops the run before any task; --skip-remote-cache releases without it', async () => {
    const before = await readPlatformLog(fixture.platformLog);
    const sha = await fixture.agents.b.git(['rev-parse', 'HEAD']);
    const down = { NX_SELF_HOSTED_REMOTE_CACHE_SERVER: await reserveClosedUrl() };

    const stopped = await runOnAgent(fixture, 'b', PREPARE, down);

    expectTasks(stopped, 1, []);
    expect(stopped.result.output).toContain(
      'Failed to send request: error sending request for url',
    );
    expect(await readPlatformLog(fixture.platformLog)).toEqual(before);

    const local = await runOnAgent(fixture, 'b', [...PREPARE, '--skip-remote-cache'], down);

    expectTasks(local, 0, ['> nx run shop:release-prepare']);
    expect(local.result.output).toContain('Remote Cache Disabled');
    expect(await readPlatformLog(fixture.platformLog)).toEqual([
      ...before,
      ...listQaLines('b', 'shop', sha),
    ]);
  });

  it('a failed prepare leaves nothing in the cache: B runs prepare itself, fails the same way and never ships', async () => {
    const before = await readPlatformLog(fixture.platformLog);
    const stored = await fixture.server.listStored();
    const broken = await pushAndPull(fixture, 'shop: a migration that fails', {
      [`apps/shop/${MIGRATION_FAILS}`]: '',
    });

    const onA = await runOnAgent(fixture, 'a', PREPARE);

    expectTasks(onA, 1, ['> nx run shop:release-prepare']);
    expect(onA.result.output).toContain(formatAborted(broken));
    const brokenHash = readFirstHash(onA);
    expect(listRequests(onA)).toEqual([`GET ${brokenHash} 404`]);

    // dependsOn makes B run prepare; no entry for it, so B deploys QA and migrates again.
    const onB = await runOnAgent(fixture, 'b', SHIP);

    expectTasks(onB, 1, ['> nx run shop:release-prepare']);
    expect(onB.result.output).toContain(formatAborted(broken));
    expect(listLinesAfter(onB.result, 'Tasks not run because their dependencies failed')).toEqual([
      '- shop:release-ship',
    ]);
    expect(listRequests(onB)).toEqual([`GET ${brokenHash} 404`]);
    expect(await fixture.server.listStored()).toEqual(stored);
    expect(await readPlatformLog(fixture.platformLog)).toEqual([
      ...before,
      ...listQaLines('a', 'shop', broken),
      ...listQaLines('b', 'shop', broken),
    ]);
    // B's ship ledger is still the one of the first release.
    expect((await readLedgerSummary(fixture.agents.b, SHIP_LEDGER)).releaseId).toBe(first);
  });

  it('a wrong token stops Nx before any task runs', async () => {
    const before = await readPlatformLog(fixture.platformLog);

    const run = await runOnAgent(fixture, 'a', PREPARE, {
      NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: 'not-the-token',
    });

    expectTasks(run, 1, []);
    expect(run.result.output).toContain('Unauthorized: Missing or invalid bearer token');
    expect(run.requests.map((r) => `${r.method} ${r.status}`)).toEqual(['GET 401']);
    expect(await readPlatformLog(fixture.platformLog)).toEqual(before);
  });
});

describe('a remote cache that fails uploads', () => {
  let fixture: Fixture | undefined;

  afterEach(async () => {
    await closeFixture(fixture);
    fixture = undefined;
  });

  it('fails a prepare whose commands all ran when the upload gets HTTP 500; the ship agent prepares again', async () => {
    fixture = await setUpAgents({ putStatus: 500 });
    const sha = await fixture.origin.git(['rev-parse', 'HEAD']);

    const onA = await runOnAgent(fixture, 'a', PREPARE);

    expectTasks(onA, 1, ['> nx run shop:release-prepare']);
    expect(onA.result.output).toContain(
      'Misconfigured remote cache endpoint: Unexpected response status: 500 Internal Server Error',
    );
    const hash = readFirstHash(onA);
    expect(listRequests(onA)).toEqual([`GET ${hash} 404`, ...Array(6).fill(`PUT ${hash} 500`)]);
    expect((await readLedgerSummary(fixture.agents.a, PREPARE_LEDGER)).status).toBe('ok');
    expect(await readPlatformLog(fixture.platformLog)).toEqual(listQaLines('a', 'shop', sha));

    // Nx had stored it in A's local cache before the upload failed: a retry on A is a local hit,
    // asks the server nothing, and so never uploads it either.
    fixture.server.setPutStatus(undefined);
    const retry = await runOnAgent(fixture, 'a', PREPARE);

    expectTasks(retry, 0, ['> nx run shop:release-prepare  [local cache]']);
    expect(listRequests(retry)).toEqual([]);

    const onB = await runOnAgent(fixture, 'b', SHIP);

    expectTasks(onB, 0, ['> nx run shop:release-prepare', '> nx run shop:release-ship']);
    const shipHash = onB.requests.find((r) => r.hash !== hash)?.hash;
    expect(listRequests(onB)).toEqual([
      `GET ${hash} 404`,
      `PUT ${hash} 200`,
      `GET ${shipHash} 404`,
      `PUT ${shipHash} 200`,
    ]);
    expect(await readPlatformLog(fixture.platformLog)).toEqual([
      ...listQaLines('a', 'shop', sha),
      ...listQaLines('b', 'shop', sha),
      ...listProdLines('b', 'shop', sha),
    ]);
  });

  it('ships after a refused upload (HTTP 403, e.g. a read-only token): B prepares again, then ships', async () => {
    fixture = await setUpAgents({ putStatus: 403 });
    const sha = await fixture.origin.git(['rev-parse', 'HEAD']);

    const onA = await runOnAgent(fixture, 'a', PREPARE);

    expectTasks(onA, 0, ['> nx run shop:release-prepare']);
    const hash = readFirstHash(onA);
    expect(listRequests(onA)).toEqual([`GET ${hash} 404`, `PUT ${hash} 403`]);

    const onB = await runOnAgent(fixture, 'b', SHIP);

    expectTasks(onB, 0, ['> nx run shop:release-prepare', '> nx run shop:release-ship']);
    expect(await readPlatformLog(fixture.platformLog)).toEqual([
      ...listQaLines('a', 'shop', sha),
      ...listQaLines('b', 'shop', sha),
      ...listProdLines('b', 'shop', sha),
    ]);
  });
});
