/**
 * What is refused before the first step runs, through the real Nx 24 CLI in its default batch
 * mode (executors.json `preferBatch`): release ids Nx's parser turns into numbers, booleans or
 * arrays; a bad publish entry under `release-ship`, refused by the `dependsOn` prepare before QA
 * is deployed; a missing platform CLI in a real run; values that could only fail when the
 * command is spawned; devops values Nx's own schema check must leave to the executor, and the
 * devops entry of --help that schema.json gives. One workspace serves every test (one project per scenario); each run takes
 * a few seconds. The local platform's commands append to a platform log outside the workspace,
 * so a test sees what really ran.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { createWorkspace, type NxResult, type Workspace } from './support/nx-workspace';
import {
  PLATFORM_JS,
  PLATFORM_SCRIPT,
  buildUncachedReleaseProject,
  createPlatformLog,
  readPlatformLog,
} from './support/release-projects';

jest.setTimeout(120_000);

interface Ledger {
  releaseId: string;
  status: string;
}

// A local-platform app whose deploy and post-deploy commands log to the platform log.
function buildLocalDevops(name: string, extra: Record<string, unknown> = {}): object {
  const root = `apps/${name}`;
  const platform = (step: string, ...args: string[]) => [
    'node',
    PLATFORM_SCRIPT,
    step,
    root,
    ...args,
  ];
  return {
    platform: 'local',
    qa_app: `${name}-qa`,
    prod_app: name,
    deploy_cmd: {
      qa: platform('deploy', '{env}', '{app}', '{sha}'),
      prod: platform('deploy', '{env}', '{app}', '{sha}'),
    },
    post_deploy_cmd: platform('post_deploy'),
    ...extra,
  };
}

// The recommended `dependsOn`: release-ship runs release-prepare first, with its parameters.
function buildShippedProject(name: string, devops: object): object {
  const project = buildUncachedReleaseProject(name, devops as Record<string, unknown>) as {
    targets: Record<string, object>;
  };
  const ship = { ...project.targets['release-ship'] };
  return {
    ...project,
    targets: {
      ...project.targets,
      'release-ship': { ...ship, dependsOn: [{ target: 'release-prepare', params: 'forward' }] },
    },
  };
}

// The project with devops keys of release-ship's own, overlaid on what it inherits.
function withShipDevops(project: object, devops: Record<string, unknown>): object {
  const { targets } = project as { targets: Record<string, { options?: object }> };
  const ship = targets['release-ship'];
  return {
    ...project,
    targets: { ...targets, 'release-ship': { ...ship, options: { ...ship?.options, devops } } },
  };
}

const PROJECTS = {
  shop: buildShippedProject('shop', buildLocalDevops('shop')),
  sdkless: buildShippedProject(
    'sdkless',
    buildLocalDevops('sdkless', { publish: ['packages/no-such-sdk'] }),
  ),
  mismatch: withShipDevops(buildShippedProject('mismatch', buildLocalDevops('mismatch')), {
    post_deploy_cmd: ['node', PLATFORM_SCRIPT, 'post_deploy', 'apps/mismatch', 'prod', 'mismatch'],
  }),
  hk: buildUncachedReleaseProject('hk', {
    qa_app: 'hk-qa',
    prod_app: 'hk',
    deploy_cmd: { qa: ['node', PLATFORM_SCRIPT, 'deploy', 'apps/hk', '{env}', '{app}', '{sha}'] },
    post_deploy_cmd: 'bin/rails db:migrate',
  }),
  far: buildUncachedReleaseProject('far', {
    platform: 'ssh',
    qa_app: 'far-qa',
    prod_app: 'far',
    post_deploy_cmd: 'bin/migrate',
    ssh: { host: 'deploy@{app}.example.com', directory: `/srv/${'d'.repeat(140 * 1024)}` },
  }),
  caps: buildUncachedReleaseProject('caps', {
    platform: 'HEROKU',
    qa_app: 'caps-qa',
    prod_app: 'caps',
    post_deploy_cmd: 'bin/migrate',
    kubernetes: { namespace: { qa: 'shop' } },
  }),
  tmpl: buildUncachedReleaseProject('tmpl', {
    platform: 'custom',
    qa_app: 'tmpl-qa',
    prod_app: 'tmpl',
    post_deploy_cmd: 'bin/migrate',
    custom: { argv: ['node', '-e', 'process.exit(0)', '--app={app}\u0000x', '--', '{argv}'] },
  }),
};

// A refusal: non-zero exit, the message printed exactly once, and no stack trace anywhere.
function expectRefused(result: NxResult, message: string): void {
  expect({
    exitCode: result.exitCode === 0 ? 0 : 'non-zero',
    lines: result.output.split('\n').filter((line) => line === message),
    stack: result.output.match(/^ {4}at .*$/m)?.[0] ?? null,
  }).toEqual({ exitCode: 'non-zero', lines: [message], stack: null });
}

function expectSucceeded(result: NxResult): void {
  expect({ exitCode: result.exitCode, output: result.exitCode === 0 ? '' : result.output }).toEqual(
    { exitCode: 0, output: '' },
  );
}

// PATH without any directory that holds a `heroku`: the user's machine without the Heroku CLI.
function buildPathWithoutHeroku(): string {
  return (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter((dir) => {
      try {
        return dir !== '' && !readdirSync(dir).includes('heroku');
      } catch {
        return false;
      }
    })
    .join(path.delimiter);
}

describe('before the first step, in the default batch mode', () => {
  let workspace: Workspace;
  let log: string;
  const runNx = (args: string[], env: Record<string, string> = {}) =>
    workspace.runNx(args, { PLATFORM_LOG: log, ...env });

  beforeAll(async () => {
    workspace = await createWorkspace({
      projects: PROJECTS,
      files: { [PLATFORM_SCRIPT]: PLATFORM_JS },
    });
  });

  beforeEach(async () => {
    log = await createPlatformLog();
  });

  afterAll(() => workspace?.close());

  it.each([
    ['20261201', 'a CI build number (Nx parses it as a number)', []],
    ['1e5', 'a number in exponent form', []],
    ['1.50', 'a decimal, one process per task', ['--batch=false']],
  ])('takes --releaseId=%s (%s) as the text given', async (releaseId, _why, args) => {
    const result = await runNx([
      'run',
      'shop:release-prepare',
      `--releaseId=${releaseId}`,
      ...args,
    ]);

    expectSucceeded(result);
    const ledger = await workspace.readJson<Ledger>('dist/release/shop/prepare/checks_run.json');
    expect({ releaseId: ledger.releaseId, status: ledger.status }).toEqual({
      releaseId,
      status: 'ok',
    });
    expect(await readPlatformLog(log)).toEqual([
      `local deploy qa shop-qa ${releaseId}`,
      `local post_deploy qa shop-qa ${releaseId}`,
    ]);
  });

  it('forwards a numeric --releaseId from release-ship to the prepare it depends on', async () => {
    const result = await runNx(['run', 'shop:release-ship', '--releaseId=20261202']);

    expectSucceeded(result);
    for (const stage of ['prepare', 'ship']) {
      const ledger = await workspace.readJson<Ledger>(`dist/release/shop/${stage}/checks_run.json`);
      expect([stage, ledger.releaseId, ledger.status]).toEqual([stage, '20261202', 'ok']);
    }
  });

  it.each([
    [
      ['--releaseId'],
      'Invalid configuration for shop:release-prepare: releaseId has no value. Pass it as --releaseId=<id> (normally the commit SHA).',
    ],
    [
      ['--releaseId=r1', '--releaseId=r2'],
      'Invalid configuration for shop:release-prepare: releaseId is given 2 times ("r1", "r2"). Pass --releaseId once.',
    ],
  ])('refuses %j with one message and no stack', async (args, message) => {
    const result = await runNx(['run', 'shop:release-prepare', ...args]);

    expectRefused(result, message);
    expect(await readPlatformLog(log)).toEqual([]);
  });

  it('refuses a publish entry without a package.json before the prepare it depends on deploys QA', async () => {
    const result = await runNx(['run', 'sdkless:release-ship', '--releaseId=r1']);

    expectRefused(
      result,
      'Invalid configuration for sdkless:release-prepare: devops.publish[0] "packages/no-such-sdk" has no package.json. Point it at an npm package directory (with a package.json).',
    );
    expect(await readPlatformLog(log)).toEqual([]);
    expect(workspace.exists('dist/release/sdkless')).toBe(false);
  });

  it('refuses a ship-level post-deploy command no prepare can prove, before QA is deployed', async () => {
    const result = await runNx(['run', 'mismatch:release-ship', '--releaseId=r1']);

    expectRefused(
      result,
      "Invalid configuration for mismatch:release-ship: devops.post_deploy_cmd differs from release-prepare's, so the gate can never pass (it requires the command ship runs to have succeeded on QA). The post-deploy command belongs in release-prepare's devops (release-ship inherits it): change it there, and remove it from release-ship.",
    );
    expect(await readPlatformLog(log)).toEqual([]);
    expect(workspace.exists('dist/release/mismatch')).toBe(false);
  });

  it('refuses a real heroku run without the Heroku CLI before anything runs', async () => {
    const result = await runNx(['run', 'hk:release-prepare', '--releaseId=r1'], {
      PATH: buildPathWithoutHeroku(),
    });

    expectRefused(
      result,
      'Cannot start hk:release-prepare: heroku is not on PATH (the post_deploy step runs it); nothing has run. Install the Heroku CLI (npm install -g heroku) and put it on PATH.',
    );
    expect(await readPlatformLog(log)).toEqual([]);
    expect(workspace.exists('dist/release/hk')).toBe(false);
  });

  it('refuses an ssh.directory longer than one argument may be', async () => {
    const result = await runNx(['run', 'far:release-prepare', '--releaseId=r1']);

    expectRefused(
      result,
      'Invalid configuration for far:release-prepare: devops.ssh.directory is 143365 bytes long, longer than one argument of a command may be (131071 bytes on Linux). Shorten it.',
    );
    expect(workspace.exists('dist/release/far')).toBe(false);
  });

  it('refuses a NUL in a custom template, in the dry run already', async () => {
    const result = await runNx(['run', 'tmpl:release-prepare', '--dry-run', '--releaseId=r1']);

    expectRefused(
      result,
      'Invalid configuration for tmpl:release-prepare: devops.custom.argv[3] contains a NUL character, which no command argument can hold. Remove it.',
    );
  });

  it('leaves devops values Nx could check itself to the executor: one message, no stack', async () => {
    const result = await runNx(['run', 'caps:release-prepare', '--dry-run', '--releaseId=r1']);

    const lines = result.output.split('\n');
    expect({
      exitCode: result.exitCode === 0 ? 0 : 'non-zero',
      headers: lines.filter((line) => line.startsWith('Invalid configuration for caps')),
      problems: lines.filter((line) => line.startsWith('  - devops.')),
      stack: result.output.match(/^ {4}at .*$/m)?.[0] ?? null,
    }).toEqual({
      exitCode: 'non-zero',
      headers: ['Invalid configuration for caps:release-prepare (2 problems):'],
      problems: [
        '  - devops.platform "HEROKU" is not supported. Use one of: heroku, local, kubernetes, docker-compose, fly, ssh, custom.',
        '  - devops.kubernetes.namespace.prod is required. Set it to a string.',
      ],
      stack: null,
    });
  });

  it('--help shows devops as one object and names every key schema.json documents', async () => {
    const result = await runNx(['run', 'shop:release-prepare', '--help']);
    const schema = await workspace.readJson<{
      properties: { devops: { description: string } };
      definitions: { devops?: { properties: Record<string, unknown> } };
    }>('node_modules/nx-release-deploy/dist/executors/prepare/schema.json');
    const entry = result.stdout.slice(
      result.stdout.indexOf('--devops'),
      result.stdout.indexOf('--dryRun'),
    );
    const text = entry.replace('--devops', '').replace('[object]', '').replace(/\s+/g, ' ').trim();
    const keys = Object.keys(schema.definitions.devops?.properties ?? {});

    expect({
      exitCode: result.exitCode,
      types: entry.match(/\[\w+\]/g),
      text,
      documented: keys.length > 0,
      unnamed: keys.filter((key) => !text.includes(key)),
    }).toEqual({
      exitCode: 0,
      types: ['[object]'],
      text: schema.properties.devops.description,
      documented: true,
      unnamed: [],
    });
  });
});
