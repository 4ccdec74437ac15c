/** Pins what real `npm publish` / `npm view` answer against the local verdaccio test registry. */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startLocalRegistry } from './support/local-registry';
import type { LocalRegistry } from './support/local-registry';

interface NpmResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

const UNSCOPED = 'local-registry-e2e-demo';
const SCOPED = '@acme/sdk';

let registry: LocalRegistry;
let workDir: string;

beforeAll(async () => {
  const started = performance.now();
  registry = await startLocalRegistry();
  console.log(`local registry started in ${Math.round(performance.now() - started)} ms`);
  workDir = await mkdtemp(join(tmpdir(), 'local-registry-e2e-'));
}, 60_000);

afterAll(async () => {
  await registry?.close();
  if (workDir) {
    await rm(workDir, { recursive: true, force: true });
  }
}, 30_000);

function runNpm(args: string[]): Promise<NpmResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, {
      cwd: workDir,
      env: { ...process.env, ...registry.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function writePackage(name: string, version: string): Promise<string> {
  const dir = join(workDir, name.replace('/', '__'));
  await mkdir(dir, { recursive: true });
  const manifest = { name, version, description: 'local registry fixture', license: 'MIT' };
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await writeFile(join(dir, 'index.js'), 'module.exports = 1;\n');
  return dir;
}

function toRelativeSpec(dir: string): string {
  return `./${dir.slice(workDir.length + 1)}`;
}

describe('local npm registry (verdaccio)', () => {
  it('serves from 127.0.0.1 and writes the registry and auth token into its npmrc', async () => {
    const hostAndPort = registry.url.replace(/^http:/, '');
    const npmrc = await readFile(registry.npmrcPath, 'utf8');

    expect(registry.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(registry.env.npm_config_registry).toBe(registry.url);
    expect(registry.env.npm_config_userconfig).toBe(registry.npmrcPath);
    expect(npmrc).toContain(`registry=${registry.url}\n`);
    expect(npmrc).toMatch(new RegExp(`^${hostAndPort.replace(/\./g, '\\.')}:_authToken=.+$`, 'm'));
  });

  it('answers E404 for a package that was never published', async () => {
    const result = await runNpm(['view', `${UNSCOPED}@1.0.0`, 'version']);

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('npm error code E404');
    expect(result.stderr).toContain(`404 Not Found - GET ${registry.url}${UNSCOPED}`);
  }, 30_000);

  it('does not proxy the public registry', async () => {
    const result = await runNpm(['view', 'lodash', 'version']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('npm error code E404');
    expect(result.stderr).toContain(`GET ${registry.url}lodash`);
  }, 30_000);

  it('publishes a package and then views its version', async () => {
    const dir = await writePackage(UNSCOPED, '1.0.0');

    const published = await runNpm(['publish', toRelativeSpec(dir)]);
    expect(published.code).toBe(0);
    expect(published.stdout).toContain(`+ ${UNSCOPED}@1.0.0`);

    const viewed = await runNpm(['view', `${UNSCOPED}@1.0.0`, 'version']);
    expect(viewed.code).toBe(0);
    expect(viewed.stdout.trim()).toBe('1.0.0');
  }, 30_000);

  it('answers E404 "No match found for version" for a missing version of a known package', async () => {
    const result = await runNpm(['view', `${UNSCOPED}@2.0.0`, 'version']);

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('npm error code E404');
    expect(result.stderr).toContain('npm error 404 No match found for version 2.0.0');
  }, 30_000);

  it('refuses to republish an existing version in the npm client', async () => {
    const dir = await writePackage(UNSCOPED, '1.0.0');

    const result = await runNpm(['publish', toRelativeSpec(dir)]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'npm error You cannot publish over the previously published versions: 1.0.0.',
    );
  }, 30_000);

  it('rejects a forced republish on the server with E409', async () => {
    const dir = await writePackage(UNSCOPED, '1.0.0');

    const result = await runNpm(['publish', toRelativeSpec(dir), '--force']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('npm error code E409');
    expect(result.stderr).toContain('409 Conflict - PUT');
    expect(result.stderr).toContain('this package is already present');
  }, 30_000);

  it('publishes and views a scoped package', async () => {
    const dir = await writePackage(SCOPED, '1.0.0');

    const published = await runNpm(['publish', toRelativeSpec(dir)]);
    expect(published.code).toBe(0);
    expect(published.stdout).toContain(`+ ${SCOPED}@1.0.0`);

    const viewed = await runNpm(['view', `${SCOPED}@1.0.0`, 'version']);
    expect(viewed.code).toBe(0);
    expect(viewed.stdout.trim()).toBe('1.0.0');
  }, 30_000);
});
