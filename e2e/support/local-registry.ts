/**
 * A throwaway local npm registry for e2e tests: a real verdaccio 6 server in a child process on
 * 127.0.0.1, with its storage, config, .npmrc and npm cache in one temp dir that close() removes.
 *
 * What it models (checked with npm 11 against verdaccio 6.8.0):
 * - `npm publish <dir>` of unscoped and scoped (`@scope/name`) packages: exit 0, `+ name@version`.
 * - `npm view name@version version`: prints the version, exit 0.
 * - a never-published package: `npm view` exits 1, `npm error code E404`, `404 Not Found - GET …`.
 * - a missing version of an existing package: `npm view` exits 1, `npm error code E404`,
 *   `404 No match found for version x.y.z`, nothing on stdout.
 * - republishing an existing version: npm 11 itself refuses before uploading (it reads the
 *   packument first), exit 1, no error code, stderr `You cannot publish over the previously
 *   published versions: 1.0.0.` — the same client-side check runs against registry.npmjs.org.
 *   With `--force` the PUT reaches the server, which answers `409 Conflict`, `npm error code
 *   E409`, `this package is already present` (registry.npmjs.org answers 403 / E403 instead).
 *
 * What it does not model: real authentication (any token is accepted, anyone may publish any
 * name), 2FA/OTP, org/scope ownership, restricted access for scoped packages, provenance,
 * npm's unpublish policy, name-similarity (typosquatting) rejections, rate limits, and the
 * CDN delay after which a fresh publish becomes visible on the real registry. There are no
 * uplinks, so packages from the public registry are absent (they 404), and nothing is proxied.
 *
 * Why a child process rather than verdaccio's `runServer` API: the server keeps a global logger,
 * file locks and sockets; in a child they cannot leak into the Jest worker or keep it alive, and
 * close() is a plain kill. Readiness is `GET /-/ping` answered with our own per-instance
 * `X-Powered-By` value, so a foreign server that grabbed the port is never mistaken for ours.
 * If the test process exits without close(), the server is SIGKILLed (the temp dir is left).
 *
 * Isolation caveats: `env` replaces the user and global npmrc, the registry and the cache, but
 * npm still reads a project `.npmrc` in the cwd's package root (scoped `@x:registry=` lines there
 * would win), and upper-case `NPM_CONFIG_*` variables in the caller's env may conflict.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { appendFileSync, closeSync, openSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// The handle a test needs: where the registry is, how to point npm at it, and how to stop it.
export interface LocalRegistry {
  url: string;
  npmrcPath: string;
  env: Record<string, string>;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const MAX_PORT_ATTEMPTS = 5;
const READY_TIMEOUT_MS = 30_000;
const POLL_INTERVAL_MS = 50;
const KILL_GRACE_MS = 5_000;
const FAKE_TOKEN = 'local-registry-anonymous-token';

type StartOutcome = { kind: 'ready' } | { kind: 'exited'; code: number | null; log: string };

// Starts verdaccio on a free 127.0.0.1 port so publish/view tests never touch the real registry.
export async function startLocalRegistry(): Promise<LocalRegistry> {
  const dir = await mkdtemp(join(tmpdir(), 'local-registry-'));
  try {
    return await startInDir(dir);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}

async function startInDir(dir: string): Promise<LocalRegistry> {
  const identity = `local-registry-${randomUUID()}`;
  const configPath = await writeVerdaccioConfig(dir, identity);
  let lastLog = '';
  for (let attempt = 1; attempt <= MAX_PORT_ATTEMPTS; attempt += 1) {
    const port = await findFreePort();
    const url = `http://${HOST}:${port}/`;
    const logPath = join(dir, `verdaccio-${attempt}.log`);
    const child = spawnVerdaccio(configPath, port, logPath);
    const outcome = await waitUntilReady(child, url, identity, logPath);
    if (outcome.kind === 'ready') {
      return await describeRegistry(dir, url, child);
    }
    await stopChild(child);
    lastLog = outcome.log;
    if (!outcome.log.includes('EADDRINUSE')) {
      throw new Error(`verdaccio did not start (exit ${outcome.code}):\n${outcome.log}`);
    }
  }
  throw new Error(`verdaccio found no free port in ${MAX_PORT_ATTEMPTS} attempts:\n${lastLog}`);
}

async function writeVerdaccioConfig(dir: string, identity: string): Promise<string> {
  const config = {
    storage: join(dir, 'storage'),
    uplinks: {},
    web: { enable: false },
    user_agent: identity,
    packages: {
      '**': { access: '$anonymous', publish: '$anonymous', unpublish: '$anonymous' },
    },
    log: { type: 'stdout', format: 'json', level: 'warn' },
  };
  const configPath = join(dir, 'config.yaml');
  // JSON is valid YAML, and JSON.stringify quotes the temp paths safely.
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
  return configPath;
}

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no port assigned'))));
    });
  });
}

function spawnVerdaccio(configPath: string, port: number, logPath: string): ChildProcess {
  const bin = require.resolve('verdaccio/bin/verdaccio');
  const logFd = openSync(logPath, 'a');
  try {
    const child = spawn(
      process.execPath,
      [bin, '--config', configPath, '--listen', `${HOST}:${port}`],
      { stdio: ['ignore', logFd, logFd], env: omitNodeOptions(process.env) },
    );
    // Without a listener a spawn failure would be an uncaught error; keep it in the log instead.
    child.on('error', (error) => appendFileSync(logPath, `\nspawn error: ${error.message}\n`));
    killOnParentExit(child);
    return child;
  } finally {
    closeSync(logFd);
  }
}

// If the test process dies (crash, process.exit) before close(), do not leave an orphan server.
function killOnParentExit(child: ChildProcess): void {
  const kill = (): void => {
    child.kill('SIGKILL');
  };
  process.once('exit', kill);
  child.once('exit', () => process.removeListener('exit', kill));
}

// Jest runs with NODE_OPTIONS=--experimental-vm-modules; the server does not need it.
function omitNodeOptions(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  delete copy.NODE_OPTIONS;
  return copy;
}

async function waitUntilReady(
  child: ChildProcess,
  url: string,
  identity: string,
  logPath: string,
): Promise<StartOutcome> {
  const exited = waitForExit(child);
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (hasExited(child)) {
      const code = await exited;
      return { kind: 'exited', code, log: readLog(logPath) };
    }
    if (await isOurServerUp(url, identity)) {
      return { kind: 'ready' };
    }
    await sleep(POLL_INTERVAL_MS);
  }
  await stopChild(child);
  throw new Error(`verdaccio not ready after ${READY_TIMEOUT_MS} ms:\n${readLog(logPath)}`);
}

function isOurServerUp(url: string, identity: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = get(`${url}-/ping`, { agent: false, timeout: 1_000 }, (response) => {
      response.resume();
      resolve(response.statusCode === 200 && response.headers['x-powered-by'] === identity);
    });
    request.once('timeout', () => request.destroy());
    request.once('error', () => resolve(false));
  });
}

async function describeRegistry(
  dir: string,
  url: string,
  child: ChildProcess,
): Promise<LocalRegistry> {
  const npmrcPath = await writeNpmrc(dir, url);
  const globalNpmrcPath = join(dir, 'global-npmrc');
  await writeFile(globalNpmrcPath, '');
  const env = {
    npm_config_userconfig: npmrcPath,
    npm_config_globalconfig: globalNpmrcPath,
    npm_config_registry: url,
    npm_config_cache: join(dir, 'npm-cache'),
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
  const close = async (): Promise<void> => {
    await stopChild(child);
    await rm(dir, { recursive: true, force: true });
  };
  return { url, npmrcPath, env, close };
}

async function writeNpmrc(dir: string, url: string): Promise<string> {
  const npmrcPath = join(dir, 'npmrc');
  const authKey = url.replace(/^https?:/, '');
  await writeFile(npmrcPath, `registry=${url}\n${authKey}:_authToken=${FAKE_TOKEN}\n`);
  return npmrcPath;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (hasExited(child)) {
    return;
  }
  const exited = waitForExit(child);
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
  try {
    await exited;
  } finally {
    clearTimeout(timer);
  }
}

// A child that failed to spawn has no pid and never emits 'exit'.
function hasExited(child: ChildProcess): boolean {
  return child.pid === undefined || child.exitCode !== null || child.signalCode !== null;
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  if (hasExited(child)) {
    return Promise.resolve(child.exitCode);
  }
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.once('error', () => resolve(child.exitCode));
  });
}

function readLog(logPath: string): string {
  try {
    return readFileSync(logPath, 'utf8');
  } catch {
    return '';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
