/**
 * A user's Nx 24 workspace with nx-release-deploy installed from the registry, made fresh for
 * each test in a temp dir: root package.json, nx.json, apps/<name>/project.json, extra files,
 * a git repository with one commit, and `nx` run as a user runs it (the real CLI, no daemon).
 *
 * What it models: the packed tarball (not src/) installed next to nx 24.0.6 and @nx/devkit
 * 24.0.0 by a real `npm install`, real project graph, option parsing, task running and cache.
 * What it does not: the install is done once per process in an "install base" and each
 * workspace's node_modules is a SYMLINK to it (Node resolves through it to the real path, so
 * a test must never write into node_modules); dependencies' install scripts do not run
 * (npm 11 here, Nx works without its postinstall); no Nx Cloud, no daemon, no TUI, no
 * analytics, colourless static output, and no package manager lockfile in the workspace.
 */
import { spawn } from 'node:child_process';
import type { SpawnOptions } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { constants } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { cleanInheritedEnv, getRunDir, packPlugin } from './packed-plugin';

export interface NxResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** stdout and stderr interleaved in the order the chunks arrived. */
  output: string;
}

export interface WorkspaceOptions {
  /** project.json content per project, written to apps/<name>/project.json. */
  projects: Record<string, object>;
  /** Extra files, path relative to the workspace root -> content. */
  files?: Record<string, string>;
  /** git init + a first commit (default true). */
  git?: boolean;
}

export interface Workspace {
  root: string;
  runNx(args: string[], env?: Record<string, string>): Promise<NxResult>;
  /** Runs git in the workspace and returns its trimmed stdout; throws when git fails. */
  git(args: string[]): Promise<string>;
  /** Writes `files`, commits everything (empty commits allowed) and returns the new HEAD. */
  commit(message: string, files?: Record<string, string>): Promise<string>;
  readJson<T = unknown>(relPath: string): Promise<T>;
  exists(relPath: string): boolean;
  close(): Promise<void>;
}

const NX_VERSION = '24.0.6';
const NX_DEVKIT_VERSION = '24.0.0';
const INSTALL_MARKER = '.e2e-install-complete';
const NX_TIMEOUT_MS = 90_000;
// Quiet and deterministic: never prompt for analytics, never try to reach Nx Cloud.
const NX_JSON = { analytics: false, neverConnectToCloud: true };
const GITIGNORE = 'node_modules\n.nx/\ndist/\n';
// Set in the temp repository's own config; the global git config is never touched.
const GIT_CONFIG = {
  'user.name': 'nx-release-deploy e2e',
  'user.email': 'e2e@example.invalid',
  'commit.gpgsign': 'false',
};

let installBase: Promise<string> | undefined;

// One `npm install` per process; every workspace links to it, so a new workspace installs nothing.
export function ensureInstallBase(): Promise<string> {
  installBase ??= installOnce();
  return installBase;
}

async function installOnce(): Promise<string> {
  const base = path.join(getRunDir(), 'install-base');
  if (existsSync(path.join(base, INSTALL_MARKER))) return base;
  const tarball = packPlugin();
  await rm(base, { recursive: true, force: true });
  await mkdir(base, { recursive: true });
  await writeJson(path.join(base, 'package.json'), {
    name: 'nxrd-e2e-install-base',
    private: true,
    dependencies: dependenciesOn(tarball),
  });
  const startedAt = performance.now();
  const result = await runProcess(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline'],
    { cwd: base, env: cleanInheritedEnv(process.env) },
  );
  if (result.exitCode !== 0) {
    throw new Error(`npm install of the e2e install base failed:\n${result.output}`);
  }
  const ms = Math.round(performance.now() - startedAt);
  await writeFile(path.join(base, INSTALL_MARKER), `${ms}\n`);
  console.log(
    `e2e install base (nx ${NX_VERSION} + ${path.basename(tarball)}) installed in ${ms} ms`,
  );
  return base;
}

function dependenciesOn(tarball: string): Record<string, string> {
  return {
    nx: NX_VERSION,
    '@nx/devkit': NX_DEVKIT_VERSION,
    'nx-release-deploy': `file:${tarball}`,
  };
}

// A fresh workspace sharing the process's install base through a symlink; it sits in the run's
// temp dir, so it goes away even when a test never reaches close().
export async function createWorkspace(options: WorkspaceOptions): Promise<Workspace> {
  const base = await ensureInstallBase();
  const root = await mkdtemp(path.join(getRunDir(), 'ws-'));
  await writeJson(path.join(root, 'package.json'), {
    name: 'e2e-workspace',
    version: '0.0.0',
    private: true,
    devDependencies: dependenciesOn(packPlugin()),
  });
  await writeJson(path.join(root, 'nx.json'), NX_JSON);
  await writeFiles(root, { '.gitignore': GITIGNORE, ...options.files });
  for (const [name, project] of Object.entries(options.projects)) {
    await writeJson(path.join(root, 'apps', name, 'project.json'), { name, ...project });
  }
  await symlink(path.join(base, 'node_modules'), path.join(root, 'node_modules'), 'dir');
  const workspace = bindWorkspace(root, readNxBin(base));
  if (options.git ?? true) await initGit(workspace);
  return workspace;
}

function bindWorkspace(root: string, nxBin: string): Workspace {
  const git = (args: string[]) => runGit(root, args);
  return {
    root,
    runNx: (args, env = {}) =>
      runProcess(process.execPath, [nxBin, ...args], {
        cwd: root,
        env: buildNxEnv(root, env),
        timeout: NX_TIMEOUT_MS,
      }),
    git,
    commit: async (message, files = {}) => {
      await writeFiles(root, files);
      await git(['add', '--all']);
      await git(['commit', '--quiet', '--allow-empty', '--message', message]);
      return git(['rev-parse', 'HEAD']);
    },
    readJson: async <T>(relPath: string) =>
      JSON.parse(await readFile(path.join(root, relPath), 'utf8')) as T,
    exists: (relPath) => existsSync(path.join(root, relPath)),
    close: () => rm(root, { recursive: true, force: true }),
  };
}

// Plain, non-interactive, colourless output from the real CLI; env wins over these defaults.
export function buildNxEnv(root: string, env: Record<string, string>): Record<string, string> {
  return {
    ...cleanInheritedEnv(process.env),
    NX_DAEMON: 'false',
    NX_NO_CLOUD: 'true',
    NX_TUI: 'false',
    // Without it Nx 24 may pick `summary` (no task output at all) from ambient variables of the
    // caller's environment, and `static-failures-only` elsewhere.
    NX_DEFAULT_OUTPUT_STYLE: 'static',
    // Nx 24 keeps its cache under ~/.nx/<id> by default (id from the git remote or first commit):
    // each workspace gets its own, inside it, so tests never share or leave a cache behind.
    NX_CACHE_DIRECTORY: path.join(root, '.nx', 'cache'),
    NX_INTERACTIVE: 'false',
    CI: 'true',
    NO_COLOR: '1',
    FORCE_COLOR: '0',
    // Outside git must mean outside git, even when the temp dir sits inside a repository.
    GIT_CEILING_DIRECTORIES: path.dirname(root),
    ...env,
  };
}

async function initGit(workspace: Workspace): Promise<void> {
  await workspace.git(['init', '--quiet', '--initial-branch=main']);
  for (const [key, value] of Object.entries(GIT_CONFIG)) {
    await workspace.git(['config', '--local', key, value]);
  }
  await workspace.commit('Initial commit');
}

async function runGit(root: string, args: string[]): Promise<string> {
  const env = { ...cleanInheritedEnv(process.env), GIT_CEILING_DIRECTORIES: path.dirname(root) };
  const result = await runProcess('git', args, { cwd: root, env });
  if (result.exitCode !== 0) {
    throw new Error(`git ${args.join(' ')} failed (exit ${result.exitCode}):\n${result.output}`);
  }
  return result.stdout.trim();
}

export function readNxBin(base: string): string {
  const nxDir = path.join(base, 'node_modules', 'nx');
  const manifest = JSON.parse(readFileSync(path.join(nxDir, 'package.json'), 'utf8')) as {
    bin: Record<string, string>;
  };
  const bin = manifest.bin.nx;
  if (!bin) throw new Error(`nx ${NX_VERSION} declares no "nx" bin in ${nxDir}/package.json`);
  return path.join(nxDir, bin);
}

async function writeFiles(root: string, files: Record<string, string>): Promise<void> {
  for (const [relPath, content] of Object.entries(files)) {
    const file = path.join(root, relPath);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
  }
}

async function writeJson(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(value, null, 2)}\n`);
}

// Spawns argv (never a shell), collecting stdout, stderr and both in arrival order.
function runProcess(
  command: string,
  args: string[],
  options: Pick<SpawnOptions, 'cwd' | 'env' | 'timeout'>,
): Promise<NxResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      ...options,
      stdio: ['ignore', 'pipe', 'pipe'],
      killSignal: 'SIGKILL',
    });
    const chunks = { stdout: [] as string[], stderr: [] as string[], output: [] as string[] };
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      chunks.stdout.push(chunk);
      chunks.output.push(chunk);
    });
    child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      chunks.stderr.push(chunk);
      chunks.output.push(chunk);
    });
    child.once('error', reject);
    child.once('close', (code, signal) =>
      resolve({
        exitCode: code ?? 128 + (signal ? constants.signals[signal] : 0),
        stdout: chunks.stdout.join(''),
        stderr: chunks.stderr.join(''),
        output: chunks.output.join(''),
      }),
    );
  });
}
