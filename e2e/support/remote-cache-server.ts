/**
 * A loopback stand-in for an Nx self-hosted remote cache: the HTTP API that Nx 24 talks to
 * when `NX_SELF_HOSTED_REMOTE_CACHE_SERVER=<url>` is set, served on 127.0.0.1 (port 0) and
 * stored in a temp dir, with every request recorded so a test can see what Nx asked for.
 *
 * Facts it models, read from Nx 24.0.6's own client (`node_modules/nx/dist/src/tasks-runner/
 * cache.js` `getHttpCache()` builds the native `HttpRemoteCache`; its Rust source is
 * `packages/nx/src/native/cache/http_remote_cache.rs` and `cache/errors.rs` in nrwl/nx, whose
 * strings, e.g. "/v1/cache/", "Requests should respond with text/plain on 401s", are in
 * `@nx/nx-linux-x64-gnu/nx.linux-x64-gnu.node`) and checked against the requests Nx sends:
 * - The client is used when no Nx Cloud or cache package (`@nx/s3-cache`, ...) is found; nothing
 *   asks for a licence or a flag (no `@nx/key` check on this path) and Nx prints nothing about it.
 * - `GET <url>/v1/cache/<hash>` with `Accept: application/octet-stream`: 200 = the artifact,
 *   404 = a miss; anything else is an error.
 * - `PUT <url>/v1/cache/<hash>`, body the artifact with `Content-Length` and
 *   `Content-Type: application/octet-stream`: 200 = stored; 409 = already there, Nx keeps the
 *   old entry silently; 403 = not allowed to write (e.g. a read-only token), silently skipped.
 * - Any other status, or no connection, is an error, and Nx 24.0.6 does not degrade it to a
 *   miss: an error on GET (401 included) stops the run before any task runs; a PUT error is
 *   retried (6 attempts, exponential back-off) and then fails the task that was uploaded.
 * - `NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN=<t>` makes every request carry
 *   `Authorization: Bearer <t>`. A 401 must have `Content-Type: text/plain` (its body is the
 *   message Nx shows); a 401 of another type is reported as a misconfigured endpoint.
 * - The artifact is a gzipped tar of the task's cached outputs (paths relative to the
 *   workspace root) plus an entry `terminalOutput` and an entry `code` (the exit code, 4 bytes
 *   big-endian). Nx only stores successful tasks, so a failed one never reaches `PUT`.
 * - A server should refuse a body shorter than its Content-Length (Nx's docs): a cut-short
 *   upload stored as an entry would be served forever, every later PUT answered 409.
 * What it does not model: TLS, read-only tokens (use `putStatus: 403`), size limits, eviction,
 * and the download/upload timeouts of later Nx versions.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdtemp, readFile, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { getRunDir } from './packed-plugin';

export interface CacheRequest {
  method: string;
  /** The task hash from `/v1/cache/<hash>`, or undefined for any other path. */
  hash: string | undefined;
  status: number;
  /** Body bytes received (PUT) or sent (GET 200). */
  bytes: number;
  /** The request's Accept and Content-Type headers, as sent. */
  accept: string | undefined;
  contentType: string | undefined;
}

export interface RequestSummary {
  getHits: number;
  getMisses: number;
  puts: number;
  conflicts: number;
  refused: number;
}

export interface RemoteCacheOptions {
  /** Answer every authorized PUT with this status instead of storing (fault injection). */
  putStatus?: number;
}

export interface RemoteCacheServer {
  url: string;
  /** The env that points Nx at this server with a valid token. */
  env: Record<string, string>;
  /** Every request so far, in arrival order. */
  requests: CacheRequest[];
  /** The hashes stored so far. */
  listStored(): Promise<string[]>;
  /** The files in a stored artifact (tar entries that are not directories), sorted. */
  listArtifactFiles(hash: string): Promise<string[]>;
  /** One file of a stored artifact, as text. */
  readArtifactFile(hash: string, name: string): Promise<string | undefined>;
  /** Changes `putStatus` from now on (undefined: store again). */
  setPutStatus(status: number | undefined): void;
  close(): Promise<void>;
}

const CACHE_PATH = /^\/v1\/cache\/([A-Za-z0-9_-]{1,128})$/;
const ARTIFACT_SUFFIX = '.tar.gz';

export async function startRemoteCacheServer(
  options: RemoteCacheOptions = {},
): Promise<RemoteCacheServer> {
  // In the run's scratch dir, so it goes even when a test never reaches close().
  const dir = await mkdtemp(path.join(getRunDir(), 'remote-cache-'));
  const token = randomBytes(16).toString('hex');
  const requests: CacheRequest[] = [];
  const state: RemoteCacheOptions = { ...options };
  const server = createServer((request, response) => {
    handleRequest({ dir, token, options: state, request, response })
      .catch(() => ({ hash: undefined, status: 500, bytes: 0 }))
      .then((outcome) => {
        if (!response.headersSent) sendText(response, outcome.status, 'internal error\n');
        requests.push({
          method: request.method ?? '',
          ...outcome,
          accept: request.headers.accept,
          contentType: request.headers['content-type'],
        });
      });
  });
  const url = await listenOnLoopback(server);
  return {
    url,
    env: {
      NX_SELF_HOSTED_REMOTE_CACHE_SERVER: url,
      NX_SELF_HOSTED_REMOTE_CACHE_ACCESS_TOKEN: token,
    },
    requests,
    listStored: async () =>
      (await readdir(dir))
        .filter((name) => name.endsWith(ARTIFACT_SUFFIX))
        .map((name) => name.slice(0, -ARTIFACT_SUFFIX.length))
        .sort(),
    listArtifactFiles: async (hash) =>
      [...readTarFiles(await readFile(artifactPath(dir, hash))).keys()].sort(),
    readArtifactFile: async (hash, name) =>
      readTarFiles(await readFile(artifactPath(dir, hash)))
        .get(name)
        ?.toString('utf8'),
    setPutStatus: (status) => {
      state.putStatus = status;
    },
    close: async () => {
      await closeServer(server);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

// GET hits/misses and PUT outcomes; a test prints it and asserts on the requests themselves.
export function summarizeRequests(requests: CacheRequest[]): RequestSummary {
  const count = (method: string, status: number) =>
    requests.filter((r) => r.method === method && r.status === status).length;
  return {
    getHits: count('GET', 200),
    getMisses: count('GET', 404),
    puts: count('PUT', 200),
    conflicts: count('PUT', 409),
    refused: requests.filter((r) => r.status === 401 || r.status === 403).length,
  };
}

interface Exchange {
  dir: string;
  token: string;
  options: RemoteCacheOptions;
  request: IncomingMessage;
  response: ServerResponse;
}

type Outcome = Pick<CacheRequest, 'hash' | 'status' | 'bytes'>;

async function handleRequest(exchange: Exchange): Promise<Outcome> {
  const { dir, token, options, request, response } = exchange;
  const body = await readBody(request);
  const hash = CACHE_PATH.exec(request.url ?? '')?.[1];
  if (request.headers.authorization !== `Bearer ${token}`) {
    return sendText(response, 401, 'Missing or invalid bearer token\n', hash);
  }
  if (hash === undefined) return sendText(response, 404, 'Not found\n', hash);
  if (request.method === 'GET') return sendArtifact(response, dir, hash);
  if (request.method === 'PUT' && options.putStatus !== undefined) {
    return sendText(response, options.putStatus, 'Refused by the test\n', hash, body.length);
  }
  if (request.method === 'PUT') return storeArtifact(response, dir, hash, request, body);
  return sendText(response, 405, 'Method not allowed\n', hash);
}

async function sendArtifact(response: ServerResponse, dir: string, hash: string) {
  const artifact = await readFile(artifactPath(dir, hash)).catch(() => undefined);
  if (artifact === undefined) return sendText(response, 404, 'Not found\n', hash);
  response.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Length': artifact.length,
  });
  response.end(artifact);
  return { hash, status: 200, bytes: artifact.length };
}

// A body shorter or longer than Content-Length is refused. The first complete write wins,
// atomically (link fails when the entry exists), and every later PUT of the hash gets 409.
async function storeArtifact(
  response: ServerResponse,
  dir: string,
  hash: string,
  request: IncomingMessage,
  body: Buffer,
) {
  if (Number(request.headers['content-length']) !== body.length || body.length === 0) {
    return sendText(response, 400, 'Body does not match Content-Length\n', hash, body.length);
  }
  const file = artifactPath(dir, hash);
  const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, body);
  try {
    await link(temp, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return sendText(response, 409, 'Already exists\n', hash, body.length);
  } finally {
    await unlink(temp);
  }
  return sendText(response, 200, 'Stored\n', hash, body.length);
}

function sendText(
  response: ServerResponse,
  status: number,
  text: string,
  hash?: string,
  bytes = 0,
): Outcome {
  response.writeHead(status, { 'Content-Type': 'text/plain' });
  response.end(text);
  return { hash, status, bytes };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.once('end', () => resolve(Buffer.concat(chunks)));
    request.once('error', reject);
  });
}

function artifactPath(dir: string, hash: string): string {
  return path.join(dir, `${hash}${ARTIFACT_SUFFIX}`);
}

// The regular files of a gzipped tar (POSIX ustar or GNU headers of 512 bytes, GNU long
// names), by path. Enough for the artifacts Nx writes; not a general tar reader.
function readTarFiles(gzipped: Buffer): Map<string, Buffer> {
  const tar = gunzipSync(gzipped);
  const files = new Map<string, Buffer>();
  let longName: string | undefined;
  for (let offset = 0; offset + 512 <= tar.length;) {
    const header = tar.subarray(offset, offset + 512);
    if (header.every((byte) => byte === 0)) break;
    const size = parseInt(readTarString(header, 124, 12) || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const data = tar.subarray(offset + 512, offset + 512 + size);
    offset += 512 + Math.ceil(size / 512) * 512;
    if (type === 'L') {
      longName = data.toString('utf8').replace(/\0+$/, '');
      continue;
    }
    const name = longName ?? readTarName(header);
    longName = undefined;
    if (type === '0' || type === '\0') files.set(name.replace(/^\.\//, ''), data);
  }
  return files;
}

// Only POSIX ustar (magic "ustar\0") has a name prefix at 345; GNU ("ustar ") keeps times there.
function readTarName(header: Buffer): string {
  const name = readTarString(header, 0, 100);
  const isPosix = header.subarray(257, 263).toString('latin1') === 'ustar\0';
  const prefix = isPosix ? readTarString(header, 345, 155) : '';
  return prefix ? `${prefix}/${name}` : name;
}

function readTarString(header: Buffer, start: number, length: number): string {
  const field = header.subarray(start, start + length);
  const end = field.indexOf(0);
  return field
    .subarray(0, end === -1 ? length : end)
    .toString('utf8')
    .trim();
}

function listenOnLoopback(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve(`http://127.0.0.1:${port}`);
    });
  });
}

function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
