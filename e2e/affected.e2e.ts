/**
 * `nx affected -t release-prepare --base=<sha> --head=<sha>` with the recommended targets
 * (README "Configure"), through the real Nx 24 CLI: which apps a commit range releases.
 *
 * The workspace: apps `shop` and `admin` (both deployable, recommended targets), and a library
 * `ui` (libs/ui, no release targets) that shop depends on. The dependency is declared the way
 * a JS monorepo already declares it: libs/ui/package.json names the package `@acme/ui` and
 * apps/shop/package.json lists it in `dependencies` (what npm/pnpm workspaces link). Nx reads
 * the edge from there, so the graph follows what the app really uses and cannot drift from it;
 * `implicitDependencies` is for edges Nx cannot see (e.g. a Rails app reading a shared folder).
 * nx.json: `namedInputs.default = ["{projectRoot}/**\/*"]`.
 *
 * Measured with Nx 24.0.6 (README "Nx caching and outputs"), and what these tests pin so they fail
 * if Nx changes:
 * - `nx affected -t <target>` selects TASKS, not projects: it matches the changed files of
 *   base..head against each task's file inputs (`default` = the project's files, `^default` =
 *   those of the projects it depends on). `--explain --verbose` prints each task with the file
 *   and the input pattern that selected it.
 * - A runtime input selects nothing: `{ "runtime": "git rev-parse HEAD" }` is not a file, so
 *   a commit that touches no project file (a root README) releases nothing with `affected`,
 *   although HEAD moved. The runtime input only decides, for a task already selected, whether it
 *   is new (it changes with every commit, so a selected task of a new commit is always a cache
 *   miss: a real deploy) or a replay of a release already done at this HEAD (a cache hit, nothing
 *   deployed twice). `nx run` selects no task by files: it hashes HEAD, so it releases the
 *   README commit.
 * - `--base`/`--head` only choose the files compared; the release id and the runtime input are
 *   the CHECKED-OUT commit, whatever `--head` says: CI must check out the head it passes.
 * - Without `^default` a change in libs/ui selects no release-prepare task, while
 *   `nx show projects --affected` (project-level, no target) still lists shop.
 */
import { createWorkspace } from './support/nx-workspace';
import type { NxResult, Workspace } from './support/nx-workspace';
import {
  PLATFORM_JS,
  PLATFORM_SCRIPT,
  buildReleaseProject,
  createPlatformLog,
  listQaLines,
  listTaskHeaders,
  readPlatformLog,
} from './support/release-projects';

jest.setTimeout(60_000);

const AGENT = 'ci';
const NX_JSON = {
  analytics: false,
  neverConnectToCloud: true,
  namedInputs: { default: ['{projectRoot}/**/*'] },
};
// Only the project's own files and the commit: no `^default`.
const INPUTS_WITHOUT_DEPENDENCIES = ['default', { runtime: 'git rev-parse HEAD' }];

interface Fixture {
  workspace: Workspace;
  platformLog: string;
  /** The first commit; every test diffs from it or from a later one. */
  base: string;
}

function formatJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

function listWorkspaceFiles(): Record<string, string> {
  return {
    'nx.json': formatJson(NX_JSON),
    [PLATFORM_SCRIPT]: PLATFORM_JS,
    'README.md': '# Acme\n',
    'libs/ui/project.json': formatJson({ name: 'ui', root: 'libs/ui', projectType: 'library' }),
    'libs/ui/package.json': formatJson({ name: '@acme/ui', version: '1.0.0', private: true }),
    'libs/ui/index.js': "module.exports = { button: () => 'button' };\n",
    'apps/shop/package.json': formatJson({
      name: '@acme/shop',
      version: '1.0.0',
      private: true,
      dependencies: { '@acme/ui': '*' },
    }),
    'apps/shop/main.js': "require('@acme/ui');\n",
    'apps/admin/main.js': "console.log('admin');\n",
  };
}

function runAffected(fixture: Fixture, base: string, head: string, extra: string[] = []) {
  return runNx(fixture, [
    'affected',
    '-t',
    'release-prepare',
    `--base=${base}`,
    `--head=${head}`,
    ...extra,
  ]);
}

function runNx(fixture: Fixture, args: string[]): Promise<NxResult> {
  return fixture.workspace.runNx(args, {
    PLATFORM_LOG: fixture.platformLog,
    PLATFORM_AGENT: AGENT,
  });
}

// Exit status and the tasks Nx ran or replayed, in order (the output only when the status is off).
function expectTasks(result: NxResult, headers: string[]): void {
  expect({
    exitCode: result.exitCode,
    headers: listTaskHeaders(result),
    output: result.exitCode === 0 ? '' : result.output,
  }).toEqual({ exitCode: 0, headers, output: '' });
}

function expectNoTasks(result: NxResult): void {
  expectTasks(result, []);
  expect(result.output).toContain('No tasks were run');
}

// The projects `nx show projects --affected` lists (project-level, no target), sorted.
async function listAffectedProjects(fixture: Fixture, base: string, head: string) {
  const result = await runNx(fixture, [
    'show',
    'projects',
    '--affected',
    `--base=${base}`,
    `--head=${head}`,
    '--json',
  ]);
  expect(result.exitCode).toBe(0);
  return (JSON.parse(result.stdout) as string[]).sort();
}

describe('nx affected -t release-prepare with the recommended inputs', () => {
  const workspaces: Workspace[] = [];

  async function setUp(shopInputs?: unknown[]): Promise<Fixture> {
    const workspace = await createWorkspace({
      projects: {
        shop: buildReleaseProject('shop', shopInputs),
        admin: buildReleaseProject('admin'),
      },
      files: listWorkspaceFiles(),
    });
    workspaces.push(workspace);
    return {
      workspace,
      platformLog: await createPlatformLog(),
      base: await workspace.git(['rev-parse', 'HEAD']),
    };
  }

  afterAll(() => Promise.all(workspaces.map((workspace) => workspace.close())));

  it('releases exactly the app whose files changed, and replays it from the cache when re-run', async () => {
    const fixture = await setUp();
    const head = await fixture.workspace.commit('shop: new checkout page', {
      'apps/shop/main.js': "require('@acme/ui');\nconsole.log('checkout');\n",
    });

    const result = await runAffected(fixture, fixture.base, head);

    expectTasks(result, ['> nx run shop:release-prepare']);
    expect(await readPlatformLog(fixture.platformLog)).toEqual(listQaLines(AGENT, 'shop', head));

    // A CI retry of the same range at the same HEAD: selected again, but already done.
    const retry = await runAffected(fixture, fixture.base, head);

    expectTasks(retry, ['> nx run shop:release-prepare  [local cache]']);
    expect(await readPlatformLog(fixture.platformLog)).toEqual(listQaLines(AGENT, 'shop', head));
  });

  it('releases the dependent app, not the others, when a library changes', async () => {
    const fixture = await setUp();
    const head = await fixture.workspace.commit('ui: new button', {
      'libs/ui/index.js': "module.exports = { button: () => 'new button' };\n",
    });

    const result = await runAffected(fixture, fixture.base, head);

    expectTasks(result, ['> nx run shop:release-prepare']);
    expect(await readPlatformLog(fixture.platformLog)).toEqual(listQaLines(AGENT, 'shop', head));

    const explained = await runAffected(fixture, fixture.base, head, ['--explain', '--verbose']);

    expect(explained.exitCode).toBe(0);
    expect(explained.output).toContain('1 out of 2 release-prepare tasks is affected');
    expect(explained.output).toContain(
      [
        '  libs/ui/index.js:',
        '    shop:release-prepare',
        '      - libs/ui/index.js (libs/ui/**/*)',
      ].join('\n'),
    );
  });

  it('releases nothing for a change outside every project, although HEAD moved; nx run still releases it', async () => {
    const fixture = await setUp();
    const head = await fixture.workspace.commit('docs: README', { 'README.md': '# Acme shop\n' });

    const result = await runAffected(fixture, fixture.base, head);

    expectNoTasks(result);
    expect(await readPlatformLog(fixture.platformLog)).toEqual([]);
    expect(await listAffectedProjects(fixture, fixture.base, head)).toEqual([]);

    // Selected by name, the task hashes HEAD: the README commit is a new release.
    const run = await runNx(fixture, ['run', 'shop:release-prepare']);

    expectTasks(run, ['> nx run shop:release-prepare']);
    expect(await readPlatformLog(fixture.platformLog)).toEqual(listQaLines(AGENT, 'shop', head));
  });

  it('releases the checked-out commit, whatever --head names', async () => {
    const fixture = await setUp();
    const shopChange = await fixture.workspace.commit('shop: new checkout page', {
      'apps/shop/main.js': "require('@acme/ui');\nconsole.log('checkout');\n",
    });
    const checkedOut = await fixture.workspace.commit('docs: README', {
      'README.md': '# Acme shop\n',
    });

    const result = await runAffected(fixture, fixture.base, shopChange);

    expectTasks(result, ['> nx run shop:release-prepare']);
    expect(await readPlatformLog(fixture.platformLog)).toEqual(
      listQaLines(AGENT, 'shop', checkedOut),
    );
  });

  // README "Nx caching and outputs": the per-task selection of Nx 24 needs `^default` to see a
  // library change.
  it('misses a library change when the inputs lack ^default, although shop is an affected project', async () => {
    const fixture = await setUp(INPUTS_WITHOUT_DEPENDENCIES);
    const head = await fixture.workspace.commit('ui: new button', {
      'libs/ui/index.js': "module.exports = { button: () => 'new button' };\n",
    });

    expect(await listAffectedProjects(fixture, fixture.base, head)).toEqual(['shop', 'ui']);

    const result = await runAffected(fixture, fixture.base, head);

    expectNoTasks(result);
    expect(await readPlatformLog(fixture.platformLog)).toEqual([]);

    // The same inputs still select shop for a change in its own files.
    const own = await fixture.workspace.commit('shop: fix', {
      'apps/shop/main.js': "require('@acme/ui');\nconsole.log('fix');\n",
    });

    expectTasks(await runAffected(fixture, head, own), ['> nx run shop:release-prepare']);
    expect(await readPlatformLog(fixture.platformLog)).toEqual(listQaLines(AGENT, 'shop', own));
  });
});
