import type { ExecutorContext } from '@nx/devkit';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
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

  describe('before the first step', () => {
    const prepareTarget = (prepareDevops: Record<string, unknown>) => ({
      executor: 'nx-release-deploy:prepare',
      options: { devops: prepareDevops },
    });

    it('refuses a real run whose program is not on PATH, touching neither lock nor ledger', async () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'nxrd-stage-'));
      const { lines, output } = capture();
      const result = await runStage(
        'prepare',
        {
          devops: { ...devops, post_deploy_cmd: 'no-such-migrate-binary db:migrate' },
          releaseId: 'r1',
        },
        makeContext(dir),
        { output, env: { PATH: path.dirname(process.execPath) } },
      );
      expect(result).toEqual({ success: false });
      expect(lines.err).toEqual([
        'Cannot start shop:release-prepare: no-such-migrate-binary is not on PATH (the post_deploy step runs it); nothing has run. Install no-such-migrate-binary, or fix the PATH the executor sees.',
      ]);
      expect(readdirSync(dir)).toEqual([]);
    });

    it('keeps the dry run to notes about missing programs', async () => {
      const { lines, output } = capture();
      const result = await runStage(
        'prepare',
        {
          devops: { ...devops, post_deploy_cmd: 'no-such-migrate-binary db:migrate' },
          releaseId: 'r1',
          dryRun: true,
        },
        makeContext(root),
        { output, env: { PATH: '' } },
      );
      expect(result).toEqual({ success: true });
      expect(lines.out.at(-1)).toBe('Note: no-such-migrate-binary is not on PATH.');
    });

    it('refuses in prepare a publish entry of the shared block that ship would refuse', async () => {
      const { lines, output } = capture();
      const result = await runStage(
        'prepare',
        { devops: { ...devops, publish: ['packages/none'] }, releaseId: 'r1', dryRun: true },
        makeContext(root),
        { output, env: {} },
      );
      expect(result).toEqual({ success: false });
      expect(lines.err).toEqual([
        'Invalid configuration for shop:release-prepare: devops.publish[0] "packages/none" has no package.json. Point it at an npm package directory (with a package.json).',
      ]);
    });

    it("refuses in prepare a ship target's own post-deploy command, which no prepare can prove", async () => {
      const { lines, output } = capture();
      const ship = {
        executor: 'nx-release-deploy:ship',
        options: { devops: { post_deploy_cmd: 'bin/other' } },
      };
      const result = await runStage(
        'prepare',
        { devops, releaseId: 'r1', dryRun: true },
        makeContext(root, { 'release-prepare': prepareTarget(devops), 'release-ship': ship }),
        { output, env: {} },
      );
      expect(result).toEqual({ success: false });
      expect(lines.err).toEqual([
        "Invalid configuration for shop:release-ship: devops.post_deploy_cmd differs from release-prepare's, so the gate can never pass (it requires the command ship runs to have succeeded on QA). The post-deploy command belongs in release-prepare's devops (release-ship inherits it): change it there, and remove it from release-ship.",
      ]);
    });

    it('leaves alone a ship target that inherits from another prepare target', async () => {
      const { output } = capture();
      const ship = {
        executor: 'nx-release-deploy:ship',
        options: { prepareTarget: 'other-prepare', devops: { post_deploy_cmd: 'bin/other' } },
      };
      const result = await runStage(
        'prepare',
        { devops, releaseId: 'r1', dryRun: true },
        makeContext(root, { 'release-prepare': prepareTarget(devops), 'release-ship': ship }),
        { output, env: {} },
      );
      expect(result).toEqual({ success: true });
    });

    it('masks redact_env values in a configuration error, from either target', async () => {
      const env = { SHOP_TOKEN: 'Tok3n Value' };
      const prepareRun = capture();
      await runStage(
        'prepare',
        {
          devops: {
            ...devops,
            platform: 'heroku',
            qa_app: 'Tok3n Value',
            redact_env: ['SHOP_TOKEN'],
          },
          dryRun: true,
        },
        makeContext(root),
        { output: prepareRun.output, env },
      );
      expect(prepareRun.lines.err).toEqual([
        'Invalid configuration for shop:release-prepare: devops.qa_app "***" is not a valid Heroku app name. Use 2 to 30 lowercase letters, digits and dashes, starting with a letter.',
      ]);
      const shipRun = capture();
      await runStage(
        'ship',
        { devops: { prod_app: 'Tok3n Value' }, dryRun: true },
        {
          ...makeContext(root, {
            'release-prepare': prepareTarget({ ...devops, redact_env: ['SHOP_TOKEN'] }),
          }),
          targetName: 'release-ship',
        },
        { output: shipRun.output, env },
      );
      expect(shipRun.lines.err).toEqual([
        'Invalid configuration for shop:release-ship: devops.prod_app "***" is not a valid local app name. Use up to 63 letters, digits, dots, dashes and underscores, starting with a letter or digit.',
      ]);
    });

    it('takes a numeric releaseId as the text typed, found in the task graph', async () => {
      const { lines, output } = capture();
      const context = {
        ...makeContext(root),
        taskGraph: {
          roots: [],
          dependencies: {},
          continuousDependencies: {},
          tasks: {
            'shop:release-prepare': {
              id: 'shop:release-prepare',
              target: { project: 'shop', target: 'release-prepare' },
              overrides: { releaseId: 100000, __overrides_unparsed__: ['--releaseId=1e5'] },
              outputs: [],
              cache: false,
            },
          },
        },
      } as unknown as ExecutorContext;
      const result = await runStage(
        'prepare',
        { devops, dryRun: true, releaseId: 100000 },
        context,
        { output, env: {} },
      );
      expect(result).toEqual({ success: true });
      expect(lines.out[0]).toMatch(/^nx-release-deploy prepare · shop · release 1e5 · dry run/);
    });
  });
});
