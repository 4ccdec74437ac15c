import type { ExecutorContext } from '@nx/devkit';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
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

// Every file under a directory with its content (links as `-> target`), to show nothing changed.
function listTree(dir: string): Record<string, string> {
  const tree: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    const file = path.join(dir, name);
    const entry = lstatSync(file);
    if (entry.isSymbolicLink()) tree[name] = `-> ${readlinkSync(file)}`;
    else if (entry.isDirectory())
      for (const [inner, content] of Object.entries(listTree(file)))
        tree[`${name}/${inner}`] = content;
    else tree[name] = `${readFileSync(file, 'utf8')} @${entry.mtimeMs}`;
  }
  return tree;
}

describe('runStage and the directories it writes to', () => {
  const makeRoot = () => mkdtempSync(path.join(tmpdir(), 'nxrd-tree-'));
  const run = async (root: string, options: Record<string, unknown> = {}) => {
    const { lines, output } = capture();
    const result = await runStage(
      'prepare',
      { devops, releaseId: 'r1', ...options },
      makeContext(root),
      { output, env: {} },
    );
    return { result, lines };
  };
  const fail = (message: string) => ({ result: { success: false }, err: [message] });

  it.each<[string, (root: string) => void, string]>([
    [
      'goes through a file',
      (root) => writeFileSync(path.join(root, 'dist'), 'not a directory'),
      'Invalid configuration for shop:release-prepare: outputPath "dist/release/shop" goes through a file: dist is not a directory. Move that file away, or set outputPath to another directory inside the workspace.',
    ],
    [
      'has a file where the ledger directory goes',
      (root) => {
        mkdirSync(path.join(root, 'dist/release/shop'), { recursive: true });
        writeFileSync(path.join(root, 'dist/release/shop/prepare'), '');
      },
      'Invalid configuration for shop:release-prepare: outputPath "dist/release/shop" cannot hold the ledger: dist/release/shop/prepare is a file, not a directory. Move that file away, or set outputPath to another directory inside the workspace.',
    ],
    [
      'has a directory where the lock goes',
      (root) => mkdirSync(path.join(root, 'dist/release/shop/prepare.lock'), { recursive: true }),
      'Invalid configuration for shop:release-prepare: outputPath "dist/release/shop" cannot hold the lock: dist/release/shop/prepare.lock is a directory, not a lock file. Remove it (no run creates it), or set outputPath to another directory inside the workspace.',
    ],
  ])('refuses an outputPath that %s, as a configuration error', async (_name, setup, message) => {
    const root = makeRoot();
    setup(root);
    const before = listTree(root);
    const { result, lines } = await run(root);
    expect({ result, err: lines.err, unchanged: listTree(root) }).toEqual({
      ...fail(message),
      unchanged: before,
    });
  });

  it.each<[string, string, string]>([
    [
      'holds a NUL character',
      'dist/a\u0000b',
      'Invalid configuration for shop:release-prepare: outputPath "dist/a\\u0000b" contains a NUL character. Remove it: give a path relative to the workspace root, such as "dist/release/{projectName}".',
    ],
    [
      'has a name over 255 bytes',
      `dist/${'x'.repeat(256)}`,
      `Invalid configuration for shop:release-prepare: outputPath "dist/${'x'.repeat(52)}..." has a name of 256 bytes ("${'x'.repeat(57)}..."), longer than the 255 a file system allows. Shorten each directory name in it to at most 255 bytes.`,
    ],
  ])(
    'refuses an outputPath that %s, as a configuration error',
    async (_name, outputPath, message) => {
      const root = makeRoot();
      const { result, lines } = await run(root, { outputPath });
      expect({ result, err: lines.err, wrote: readdirSync(root) }).toEqual({
        ...fail(message),
        wrote: [],
      });
    },
  );

  // Before, the run took its lock, moved the damaged ledger aside, removed the temp files and
  // wrote its ledger there: all in a directory outside the workspace.
  it.each([
    ['the output directory', 'dist/release/shop', 'dist/release/shop'],
    ['the ledger directory', 'dist/release/shop/prepare', 'dist/release/shop/prepare'],
    ['a directory above them', 'dist', 'dist'],
  ])(
    'refuses %s as a link that leaves the workspace, and touches nothing there',
    async (_name, link) => {
      const root = makeRoot();
      const outside = makeRoot();
      mkdirSync(path.join(outside, 'prepare'), { recursive: true });
      mkdirSync(path.join(outside, 'release/shop/prepare'), { recursive: true });
      for (const dir of ['prepare', 'release/shop/prepare']) {
        writeFileSync(path.join(outside, dir, 'checks_run.json'), 'not json');
        writeFileSync(path.join(outside, dir, '.checks_run.json.4242.1764412800000.tmp'), 'x');
      }
      mkdirSync(path.dirname(path.join(root, link)), { recursive: true });
      symlinkSync(outside, path.join(root, link));
      const before = listTree(outside);
      const { result, lines } = await run(root);
      expect({ result, err: lines.err, outside: listTree(outside) }).toEqual({
        ...fail(
          `Invalid configuration for shop:release-prepare: outputPath "dist/release/shop" leads outside the workspace: ${link} is a symbolic link to ${outside}. Remove that link (or point it at a directory inside the workspace), or set outputPath to another directory inside the workspace.`,
        ),
        outside: before,
      });
    },
  );

  it('refuses a link beside the ledger directory that leaves the workspace (the lock, the other stage)', async () => {
    const root = makeRoot();
    const outside = makeRoot();
    mkdirSync(path.join(root, 'dist/release/shop'), { recursive: true });
    symlinkSync(outside, path.join(root, 'dist/release/shop/ship'));
    const { result, lines } = await run(root);
    expect({ result, err: lines.err, outside: readdirSync(outside) }).toEqual({
      ...fail(
        `Invalid configuration for shop:release-prepare: outputPath "dist/release/shop" leads outside the workspace: dist/release/shop/ship is a symbolic link to ${outside}. Remove that link (or point it at a directory inside the workspace), or set outputPath to another directory inside the workspace.`,
      ),
      outside: [],
    });
  });

  it('runs through a link that stays inside the workspace', async () => {
    const root = makeRoot();
    mkdirSync(path.join(root, 'build/shop'), { recursive: true });
    mkdirSync(path.join(root, 'dist/release'), { recursive: true });
    symlinkSync('../../build/shop', path.join(root, 'dist/release/shop'));
    const { result } = await run(root);
    expect({
      result,
      ledger: statSync(path.join(root, 'build/shop/prepare/checks_run.json')).isFile(),
      lockReleased: !existsSync(path.join(root, 'build/shop/prepare.lock')),
    }).toEqual({ result: { success: true }, ledger: true, lockReleased: true });
  });

  it('says on a dry run that the run would stop, and still writes nothing', async () => {
    const root = makeRoot();
    writeFileSync(path.join(root, 'dist'), '');
    const { result, lines } = await run(root, { dryRun: true });
    expect({ result, note: lines.out.at(-1), wrote: readdirSync(root) }).toEqual({
      result: { success: true },
      note: 'Note: a run would stop: Invalid configuration for shop:release-prepare: outputPath "dist/release/shop" goes through a file: dist is not a directory. Move that file away, or set outputPath to another directory inside the workspace.',
      wrote: ['dist'],
    });
  });
});
