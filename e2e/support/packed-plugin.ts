/**
 * The plugin as users get it: the tarball `npm pack` makes from the repo root (package.json
 * `files`: dist, executors.json, README), not the source tree. It packs the dist/ that is
 * already there and does NOT build: `npm run test:e2e` builds first and runs two Jest workers.
 * State lives in a scratch directory per process (pid + start time), so the workers each pack
 * into their own directory and never race; the tarball is reused by every test file of the
 * worker, and the directory (which
 * also holds the install base and the workspaces) is removed once the process has exited (keep
 * it with NXRD_E2E_KEEP=1).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';

// The repo whose package is under test.
export const REPO_ROOT = path.resolve(__dirname, '..', '..');

const PACK_MARKER = 'packed.json';
let packedTarball: string | undefined;

// One scratch dir per process, shared by all test files Jest runs in it; removed on exit.
export function getRunDir(): string {
  const dir = path.join(tmpdir(), `nxrd-e2e-${process.pid}-${Math.floor(performance.timeOrigin)}`);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    if (process.env.NXRD_E2E_KEEP !== '1') startReaper(dir);
  }
  return dir;
}

// Jest gives test files a stand-in `process` whose 'exit' listeners never fire, so a detached
// watcher removes the dir once this process is gone (even after a kill -9), then exits.
function startReaper(dir: string): void {
  const watch = `
    const [pid, dir] = process.argv.slice(1);
    const timer = setInterval(() => {
      try { process.kill(Number(pid), 0); } catch (error) {
        if (error.code !== 'ESRCH') return;
        clearInterval(timer);
        require('node:fs').rmSync(dir, { recursive: true, force: true });
      }
    }, 500);`;
  spawn(process.execPath, ['-e', watch, String(process.pid), dir], {
    detached: true,
    stdio: 'ignore',
    env: cleanInheritedEnv(process.env),
  }).unref();
}

// Child tools must see the user's environment, not the one npm and Jest set up for this run.
export function cleanInheritedEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && !isInheritedRunVariable(name)) clean[name] = value;
  }
  return clean;
}

// NODE_OPTIONS carries Jest's --experimental-vm-modules; npm_* are `npm run`'s lifecycle
// variables (npm_config_prefix=/usr would retarget an install); NX_* are set when Nx runs
// Jest (NX_WORKSPACE_ROOT_PATH would point a nested nx at this repo); GIT_DIR and friends
// would point git at another repository.
function isInheritedRunVariable(name: string): boolean {
  return (
    name === 'NODE_OPTIONS' ||
    /^npm_(lifecycle_|package_|command$|config_(local_|global_)?prefix$)/i.test(name) ||
    /^NX_/.test(name) ||
    /^GIT_(DIR|WORK_TREE|INDEX_FILE|OBJECT_DIRECTORY|COMMON_DIR|PREFIX)$/.test(name)
  );
}

// The plugin tarball a user would install, packed once per process from the built dist/.
export function packPlugin(): string {
  packedTarball ??= readPackMarker() ?? packOnce();
  return packedTarball;
}

function readPackMarker(): string | undefined {
  const marker = path.join(getRunDir(), PACK_MARKER);
  if (!existsSync(marker)) return undefined;
  const { tarball } = JSON.parse(readFileSync(marker, 'utf8')) as { tarball: string };
  return existsSync(tarball) ? tarball : undefined;
}

function packOnce(): string {
  assertBuilt();
  const destination = path.join(getRunDir(), 'pack');
  mkdirSync(destination, { recursive: true });
  const stdout = execFileSync('npm', ['pack', '--json', '--pack-destination', destination], {
    cwd: REPO_ROOT,
    env: cleanInheritedEnv(process.env),
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string }>;
  if (!packed) throw new Error(`npm pack printed no package: ${stdout}`);
  const tarball = path.join(destination, packed.filename);
  writeFileSync(path.join(getRunDir(), PACK_MARKER), JSON.stringify({ tarball }));
  return tarball;
}

// Packing never builds, so an absent dist/ fails here and a stale one is pointed out.
function assertBuilt(): void {
  const entry = path.join(REPO_ROOT, 'dist', 'executors', 'prepare', 'executor.js');
  if (!existsSync(entry)) {
    throw new Error(`The plugin is not built (${entry} is missing): run npm run build first.`);
  }
  const builtAt = statSync(entry).mtimeMs;
  const newer = listSourceFiles(path.join(REPO_ROOT, 'src')).filter(
    (file) => statSync(file).mtimeMs > builtAt,
  );
  if (newer.length > 0) {
    console.warn(
      `e2e: dist/ is older than ${path.relative(REPO_ROOT, newer[0] ?? '')} and ${newer.length - 1} more source file(s); run npm run build (npm run test:e2e does).`,
    );
  }
}

function listSourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'test-support' ? [] : listSourceFiles(full);
    return /\.(ts|json)$/.test(entry.name) && !entry.name.endsWith('.spec.ts') ? [full] : [];
  });
}
