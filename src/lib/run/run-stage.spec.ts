import type { ExecutorContext } from '@nx/devkit';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runStage } from './run-stage';

const devops = {
  platform: 'local',
  qa_app: 'shop-qa',
  prod_app: 'shop',
  post_deploy_cmd: [process.execPath, '-e', '0'],
};

// The slice of Nx's executor context the plugin reads.
function makeContext(
  root: string,
  targets: Record<string, { options?: Record<string, unknown> }> = {},
): ExecutorContext {
  return {
    root,
    cwd: root,
    isVerbose: false,
    projectName: 'shop',
    targetName: 'release-prepare',
    projectsConfigurations: { version: 2, projects: { shop: { root: 'apps/shop', targets } } },
    nxJsonConfiguration: {},
    projectGraph: { nodes: {}, dependencies: {} },
  } as ExecutorContext;
}

function capture() {
  const lines = { out: [] as string[], err: [] as string[] };
  return {
    lines,
    output: {
      out: (text: string) => lines.out.push(text),
      err: (text: string) => lines.err.push(text),
    },
  };
}

describe('runStage', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'nxrd-stage-'));

  it('prints the plan on a dry run and writes nothing', async () => {
    const { lines, output } = capture();
    const result = await runStage(
      'prepare',
      { devops, dryRun: true, releaseId: 'r1' },
      makeContext(root),
      { output, env: {} },
    );
    expect(result).toEqual({ success: true });
    expect(lines.out[0]).toMatch(/^nx-release-deploy prepare · shop · release r1 · dry run/);
    expect(existsSync(path.join(root, 'dist'))).toBe(false);
  });

  it('fails a dry run with one message for a bad configuration', async () => {
    const { lines, output } = capture();
    const result = await runStage(
      'prepare',
      { devops: { ...devops, qa_app: 'a b' }, dryRun: true },
      makeContext(root),
      { output, env: {} },
    );
    expect(result).toEqual({ success: false });
    expect(lines.err).toEqual([
      'Invalid configuration for shop:release-prepare: devops.qa_app "a b" is not a valid local app name. Use up to 63 letters, digits, dots, dashes and underscores, starting with a letter or digit.',
    ]);
  });

  it('says what to do outside git when no release id is given', async () => {
    const { lines, output } = capture();
    const result = await runStage('prepare', { devops, dryRun: true }, makeContext(root), {
      output,
      env: {},
    });
    expect(result).toEqual({ success: false });
    expect(lines.err).toEqual([
      `Cannot tell which release this is for shop:release-prepare: ${root} is not a git repository with a commit, and no release id was given. Run it inside the git repository, or pass --releaseId=<id> (or set NX_RELEASE_ID).`,
    ]);
  });

  it('takes the release id from NX_RELEASE_ID and refuses one that could be read as a flag', async () => {
    const ok = capture();
    await runStage('prepare', { devops, dryRun: true }, makeContext(root), {
      output: ok.output,
      env: { NX_RELEASE_ID: 'v1.2.3' },
    });
    expect(ok.lines.out[0]).toContain('release v1.2.3');
    const bad = capture();
    const result = await runStage('prepare', { devops, dryRun: true }, makeContext(root), {
      output: bad.output,
      env: { NX_RELEASE_ID: '--exec=x' },
    });
    expect(result).toEqual({ success: false });
    expect(bad.lines.err[0]).toBe(
      'Invalid NX_RELEASE_ID for shop:release-prepare: "--exec=x" is not a valid release id. Use 1 to 128 letters, digits, dots, dashes and underscores, starting with a letter or digit (normally the commit SHA).',
    );
  });

  it('turns an unexpected error into one line, not a stack trace', async () => {
    const { lines, output } = capture();
    const context = {
      ...makeContext(root),
      projectsConfigurations: undefined,
    } as unknown as ExecutorContext;
    Object.defineProperty(context, 'root', {
      get: () => {
        throw new Error('boom');
      },
    });
    const result = await runStage('prepare', { devops, dryRun: true, releaseId: 'r1' }, context, {
      output,
      env: {},
    });
    expect(result).toEqual({ success: false });
    expect(lines.err).toEqual([
      'nx-release-deploy failed unexpectedly: boom. This is a bug; please report it with the command you ran (run with NX_VERBOSE_LOGGING=true for the stack).',
    ]);
  });
});
