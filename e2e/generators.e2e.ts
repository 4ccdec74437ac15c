/**
 * The plugin's generators through the real Nx 24 CLI, from the packed tarball: `nx add` running
 * `init`, `nx g nx-release-deploy:init`, and `nx g nx-release-deploy:configuration` whose result
 * the executors then run.
 *
 * Measured facts about Nx 24.0.6 that these tests rely on:
 * - `nx add <pkg>[@<spec>]` always runs the package manager's add command first
 *   (`npm install -D <pkg>@latest` when no spec is given), even when the package is installed;
 *   it never skips. A failed install exits 1 and does not run `init`, so a plain
 *   `nx add nx-release-deploy` needs a registry. Then it reads the package's package.json
 *   `generators` file and runs `nx g <pkg>:init` when that file has an `init` entry.
 * - Here the install is made a no-op: the spec is the very tarball the workspace already has,
 *   with npm in dry-run (writes nothing: not node_modules, which is the shared install base, nor
 *   package.json) and offline (npm's cache only). What is tested is Nx finding and running init.
 * - `nx g` parses the command line with yargs' strip-dashed: `--qa-app` arrives as `qaApp`, and a
 *   schema with `additionalProperties: false` must declare the camelCase name.
 * - A generator's thrown Error is printed as ` NX   <first line>` followed by
 *   `Pass --verbose to see the stacktrace.` (no stack), and nx exits 1; a refused generator
 *   writes nothing, because Nx flushes the tree only after the generator returns.
 * - A generator that leaves the tree unchanged prints no CREATE/UPDATE line.
 * - targetDefaults keyed by executor name apply to any target running that executor, whatever
 *   the target is called (`nx show project --json` shows them merged).
 * - Only schema `required` is checked before the generator runs (`Required property 'x' is
 *   missing`); an option outside `required` arrives undefined. In a terminal (stdout a TTY, CI
 *   not "true", --interactive not false) Nx first prompts for EVERY option with an `x-prompt`
 *   that was not given, required or not; here stdout is a pipe, so nothing prompts.
 * - `--help` lists each option as `--<schema property name>` (so camelCase; a property's
 *   `alias` is printed as a one-dash short flag, `aliases` and `x-` keys are not printed), and
 *   prints the schema's `examples` ({ command, description }) verbatim under "Examples:".
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createWorkspace } from './support/nx-workspace';
import type { NxResult, Workspace } from './support/nx-workspace';
import { packPlugin } from './support/packed-plugin';

jest.setTimeout(120_000);

const INPUTS = ['default', '^default', { runtime: 'git rev-parse HEAD' }, { env: 'NX_RELEASE_ID' }];
const CONFIGURE = [
  'g',
  'nx-release-deploy:configuration',
  '--project=shop',
  '--qa-app=shop-qa',
  '--prod-app=shop',
  '--post-deploy-cmd=bin/rails db:migrate',
];
const GENERATOR = 'nx g nx-release-deploy:configuration';
const PROJECT_JSON = 'apps/shop/project.json';
const HEROKU_RUN = 'heroku run --exit-code --no-tty --no-notify';

function formatOutputs(stage: string): string[] {
  return [
    `{workspaceRoot}/dist/release/{projectName}/{options.dryRun ?? options.dry-run ?? ${stage}}`,
  ];
}

// What nx.json's targetDefaults gain from init.
const RELEASE_DEFAULTS = {
  'nx-release-deploy:prepare': { cache: true, inputs: INPUTS, outputs: formatOutputs('prepare') },
  'nx-release-deploy:ship': { cache: true, inputs: INPUTS, outputs: formatOutputs('ship') },
};

// The README's "Configure" targets, with the devops block the CONFIGURE options give.
const README_TARGETS = {
  'release-prepare': {
    executor: 'nx-release-deploy:prepare',
    cache: true,
    inputs: INPUTS,
    outputs: formatOutputs('prepare'),
    options: {
      devops: { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: 'bin/rails db:migrate' },
    },
  },
  'release-ship': {
    executor: 'nx-release-deploy:ship',
    cache: true,
    dependsOn: [{ target: 'release-prepare', params: 'forward' }],
    inputs: INPUTS,
    outputs: formatOutputs('ship'),
    options: {},
  },
};

// Each post-deploy command appends a line to platform.log (outside the project): what really ran.
const PLATFORM_LOG = 'platform.log';
const PLATFORM_JS = `require('node:fs').appendFileSync(${JSON.stringify(PLATFORM_LOG)}, 'post_deploy ' + process.env.RELEASE_ENV + '\\n');`;

function createShopWorkspace(): Promise<Workspace> {
  return createWorkspace({
    projects: { shop: { targets: { build: { command: 'echo build' } } } },
    files: { 'scripts/platform.js': PLATFORM_JS },
  });
}

// nx with its cache inside the temp workspace, so a cached dry run leaves nothing in ~/.nx.
function runNx(workspace: Workspace, args: string[], env: Record<string, string> = {}) {
  return workspace.runNx(args, {
    NX_CACHE_DIRECTORY: path.join(workspace.root, '.nx', 'cache'),
    ...env,
  });
}

// A file's exact text: byte-for-byte equality is what "changes nothing" means.
function readText(workspace: Workspace, relPath: string): Promise<string> {
  return readFile(path.join(workspace.root, relPath), 'utf8');
}

function expectSucceeded(result: NxResult): void {
  expect({ exitCode: result.exitCode, output: result.output }).toEqual({
    exitCode: 0,
    output: expect.any(String),
  });
}

// The left column of --help's "Examples:" (Nx wraps it at 80 columns), as one line.
function readExampleCommands(help: string): string {
  const section = help.slice(help.indexOf('\nExamples:\n'));
  return section
    .split('\n')
    .filter((line) => /^ {4}\S/.test(line))
    .map((line) => line.slice(4).split(/ {2,}/)[0])
    .join(' ');
}

async function readPlatformLog(workspace: Workspace): Promise<string[]> {
  const text = await readText(workspace, PLATFORM_LOG).catch(() => '');
  return text.split('\n').filter(Boolean);
}

// A refusal: non-zero exit, the message as Nx's one error title, and no stack trace.
function expectRefused(result: NxResult, message: string): void {
  const titles = result.output
    .split('\n')
    .flatMap((line) => /^\s*NX\s+(.*)$/.exec(line)?.slice(1) ?? [])
    .filter((title) => !title.startsWith('Generating '));
  expect({ exitCode: result.exitCode === 0 ? 0 : 'non-zero', titles }).toEqual({
    exitCode: 'non-zero',
    titles: [message],
  });
  expect(result.output).not.toMatch(/^ {4}at /m);
}

describe('nx add nx-release-deploy / nx g nx-release-deploy:init', () => {
  let workspace: Workspace;

  beforeEach(async () => {
    workspace = await createShopWorkspace();
  });

  afterEach(() => workspace?.close());

  it('nx add finds init through package.json "generators" and runs it', async () => {
    const packageJson = await readText(workspace, 'package.json');

    const result = await runNx(workspace, ['add', `nx-release-deploy@file:${packPlugin()}`], {
      npm_config_dry_run: 'true',
      npm_config_offline: 'true',
    });

    expectSucceeded(result);
    expect(result.output).toContain('Package nx-release-deploy added successfully.');
    expect(await workspace.readJson('nx.json')).toEqual({
      analytics: false,
      neverConnectToCloud: true,
      targetDefaults: RELEASE_DEFAULTS,
    });
    expect(await readText(workspace, 'package.json')).toBe(packageJson);
  });

  it('init is idempotent and leaves a .gitignore that already ignores dist/', async () => {
    const gitignore = await readText(workspace, '.gitignore');
    expectSucceeded(await runNx(workspace, ['g', 'nx-release-deploy:init']));
    const nxJson = await readText(workspace, 'nx.json');

    const again = await runNx(workspace, ['g', 'nx-release-deploy:init']);

    expectSucceeded(again);
    expect(again.output).not.toMatch(/^(CREATE|UPDATE) /m);
    expect(await readText(workspace, 'nx.json')).toBe(nxJson);
    expect(await readText(workspace, '.gitignore')).toBe(gitignore);
  });

  it("its targetDefaults reach a target of any name that runs the plugin's executor", async () => {
    expectSucceeded(await runNx(workspace, ['g', 'nx-release-deploy:init']));
    await workspace.commit('a custom-named release target', {
      [PROJECT_JSON]: JSON.stringify({
        name: 'shop',
        targets: { 'deploy-qa': { executor: 'nx-release-deploy:prepare', options: {} } },
      }),
    });

    const result = await runNx(workspace, ['show', 'project', 'shop', '--json']);

    expectSucceeded(result);
    const shown = JSON.parse(result.stdout) as { targets: Record<string, object> };
    expect(shown.targets['deploy-qa']).toMatchObject(RELEASE_DEFAULTS['nx-release-deploy:prepare']);
  });
});

describe('nx g nx-release-deploy:configuration', () => {
  let workspace: Workspace;

  beforeEach(async () => {
    workspace = await createShopWorkspace();
  });

  afterEach(() => workspace?.close());

  it('writes the README configuration from kebab-case options; the executors run it', async () => {
    const result = await runNx(workspace, CONFIGURE);

    expectSucceeded(result);
    expect(result.output).toMatch(/^UPDATE apps\/shop\/project\.json$/m);
    const project = await workspace.readJson<{ targets: object }>(PROJECT_JSON);
    expect(project.targets).toEqual({ build: { command: 'echo build' }, ...README_TARGETS });

    const prepare = await runNx(workspace, ['run', 'shop:release-prepare', '--dry-run']);
    expectSucceeded(prepare);
    expect(prepare.output.split('\n')).toContain(
      `  $ ${HEROKU_RUN} --app=shop-qa -- 'bin/rails db:migrate'`,
    );

    const ship = await runNx(workspace, ['run', 'shop:release-ship', '--dry-run']);
    expectSucceeded(ship);
    expect(ship.output.split('\n')).toEqual(
      expect.arrayContaining([
        `  $ ${HEROKU_RUN} --app=shop-qa -- 'bin/rails db:migrate'`,
        `  $ ${HEROKU_RUN} --app=shop -- 'bin/rails db:migrate'`,
      ]),
    );
    expect(workspace.exists('dist/release')).toBe(false);
  });

  it('takes the project as the first positional argument', async () => {
    const [, generator, , ...rest] = CONFIGURE;

    expectSucceeded(await runNx(workspace, ['g', generator ?? '', 'shop', ...rest]));

    const project = await workspace.readJson<{ targets: object }>(PROJECT_JSON);
    expect(project.targets).toEqual({ build: { command: 'echo build' }, ...README_TARGETS });
  });

  it('changes nothing when run again with the same options', async () => {
    expectSucceeded(await runNx(workspace, CONFIGURE));
    const written = await readText(workspace, PROJECT_JSON);

    const again = await runNx(workspace, CONFIGURE);

    expectSucceeded(again);
    expect(again.output).not.toMatch(/^(CREATE|UPDATE) /m);
    expect(await readText(workspace, PROJECT_JSON)).toBe(written);
  });

  it('refuses --qa-app=Shop_QA with the executor message and writes nothing', async () => {
    const before = await readText(workspace, PROJECT_JSON);

    const result = await runNx(workspace, [
      ...CONFIGURE.filter((arg) => !arg.startsWith('--qa-app=')),
      '--qa-app=Shop_QA',
    ]);

    expectRefused(
      result,
      'Invalid configuration for shop:release-prepare: devops.qa_app "Shop_QA" is not a valid Heroku app name. Use 2 to 30 lowercase letters, digits and dashes, starting with a letter.',
    );
    expect(await readText(workspace, PROJECT_JSON)).toBe(before);
  });

  it('refuses an unknown project', async () => {
    const result = await runNx(workspace, [
      ...CONFIGURE.filter((arg) => !arg.startsWith('--project=')),
      '--project=shopp',
    ]);

    expectRefused(
      result,
      'Cannot add the release targets: project "shopp" was not found in this workspace. Did you mean "shop"? Pass the name of an existing project as --project (nx show projects lists them).',
    );
  });

  it('writes a deploy-only configuration without --post-deploy-cmd', async () => {
    const result = await runNx(workspace, [
      'g',
      'nx-release-deploy:configuration',
      '--project=shop',
      '--qa-app=shop-qa',
      '--prod-app=shop',
      '--deploy-cmd-qa=git push --force https://git.heroku.com/{app}.git {sha}:refs/heads/main',
      '--deploy-cmd-prod=heroku pipelines:promote --app={qa_app} --to={prod_app}',
    ]);

    expectSucceeded(result);
    const project = await workspace.readJson<{ targets: typeof README_TARGETS }>(PROJECT_JSON);
    expect(project.targets['release-prepare'].options.devops).toEqual({
      qa_app: 'shop-qa',
      prod_app: 'shop',
      deploy_cmd: {
        qa: 'git push --force https://git.heroku.com/{app}.git {sha}:refs/heads/main',
        prod: 'heroku pipelines:promote --app={qa_app} --to={prod_app}',
      },
    });
  });

  it('refuses a configuration with nothing to do with the executor message', async () => {
    const before = await readText(workspace, PROJECT_JSON);

    const result = await runNx(
      workspace,
      CONFIGURE.filter((arg) => !arg.startsWith('--post-deploy-cmd=')),
    );

    expectRefused(
      result,
      'Invalid configuration for shop:release-prepare: devops gives release-prepare nothing to do. Set devops.post_deploy_cmd (or devops.deploy_cmd.qa).',
    );
    expect(await readText(workspace, PROJECT_JSON)).toBe(before);
  });

  it('updates one value given alone, taking the apps from the existing devops', async () => {
    expectSucceeded(await runNx(workspace, CONFIGURE));

    const result = await runNx(workspace, [
      'g',
      'nx-release-deploy:configuration',
      'shop',
      '--post-deploy-timeout=1800',
    ]);

    expectSucceeded(result);
    const project = await workspace.readJson<{ targets: object }>(PROJECT_JSON);
    expect(project.targets).toEqual({
      build: { command: 'echo build' },
      ...README_TARGETS,
      'release-prepare': {
        ...README_TARGETS['release-prepare'],
        options: {
          devops: {
            ...README_TARGETS['release-prepare'].options.devops,
            post_deploy_timeout: 1800,
          },
        },
      },
    });
  });

  it('refuses a new configuration without the apps, naming the flags and an example', async () => {
    const before = await readText(workspace, PROJECT_JSON);

    const result = await runNx(workspace, [
      'g',
      'nx-release-deploy:configuration',
      '--project=shop',
      '--post-deploy-cmd=bin/rails db:migrate',
    ]);

    expectRefused(
      result,
      `Cannot add the release targets to shop: --qa-app and --prod-app are required for a new configuration. Example: ${GENERATOR} --project=shop --qa-app=shop-qa --prod-app=shop --post-deploy-cmd="bin/rails db:migrate"`,
    );
    expect(await readText(workspace, PROJECT_JSON)).toBe(before);
  });

  it('--help shows the kebab-case spelling of each option and kebab-case examples', async () => {
    const result = await runNx(workspace, ['g', 'nx-release-deploy:configuration', '--help']);

    expectSucceeded(result);
    expect(result.output).toMatch(/^ +--postDeployCmd +--post-deploy-cmd: /m);
    expect(result.output).toMatch(/^ +--qaApp +--qa-app: /m);
    expect(readExampleCommands(result.output)).toBe(
      `${GENERATOR} --project=shop --qa-app=shop-qa --prod-app=shop --post-deploy-cmd="bin/rails db:migrate" ` +
        `${GENERATOR} shop --post-deploy-timeout=1800`,
    );
  });

  it('after init, leaves cache, inputs and outputs to the targetDefaults; Nx runs and caches the same', async () => {
    expectSucceeded(await runNx(workspace, ['g', 'nx-release-deploy:init']));

    expectSucceeded(
      await runNx(workspace, [
        ...CONFIGURE.filter((arg) => !arg.startsWith('--post-deploy-cmd=')),
        '--platform=local',
        '--post-deploy-cmd=node scripts/platform.js',
      ]),
    );

    const devops = {
      qa_app: 'shop-qa',
      prod_app: 'shop',
      post_deploy_cmd: 'node scripts/platform.js',
      platform: 'local',
    };
    const project = await workspace.readJson<{ targets: object }>(PROJECT_JSON);
    expect(project.targets).toEqual({
      build: { command: 'echo build' },
      'release-prepare': { executor: 'nx-release-deploy:prepare', options: { devops } },
      'release-ship': {
        executor: 'nx-release-deploy:ship',
        dependsOn: [{ target: 'release-prepare', params: 'forward' }],
        options: {},
      },
    });
    const shown = await runNx(workspace, ['show', 'project', 'shop', '--json']);
    expectSucceeded(shown);
    const { targets } = JSON.parse(shown.stdout) as { targets: Record<string, object> };
    expect(targets['release-prepare']).toMatchObject({
      ...README_TARGETS['release-prepare'],
      options: { devops },
    });
    expect(targets['release-ship']).toMatchObject(README_TARGETS['release-ship']);
    await workspace.commit('release targets');

    const first = await runNx(workspace, ['run', 'shop:release-prepare']);
    expectSucceeded(first);
    expect(first.output).not.toContain('[local cache]');
    const again = await runNx(workspace, ['run', 'shop:release-prepare']);

    expectSucceeded(again);
    expect(again.output).toContain('> nx run shop:release-prepare  [local cache]');
    expect(await readPlatformLog(workspace)).toEqual(['post_deploy qa']);
  });
});
