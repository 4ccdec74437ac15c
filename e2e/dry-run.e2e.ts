/** `--dry-run` through the real Nx 24 CLI and the packed plugin (README "Run", "Errors"). */
import { spawnSync } from 'node:child_process';
import { createWorkspace } from './support/nx-workspace';
import type { NxResult, Workspace } from './support/nx-workspace';
import { shortRelease } from './support/release-text';
import { buildUncachedReleaseProject } from './support/release-projects';

jest.setTimeout(120_000);

const DEVOPS = {
  qa_app: 'shop-qa',
  prod_app: 'shop',
  post_deploy_cmd: 'bin/rails db:migrate',
  deploy_cmd: {
    qa: 'git push --force https://git.heroku.com/{app}.git {sha}:refs/heads/main',
    prod: 'heroku pipelines:promote --app={qa_app} --to={prod_app}',
  },
  publish: ['packages/shop-sdk'],
};
const SDK_FILES = {
  'packages/shop-sdk/package.json': `${JSON.stringify({ name: '@acme/shop-sdk', version: '1.4.0' }, null, 2)}\n`,
};
const HEROKU_RUN = 'heroku run --exit-code --no-tty --no-notify';
const DRY_RUN_NOTE = 'dry run (nothing runs, nothing is written)';

function shopProject(devops: Record<string, unknown> = {}): object {
  return buildUncachedReleaseProject('shop', { ...DEVOPS, ...devops });
}

function createShopWorkspace(devops?: Record<string, unknown>, git = true): Promise<Workspace> {
  return createWorkspace({ projects: { shop: shopProject(devops) }, files: SDK_FILES, git });
}

function prepareLines(release: string): string[] {
  return [
    `nx-release-deploy prepare · shop · release ${shortRelease(release)} · ${DRY_RUN_NOTE}`,
    '[1/2] deploy · qa · shop-qa',
    `  $ git push --force https://git.heroku.com/shop-qa.git ${release}:refs/heads/main`,
    '[2/2] post_deploy · qa · shop-qa',
    `  $ ${HEROKU_RUN} --app=shop-qa -- 'bin/rails db:migrate'`,
    'Dry run: 2 steps planned, none run.',
  ];
}

// The lines of `text` from the first occurrence of expected[0], as many as expected has.
function sliceLinesFrom(text: string, expected: string[]): string[] {
  const lines = text.split('\n');
  const start = lines.indexOf(expected[0] ?? '');
  return start === -1 ? [] : lines.slice(start, start + expected.length);
}

function expectLines(result: NxResult, expected: string[]): void {
  expect({ exitCode: result.exitCode, lines: sliceLinesFrom(result.output, expected) }).toEqual({
    exitCode: 0,
    lines: expected,
  });
}

// Output is asserted on stdout and stderr together: which stream a task's lines reach is Nx's
// choice (static style relays both on stdout; static-failures-only passes stderr through).

// A refusal: non-zero exit, the message printed exactly once, and no stack trace anywhere.
function expectRefused(result: NxResult, message: string): void {
  expect(result.exitCode).not.toBe(0);
  expect(result.output.split('\n').filter((line) => line === message)).toEqual([message]);
  expect(result.output).not.toMatch(/^ {4}at /m);
}

// The words bash makes of `text` when it is pasted after a command name.
function readWordsWithBash(text: string): string[] {
  const result = spawnSync('bash', ['--norc', '--noprofile', '-c', `printf '%s\\0' ${text}`], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: '/home/nobody' },
    encoding: 'utf8',
  });
  expect(result.status).toBe(0);
  return result.stdout.split('\0').slice(0, -1);
}

describe('nx run --dry-run in a git workspace', () => {
  let workspace: Workspace;
  let sha: string;

  beforeAll(async () => {
    workspace = await createShopWorkspace();
    sha = await workspace.git(['rev-parse', 'HEAD']);
  });

  afterAll(() => workspace?.close());

  it('prints the prepare plan for the commit checked out and writes nothing', async () => {
    const result = await workspace.runNx(['run', 'shop:release-prepare', '--dry-run']);

    expectLines(result, prepareLines(sha));
    expect(workspace.exists('dist/release')).toBe(false);
  });

  it('prints the ship plan: gate, publish, deploy to prod, post_deploy on prod', async () => {
    const result = await workspace.runNx(['run', 'shop:release-ship', '--dry-run']);

    const ledger = 'dist/release/shop/prepare/checks_run.json';
    expectLines(result, [
      `nx-release-deploy ship · shop · release ${shortRelease(sha)} · ${DRY_RUN_NOTE}`,
      `[1/4] gate · prod · ${ledger}`,
      `  requires ${ledger} (from release-prepare) to show this release ok, with this post-deploy command ok on QA:`,
      `  $ ${HEROKU_RUN} --app=shop-qa -- 'bin/rails db:migrate'`,
      '[2/4] publish:@acme/shop-sdk@1.4.0 · prod · npm',
      '  skipped when live: npm answers version 1.4.0',
      '  $ npm view @acme/shop-sdk@1.4.0 version',
      '  $ npm publish ./packages/shop-sdk',
      '[3/4] deploy · prod · shop',
      '  $ heroku pipelines:promote --app=shop-qa --to=shop',
      '[4/4] post_deploy · prod · shop',
      `  $ ${HEROKU_RUN} --app=shop -- 'bin/rails db:migrate'`,
      'Dry run: 4 steps planned, none run.',
    ]);
    expect(workspace.exists('dist/release')).toBe(false);
  });

  it('takes the release from --releaseId, also for {sha}', async () => {
    const result = await workspace.runNx([
      'run',
      'shop:release-prepare',
      '--dry-run',
      '--releaseId=v1.2.3',
    ]);

    expectLines(result, prepareLines('v1.2.3'));
  });

  it('takes the release from NX_RELEASE_ID when no option is given', async () => {
    const result = await workspace.runNx(['run', 'shop:release-prepare', '--dry-run'], {
      NX_RELEASE_ID: 'abc123',
    });

    expectLines(result, prepareLines('abc123'));
  });
});

describe('nx run --dry-run refusals', () => {
  const workspaces: Workspace[] = [];

  async function dryRunPrepare(devops: Record<string, unknown>, git = true) {
    const workspace = await createShopWorkspace(devops, git);
    workspaces.push(workspace);
    const result = await workspace.runNx(['run', 'shop:release-prepare', '--dry-run']);
    return { workspace, result };
  }

  afterAll(() => Promise.all(workspaces.map((workspace) => workspace.close())));

  it('refuses outside git without a release id, in one line', async () => {
    const { workspace, result } = await dryRunPrepare({}, false);

    expectRefused(
      result,
      `Cannot tell which release this is for shop:release-prepare: ${workspace.root} is not a git repository with a commit, and no release id was given. ` +
        'Run it inside the git repository, or pass --releaseId=<id> (or set NX_RELEASE_ID).',
    );
  });

  it('refuses an invalid Heroku app name', async () => {
    const { workspace, result } = await dryRunPrepare({ qa_app: 'Shop_QA' });

    expectRefused(
      result,
      'Invalid configuration for shop:release-prepare: devops.qa_app "Shop_QA" is not a valid Heroku app name. ' +
        'Use 2 to 30 lowercase letters, digits and dashes, starting with a letter.',
    );
    expect(workspace.exists('dist/release')).toBe(false);
  });

  it('refuses a shell operator in post_deploy_cmd', async () => {
    const { result } = await dryRunPrepare({ post_deploy_cmd: 'rake db:migrate && rake seed' });

    expectRefused(
      result,
      'Invalid configuration for shop:release-prepare: devops.post_deploy_cmd contains a shell operator `&&` at character 17. ' +
        "Put the commands in a script in your app and call that script, or quote it ('...') if it is meant literally.",
    );
  });
});

describe('nx run --dry-run with a hostile post_deploy_cmd argv', () => {
  const tokens = ['echo', "it's", '$HOME', '--app=other', 'a;b'];
  const line = String.raw`  $ heroku run --exit-code --no-tty --no-notify --app=shop-qa -- 'echo '\''it'\''\'\'''\''s'\'' '\''$HOME'\'' --app=other '\''a;b'\'''`;
  let workspace: Workspace;
  let result: NxResult;

  beforeAll(async () => {
    workspace = await createShopWorkspace({ post_deploy_cmd: tokens });
    result = await workspace.runNx(['run', 'shop:release-prepare', '--dry-run']);
  });

  afterAll(() => workspace?.close());

  it('prints the command line with both quoting layers', () => {
    expectLines(result, ['[2/2] post_deploy · qa · shop-qa', line]);
  });

  it('gives back the argv through the local bash, then the tokens through the dyno bash', () => {
    const header = '[2/2] post_deploy · qa · shop-qa';
    const [, printed = ''] = sliceLinesFrom(result.output, [header, '']);
    const commandLine = printed.slice('  $ '.length);
    const remote = commandLine.slice(commandLine.indexOf(' -- ') + ' -- '.length);

    const remoteWords = readWordsWithBash(remote);
    expect(remoteWords).toHaveLength(1);
    const [dynoCommand = ''] = remoteWords;
    expect(readWordsWithBash(commandLine)).toEqual([
      ...HEROKU_RUN.split(' '),
      '--app=shop-qa',
      '--',
      dynoCommand,
    ]);
    expect(readWordsWithBash(dynoCommand)).toEqual(tokens);
  });
});

// What the dry run shows is what runs: a control or direction character that an array holds is
// printed as an escape, and a string command holding one is refused.
describe('nx run --dry-run with characters that do not show as themselves', () => {
  // Clears the screen and writes "deployed"; a name that a terminal shows as "exe.png".
  const tokens = ['./notify', '\x1b[2J\x1b[1;1Hdeployed', '\u202egnp.exe'];
  let workspace: Workspace;
  let result: NxResult;

  beforeAll(async () => {
    workspace = await createWorkspace({
      projects: {
        shop: shopProject({
          post_deploy_cmd: tokens,
          deploy_cmd: { qa: ['./deploy', 'ok\rFAILED'] },
        }),
        till: buildUncachedReleaseProject('till', {
          ...DEVOPS,
          qa_app: 'till-qa',
          prod_app: 'till',
          post_deploy_cmd: "./notify '\u202egnp.exe'",
        }),
      },
      files: SDK_FILES,
    });
    result = await workspace.runNx(['run', 'shop:release-prepare', '--dry-run']);
  });

  afterAll(() => workspace?.close());

  it('prints an array holding ESC, CR and U+202E with visible escapes, nothing raw', () => {
    expectLines(result, [
      '[1/2] deploy · qa · shop-qa',
      "  $ ./deploy $'ok\\rFAILED'",
      '[2/2] post_deploy · qa · shop-qa',
      `  $ ${HEROKU_RUN} --app=shop-qa -- $'./notify \\'\\e[2J\\e[1;1Hdeployed\\' \\'\\xe2\\x80\\xaegnp.exe\\''`,
      '    (\\xe2\\x80\\xae is U+202E RIGHT-TO-LEFT OVERRIDE)',
      'Dry run: 2 steps planned, none run.',
    ]);
    for (const raw of ['\x1b', '\r', '\u202e']) expect(result.output).not.toContain(raw);
  });

  it('prints a line that bash reads back as the argv, and the remote string as the tokens', () => {
    const header = '[2/2] post_deploy · qa · shop-qa';
    const [, printed = ''] = sliceLinesFrom(result.output, [header, '']);
    const words = readWordsWithBash(printed.slice('  $ '.length));
    expect(words.slice(0, -1)).toEqual([...HEROKU_RUN.split(' '), '--app=shop-qa', '--']);
    expect(readWordsWithBash(words.at(-1) ?? '')).toEqual(tokens);
  });

  it('refuses a string command holding U+202E, naming project, target, option and fix', async () => {
    const refused = await workspace.runNx(['run', 'till:release-prepare', '--dry-run']);

    expectRefused(
      refused,
      'Invalid configuration for till:release-prepare: devops.post_deploy_cmd contains a text direction character U+202E RIGHT-TO-LEFT OVERRIDE at character 11. ' +
        "Remove it, or if the command really needs it, give the command as an array of arguments (the dry run then shows it escaped, as $'\\xe2\\x80\\xae').",
    );
    expect(refused.output).not.toContain('\u202e');
  });
});
