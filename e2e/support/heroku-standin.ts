/**
 * Loopback Heroku Platform API + dyno rendezvous so the REAL CLI's `heroku run` (v11.10.0) drives a
 * local `bash -c <command>`. Modelled from the CLI source: HEROKU_HOST / HEROKU_API_KEY bearer auth
 * (@heroku-cli/command lib/vars.js, lib/api-client.js); `GET /apps/:app` whose stack decides the
 * `launcher ` prefix, here heroku-24/cedar so none (heroku dist/lib/run/helpers.js); `GET /account`
 * plus its particleboard twin (lib/particleboard-client.js); `POST /apps/:app/dynos` returning
 * `rendezvous://` attach_url, then TLS `<secret>\r\n`, greeting, output, close, and the --exit-code
 * marker (dist/lib/run/dyno.js); 404 "Couldn't find that app."; hooks silenced via env (telemetry,
 * autoupdate, npm version check, ToS banner, global git credential helper: dist/hooks/init/*).
 * Deviation: after bash exits we wait up to 1 s for the EOT the CLI sends when its stdin ends, as
 * the CLI crashes (EPIPE) if it lands after our FIN. Log lines are appended when a dyno finishes.
 * NOT modelled: detached runs, run:inside/SSH, CNB apps, TTY/stdin forwarding, sizes, 409 retries,
 * 2FA, rate limits, any other endpoint (404).
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import * as http from 'node:http';
import type { AddressInfo, Server, Socket } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tls from 'node:tls';

// One dyno command as the stand-in received it, so tests can assert what reached bash.
export interface DynoRun {
  app: string;
  command: string;
  env: Record<string, string>;
  exitCode: number | null;
  startedAt: string;
}

// What a test needs: the env that points the real CLI here, the runs seen, and teardown.
export interface HerokuStandin {
  env: Record<string, string>;
  runs: DynoRun[];
  logPath: string;
  close(): Promise<void>;
}

// Options of startHerokuStandin, named so callers can build them separately.
export interface HerokuStandinOptions {
  apps: string[];
  dynoCwd?: string;
  dynoEnv?: Record<string, string>;
}

interface AppRecord {
  id: string;
  name: string;
  createdAt: string;
}

interface PendingDyno {
  run: DynoRun;
  name: string;
}

interface RendezvousSession {
  socket: tls.TLSSocket;
  inputDone: Promise<void>;
}

interface StandinState {
  root: string;
  apiKey: string;
  apps: Map<string, AppRecord>;
  pending: Map<string, PendingDyno>;
  dynos: Map<ChildProcess, Promise<void>>;
  sockets: Set<Socket>;
  runs: DynoRun[];
  logPath: string;
  dynoCwd: string;
  dynoHome: string;
  dynoEnv: Record<string, string>;
  rendezvousPort: number;
  dynoCounter: number;
}

interface ApiReply {
  status: number;
  body: unknown;
}

interface Dirs {
  home: string;
  config: string;
  data: string;
  cache: string;
  app: string;
  tls: string;
}

const ACCOUNT_ID = '8a3c6b9e-1f2d-4e5a-9b7c-0d1e2f3a4b5c';
const ACCOUNT_EMAIL = 'standin@example.com';
const INPUT_GRACE_MS = 1000;
const APP_NOT_FOUND = {
  id: 'not_found',
  message: "Couldn't find that app.",
  resource: 'app',
};

// Starts the API and rendezvous on 127.0.0.1 (port 0) and returns the env for the real CLI.
export async function startHerokuStandin(options: HerokuStandinOptions): Promise<HerokuStandin> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'heroku-standin-'));
  const dirs = makeDirs(root);
  const { cert, key } = await generateCertificate(dirs.tls);
  const state = createState(root, dirs, options);
  const rendezvous = tls.createServer({ cert, key }, (socket) =>
    handleRendezvousSocket(state, socket),
  );
  const api = http.createServer((req, res) => void handleApiRequest(state, req, res));
  state.rendezvousPort = await listenOnLoopback(rendezvous);
  const apiPort = await listenOnLoopback(api);
  const caBundle = writeCaBundle(root, cert);
  const env = buildCliEnv(state, dirs, apiPort, caBundle);
  let closing: Promise<void> | undefined;
  return {
    env,
    runs: state.runs,
    logPath: state.logPath,
    close: () => (closing ??= shutDown(state, api, rendezvous)),
  };
}

function makeDirs(root: string): Dirs {
  const dirs: Dirs = {
    home: path.join(root, 'home'),
    config: path.join(root, 'config'),
    data: path.join(root, 'data'),
    cache: path.join(root, 'cache'),
    app: path.join(root, 'app'),
    tls: path.join(root, 'tls'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  // The CLI prints a one-time terms-of-service banner unless this marker exists in its cache dir.
  mkdirSync(path.join(dirs.cache, 'heroku'), { recursive: true });
  writeFileSync(path.join(dirs.cache, 'heroku', 'terms-of-service'), '');
  return dirs;
}

function createState(root: string, dirs: Dirs, options: HerokuStandinOptions): StandinState {
  const logPath = path.join(root, 'runs.jsonl');
  writeFileSync(logPath, '');
  return {
    root,
    apiKey: randomBytes(16).toString('hex'),
    apps: indexApps(options.apps),
    pending: new Map(),
    dynos: new Map(),
    sockets: new Set(),
    runs: [],
    logPath,
    dynoCwd: options.dynoCwd ?? dirs.app,
    dynoHome: dirs.app,
    dynoEnv: { ...options.dynoEnv },
    rendezvousPort: 0,
    dynoCounter: 1000,
  };
}

function indexApps(names: string[]): Map<string, AppRecord> {
  const apps = new Map<string, AppRecord>();
  for (const name of names) {
    const app = { id: randomUUID(), name, createdAt: new Date().toISOString() };
    apps.set(app.name, app);
    apps.set(app.id, app);
  }
  return apps;
}

function generateCertificate(dir: string): Promise<{ cert: string; key: string }> {
  const keyPath = path.join(dir, 'key.pem');
  const certPath = path.join(dir, 'cert.pem');
  const args = [
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:prime256v1',
    '-nodes',
    '-keyout',
    keyPath,
    '-out',
    certPath,
    '-days',
    '2',
    '-subj',
    '/CN=heroku-standin',
    '-addext',
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
  ];
  return new Promise((resolve, reject) => {
    execFile('openssl', args, (error, _stdout, stderr) => {
      if (error) reject(new Error(`openssl failed: ${stderr || error.message}`));
      else resolve({ cert: readFileSync(certPath, 'utf8'), key: readFileSync(keyPath, 'utf8') });
    });
  });
}

// NODE_EXTRA_CA_CERTS replaces any inherited value, so keep the inherited CAs in the bundle.
function writeCaBundle(root: string, cert: string): string {
  const bundlePath = path.join(root, 'ca-bundle.pem');
  const inherited = process.env.NODE_EXTRA_CA_CERTS;
  const extra = inherited && existsSync(inherited) ? readFileSync(inherited, 'utf8') : '';
  writeFileSync(bundlePath, `${cert.trim()}\n${extra}`);
  return bundlePath;
}

function buildCliEnv(
  state: StandinState,
  dirs: Dirs,
  apiPort: number,
  caBundle: string,
): Record<string, string> {
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  return {
    HEROKU_HOST: apiUrl,
    HEROKU_API_KEY: state.apiKey,
    HEROKU_PARTICLEBOARD_URL: apiUrl,
    NODE_EXTRA_CA_CERTS: caBundle,
    DISABLE_TELEMETRY: 'true',
    HEROKU_DISABLE_AUTOUPDATE: 'true',
    HEROKU_SKIP_NEW_VERSION_CHECK: 'true',
    HEROKU_NOTIFICATIONS: '0',
    HOME: dirs.home,
    XDG_CONFIG_HOME: dirs.config,
    XDG_DATA_HOME: dirs.data,
    XDG_CACHE_HOME: dirs.cache,
    HEROKU_CONFIG_DIR: path.join(dirs.config, 'heroku'),
    HEROKU_DATA_DIR: path.join(dirs.data, 'heroku'),
    HEROKU_CACHE_DIR: path.join(dirs.cache, 'heroku'),
    GIT_CONFIG_GLOBAL: path.join(dirs.home, '.gitconfig'),
    NO_PROXY: '127.0.0.1,localhost',
    no_proxy: '127.0.0.1,localhost',
  };
}

function listenOnLoopback(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

async function handleApiRequest(
  state: StandinState,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const raw = await readRequestBody(req);
  const reply = isAuthorized(state, req) ? routeRequest(state, req, raw) : unauthorizedReply();
  sendJson(res, reply);
}

function readRequestBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function isAuthorized(state: StandinState, req: http.IncomingMessage): boolean {
  return req.headers.authorization === `Bearer ${state.apiKey}`;
}

function unauthorizedReply(): ApiReply {
  return { status: 401, body: { id: 'unauthorized', message: 'Invalid credentials provided.' } };
}

function routeRequest(state: StandinState, req: http.IncomingMessage, raw: string): ApiReply {
  const method = req.method ?? 'GET';
  const pathname = new URL(req.url ?? '/', 'http://standin').pathname;
  if (method === 'GET' && pathname === '/account') return { status: 200, body: describeAccount() };
  const appMatch = /^\/apps\/([^/]+)$/.exec(pathname);
  if (method === 'GET' && appMatch) return replyWithApp(state, decodeURIComponent(appMatch[1]!));
  const dynosMatch = /^\/apps\/([^/]+)\/dynos$/.exec(pathname);
  if (method === 'POST' && dynosMatch) {
    return createDyno(state, decodeURIComponent(dynosMatch[1]!), raw);
  }
  return {
    status: 404,
    body: { id: 'not_found', message: `heroku-standin has no route for ${method} ${pathname}.` },
  };
}

function sendJson(res: http.ServerResponse, reply: ApiReply): void {
  const payload = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
    'request-id': randomUUID(),
  });
  res.end(payload);
}

function describeAccount(): Record<string, unknown> {
  return {
    id: ACCOUNT_ID,
    email: ACCOUNT_EMAIL,
    name: 'Heroku Stand-in',
    allow_tracking: false,
    beta: false,
    verified: true,
    federated: false,
    two_factor_authentication: false,
    suspended_at: null,
    delinquent_at: null,
    default_organization: null,
    default_team: null,
    created_at: '2024-01-01T00:00:00Z',
    updated_at: '2024-01-01T00:00:00Z',
  };
}

function replyWithApp(state: StandinState, nameOrId: string): ApiReply {
  const app = state.apps.get(nameOrId);
  return app ? { status: 200, body: describeApp(app) } : { status: 404, body: APP_NOT_FOUND };
}

function describeApp(app: AppRecord): Record<string, unknown> {
  const stack = { id: '5e4a1c3f-0000-4000-8000-000000000024', name: 'heroku-24' };
  return {
    id: app.id,
    name: app.name,
    stack,
    build_stack: stack,
    generation: { id: '0b1d5a3e-0000-4000-8000-0000000000c1', name: 'cedar' },
    region: { id: '59accabd-516d-4f0e-83e6-6e3757701145', name: 'us' },
    owner: { id: ACCOUNT_ID, email: ACCOUNT_EMAIL },
    organization: null,
    team: null,
    space: null,
    maintenance: false,
    acm: false,
    internal_routing: null,
    git_url: `https://git.heroku.com/${app.name}.git`,
    web_url: `https://${app.name}.herokuapp.com/`,
    created_at: app.createdAt,
    updated_at: app.createdAt,
    released_at: app.createdAt,
  };
}

function createDyno(state: StandinState, nameOrId: string, raw: string): ApiReply {
  const app = state.apps.get(nameOrId);
  if (!app) return { status: 404, body: APP_NOT_FOUND };
  const request = parseJsonObject(raw);
  if (!request || typeof request.command !== 'string' || request.command === '') {
    return { status: 422, body: { id: 'invalid_params', message: "Command can't be blank." } };
  }
  if (request.attach !== true) {
    const message = 'heroku-standin only models attached runs (attach: true).';
    return { status: 422, body: { id: 'invalid_params', message } };
  }
  const run: DynoRun = {
    app: app.name,
    command: request.command,
    env: stringifyEnv(request.env),
    exitCode: null,
    startedAt: new Date().toISOString(),
  };
  const secret = randomBytes(24).toString('hex');
  const name = `run.${++state.dynoCounter}`;
  state.runs.push(run);
  state.pending.set(secret, { run, name });
  return { status: 201, body: describeDyno(state, app, request, name, secret) };
}

function parseJsonObject(raw: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(raw || '{}');
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function stringifyEnv(env: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (!env || typeof env !== 'object') return result;
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== null) result[key] = String(value);
  }
  return result;
}

function describeDyno(
  state: StandinState,
  app: AppRecord,
  request: Record<string, unknown>,
  name: string,
  secret: string,
): Record<string, unknown> {
  const now = new Date().toISOString();
  return {
    id: randomUUID(),
    name,
    app: { id: app.id, name: app.name },
    attach_url: `rendezvous://127.0.0.1:${state.rendezvousPort}/${secret}`,
    command: request.command,
    size: typeof request.size === 'string' ? request.size : 'Basic',
    type: typeof request.type === 'string' ? request.type : 'run',
    state: 'starting',
    release: { id: randomUUID(), version: 1 },
    created_at: now,
    updated_at: now,
  };
}

function handleRendezvousSocket(state: StandinState, socket: tls.TLSSocket): void {
  state.sockets.add(socket);
  socket.on('close', () => state.sockets.delete(socket));
  socket.on('error', () => socket.destroy());
  const session = readClientStream(socket, (secret) => {
    const pending = state.pending.get(secret);
    if (!pending) {
      socket.destroy();
      return;
    }
    state.pending.delete(secret);
    socket.write('rendezvous\r\n', () => startDyno(state, pending.run, session));
  });
}

// Reads `<secret>\r\n`, then watches for the EOT (0x04) the CLI sends when its stdin ends.
function readClientStream(
  socket: tls.TLSSocket,
  onSecret: (secret: string) => void,
): RendezvousSession {
  let buffered = '';
  let secretRead = false;
  let markInputDone = (): void => undefined;
  const inputDone = new Promise<void>((resolve) => (markInputDone = resolve));
  socket.on('end', () => markInputDone());
  socket.on('close', () => markInputDone());
  socket.on('data', (chunk: Buffer) => {
    if (secretRead) {
      if (chunk.includes(0x04)) markInputDone();
      return;
    }
    buffered += chunk.toString('latin1');
    const end = buffered.indexOf('\n');
    if (end === -1) return;
    secretRead = true;
    if (buffered.includes('\u0004', end)) markInputDone();
    onSecret(buffered.slice(0, end).replace(/\r$/, ''));
  });
  return { socket, inputDone };
}

function startDyno(state: StandinState, run: DynoRun, session: RendezvousSession): void {
  if (session.socket.destroyed) {
    appendRunLog(state, run);
    return;
  }
  // `exec` keeps the dyno exactly `bash -c <command>` while pointing its stderr at the stdout pipe.
  const child = spawn(
    'bash',
    ['-c', 'exec bash -c "$1" 2>&1', 'heroku-standin-dyno', run.command],
    {
      cwd: state.dynoCwd,
      env: buildDynoEnv(state, run),
      detached: true,
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  state.dynos.set(child, watchDyno(state, run, child, session));
}

function buildDynoEnv(state: StandinState, run: DynoRun): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: state.dynoHome,
    ...state.dynoEnv,
    ...run.env,
  };
}

function watchDyno(
  state: StandinState,
  run: DynoRun,
  child: ChildProcess,
  session: RendezvousSession,
): Promise<void> {
  const { socket } = session;
  child.stdout?.pipe(socket, { end: false });
  socket.on('close', () => {
    child.stdout?.resume();
    killDynoGroup(child);
  });
  child.on('exit', (code) => {
    run.exitCode = code;
    killDynoGroup(child);
  });
  return new Promise((resolve) => {
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      state.dynos.delete(child);
      appendRunLog(state, run);
      void endSessionAfterInput(session).then(() => socket.end());
      resolve();
    };
    child.once('close', finish);
    child.once('error', finish);
  });
}

// The CLI crashes (EPIPE, exit 1) if it writes its stdin EOT after our FIN, so let that land first.
function endSessionAfterInput(session: RendezvousSession): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, INPUT_GRACE_MS);
    timer.unref();
    void session.inputDone.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

// A finished dyno is torn down: whatever bash left running in its group goes with it.
function killDynoGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group is already gone.
  }
}

function appendRunLog(state: StandinState, run: DynoRun): void {
  if (existsSync(state.root)) appendFileSync(state.logPath, `${JSON.stringify(run)}\n`);
}

async function shutDown(
  state: StandinState,
  api: http.Server,
  rendezvous: tls.Server,
): Promise<void> {
  for (const child of state.dynos.keys()) killDynoGroup(child);
  await Promise.all(state.dynos.values());
  for (const socket of state.sockets) socket.destroy();
  api.closeAllConnections();
  await Promise.all([closeServer(api), closeServer(rendezvous)]);
  await rm(state.root, { recursive: true, force: true });
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
