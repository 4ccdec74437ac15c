/**
 * The platform adapters end to end: the real Nx 24 CLI runs the packed plugin, which runs the
 * stand-ins of kubectl, docker, fly and ssh from e2e/support/fake-tools (first on PATH), whose
 * "remote side" is a local directory per app. Each platform: prepare then ship succeed with the
 * exact argv in the ledger and the dry run; hostile tokens reach the remote program unchanged on
 * QA and prod; a failing command aborts prepare with the exit code the tool reports.
 */
import { spawnSync } from 'node:child_process';
import { createWorkspace } from './support/nx-workspace';
import type { NxResult, Workspace } from './support/nx-workspace';
import { createFakeWorld } from './support/fake-tools/fake-world';
import type { FakeCall, FakeWorld } from './support/fake-tools/fake-world';
import { formatAbortedNext, shortRelease } from './support/release-text';
import { buildUncachedReleaseProject } from './support/release-projects';
import { HOSTILE_TOKENS } from './support/hostile-tokens';

jest.setTimeout(180_000);

const APPS = ['shop-qa', 'shop'] as const;
const PREPARE_LEDGER = 'dist/release/shop/prepare/checks_run.json';
const SHIP_LEDGER = 'dist/release/shop/ship/checks_run.json';

interface LedgerCheck {
  id: string;
  env: string;
  target: string;
  argv: string[];
  command: string;
  status: string;
  reason: string | null;
  exitCode: number | null;
}

interface Ledger {
  status: string;
  checks: LedgerCheck[];
}

// What a scenario needs to know about one platform.
interface PlatformCase {
  readonly platform: string;
  readonly devops: Record<string, unknown>;
  readonly files?: Record<string, string>;
  readonly state: Parameters<typeof createFakeWorld>[0]['state'];
  // The argv the plugin runs for `./migrate db:migrate` on one app.
  readonly migrateArgv: (app: string) => string[];
  // What the tool's stand-in says the remote side ran for it.
  readonly migrateRemote: (app: string) => FakeCall['remote'];
  // The status the tool exits with when the remote command exits 7.
  readonly failStatus: number;
}

const CASES: PlatformCase[] = [
  {
    platform: 'kubernetes',
    devops: {
      kubernetes: {
        context: { qa: 'staging-cluster', prod: 'prod-cluster' },
        namespace: 'shop',
        container: 'web',
      },
    },
    state: ({ app }) => ({
      kubernetes: {
        currentContext: 'staging-cluster',
        contexts: {
          'staging-cluster': {
            shop: { 'deployment/shop-qa': { dir: app('shop-qa'), containers: ['web', 'proxy'] } },
          },
          'prod-cluster': {
            shop: { 'deployment/shop': { dir: app('shop'), containers: ['web'] } },
          },
        },
      },
    }),
    migrateArgv: (app) => [
      'kubectl',
      'exec',
      `--context=${app === 'shop' ? 'prod' : 'staging'}-cluster`,
      '--namespace=shop',
      '--container=web',
      `deployment/${app}`,
      '--',
      './migrate',
      'db:migrate',
    ],
    migrateRemote: () => ({ argv: ['./migrate', 'db:migrate'] }),
    failStatus: 7,
  },
  {
    platform: 'docker-compose',
    devops: { 'docker-compose': { service: 'web', file: 'deploy/compose.yml' } },
    files: { 'deploy/compose.yml': 'services:\n  web:\n    image: shop\n' },
    state: ({ app }) => ({
      compose: { 'shop-qa': { web: { dir: app('shop-qa') } }, shop: { web: { dir: app('shop') } } },
    }),
    migrateArgv: (app) => [
      'docker',
      'compose',
      '--file=deploy/compose.yml',
      `--project-name=${app}`,
      'exec',
      '-T',
      '--',
      'web',
      './migrate',
      'db:migrate',
    ],
    migrateRemote: () => ({ argv: ['./migrate', 'db:migrate'] }),
    failStatus: 7,
  },
  {
    platform: 'fly',
    devops: { fly: { process_group: 'app' } },
    state: ({ app }) => ({
      fly: Object.fromEntries(
        APPS.map((name) => [
          name,
          {
            dir: app(name),
            machines: [
              { id: `${name}-worker`, region: 'ams', process_group: 'worker' },
              { id: `${name}-app`, region: 'ams', process_group: 'app' },
            ],
          },
        ]),
      ),
    }),
    migrateArgv: (app) => [
      'fly',
      'ssh',
      'console',
      `--app=${app}`,
      '--quiet',
      '--process-group=app',
      '--command=./migrate db:migrate',
    ],
    migrateRemote: () => ({ string: './migrate db:migrate', argv: ['./migrate', 'db:migrate'] }),
    // flyctl returns 1 for any error, the remote exit status included (internal/cli/cli.go).
    failStatus: 1,
  },
  {
    platform: 'ssh',
    devops: {
      ssh: {
        host: { qa: 'deploy@staging.example.test', prod: 'deploy@app1.example.test:2222' },
        directory: '{app}',
      },
    },
    state: ({ apps }) => ({
      ssh: {
        'staging.example.test': { home: apps, shell: '/bin/sh' },
        'app1.example.test': { home: apps, shell: '/bin/bash', port: 2222 },
      },
    }),
    migrateArgv: (app) => [
      'ssh',
      '-T',
      '-oBatchMode=yes',
      '--',
      app === 'shop' ? 'ssh://deploy@app1.example.test:2222' : 'deploy@staging.example.test',
      `cd ${app} && ./migrate db:migrate`,
    ],
    migrateRemote: (app) => ({
      string: `cd ${app} && ./migrate db:migrate`,
      shell: app === 'shop' ? '/bin/bash' : '/bin/sh',
    }),
    failStatus: 7,
  },
  {
    // A tool not listed, through the custom template: here OpenSSH again, with {cmd}.
    platform: 'custom',
    devops: { custom: { argv: ['ssh', '-T', '--', '{app}.apps.test', '{cmd}'] } },
    state: ({ app }) => ({
      ssh: Object.fromEntries(APPS.map((name) => [`${name}.apps.test`, { home: app(name) }])),
    }),
    migrateArgv: (app) => ['ssh', '-T', '--', `${app}.apps.test`, './migrate db:migrate'],
    migrateRemote: () => ({ string: './migrate db:migrate', shell: '/bin/sh' }),
    failStatus: 7,
  },
];

function buildShopProject(devops: Record<string, unknown>): object {
  return buildUncachedReleaseProject('shop', { qa_app: 'shop-qa', prod_app: 'shop', ...devops });
}

function findPostDeploy(ledger: Ledger): LedgerCheck | undefined {
  return ledger.checks.find((check) => check.id === 'post_deploy');
}

function listLinesStartingWith(result: NxResult, prefix: string): string[] {
  return result.output.split('\n').filter((line) => line.startsWith(prefix));
}

describe.each(CASES)('platform $platform', (spec) => {
  const workspaces: Workspace[] = [];
  let world: FakeWorld;

  beforeAll(async () => {
    world = await createFakeWorld({ apps: APPS, state: spec.state });
  });

  afterAll(async () => {
    await Promise.all(workspaces.map((workspace) => workspace.close()));
    await world?.close();
  });

  async function createShopWorkspace(postDeployCmd: string[]): Promise<Workspace> {
    const devops = { platform: spec.platform, post_deploy_cmd: postDeployCmd, ...spec.devops };
    const workspace = await createWorkspace({
      projects: { shop: buildShopProject(devops) },
      ...(spec.files && { files: spec.files }),
    });
    workspaces.push(workspace);
    return workspace;
  }

  function runTarget(workspace: Workspace, target: string, args: string[] = []) {
    return workspace.runNx(['run', `shop:${target}`, ...args], world.env);
  }

  describe('a release: prepare on QA, then ship to prod', () => {
    let workspace: Workspace;
    let results: NxResult[];
    let dryRun: NxResult;
    let calls: FakeCall[];

    beforeAll(async () => {
      workspace = await createShopWorkspace(['./migrate', 'db:migrate']);
      dryRun = await runTarget(workspace, 'release-prepare', ['--dry-run']);
      const before = (await world.readCalls()).length;
      results = [
        await runTarget(workspace, 'release-prepare'),
        await runTarget(workspace, 'release-ship'),
      ];
      calls = (await world.readCalls()).slice(before);
    });

    it('succeeds on both stages and runs the command once on each app', async () => {
      expect(results.map((result) => result.exitCode)).toEqual([0, 0]);
      expect(await world.readLines('shop-qa', 'migrations.log')).toEqual(['db:migrate']);
      expect(await world.readLines('shop', 'migrations.log')).toEqual(['db:migrate']);
      expect(results[0]?.output).toContain('migrated shop-qa');
      expect(results[1]?.output).toContain('migrated shop');
    });

    it('records in the ledgers exactly the argv the tool received', async () => {
      const prepare = findPostDeploy(await workspace.readJson<Ledger>(PREPARE_LEDGER));
      const ship = findPostDeploy(await workspace.readJson<Ledger>(SHIP_LEDGER));
      expect([prepare?.status, prepare?.argv]).toEqual(['ok', spec.migrateArgv('shop-qa')]);
      expect([ship?.status, ship?.argv]).toEqual(['ok', spec.migrateArgv('shop')]);
      expect(calls.map((call) => [call.argv, call.remote])).toEqual([
        [spec.migrateArgv('shop-qa').slice(1), spec.migrateRemote('shop-qa')],
        [spec.migrateArgv('shop').slice(1), spec.migrateRemote('shop')],
      ]);
    });

    it('prints the same command in the dry run, runnable as shown', async () => {
      expect(dryRun.exitCode).toBe(0);
      const prepare = findPostDeploy(await workspace.readJson<Ledger>(PREPARE_LEDGER));
      expect(dryRun.output).toContain(`  $ ${prepare?.command}\n`);
    });
  });

  describe('hostile tokens in post_deploy_cmd', () => {
    let results: NxResult[];
    let calls: FakeCall[];

    beforeAll(async () => {
      const workspace = await createShopWorkspace(['./print-args', ...HOSTILE_TOKENS]);
      const before = (await world.readCalls()).length;
      results = [
        await runTarget(workspace, 'release-prepare'),
        await runTarget(workspace, 'release-ship'),
      ];
      calls = (await world.readCalls()).slice(before);
    });

    it('reach the program on the remote side unchanged, on QA and on prod', async () => {
      expect(results.map((result) => result.exitCode)).toEqual([0, 0]);
      expect(await world.readArgs('shop-qa')).toEqual([HOSTILE_TOKENS]);
      expect(await world.readArgs('shop')).toEqual([HOSTILE_TOKENS]);
    });

    it('never change the target the tool resolved', async () => {
      const release = (await world.readCalls()).slice(0, 2);
      expect(calls.map((call) => [call.at, call.failed])).toEqual(
        release.map((call) => [call.at, undefined]),
      );
    });
  });

  describe('a post-deploy command failing on QA', () => {
    let workspace: Workspace;
    let prepare: NxResult;
    let sha: string;

    beforeAll(async () => {
      workspace = await createShopWorkspace(['./exit-with', '7']);
      sha = await workspace.git(['rev-parse', 'HEAD']);
      prepare = await runTarget(workspace, 'release-prepare');
    });

    it(`aborts prepare with the status the tool reports`, async () => {
      const reason = `exit code ${spec.failStatus}`;
      expect(prepare.exitCode).toBe(1);
      expect(listLinesStartingWith(prepare, 'ABORTED:')).toEqual([
        `ABORTED: prepare of shop (release ${shortRelease(sha)}) stopped at step post_deploy on shop-qa: ${reason}; 0 steps did not run. ${formatAbortedNext('shop', 'prepare', 'other')}`,
      ]);
      const ledger = await workspace.readJson<Ledger>(PREPARE_LEDGER);
      expect(ledger.status).toBe('failed');
      expect(
        ledger.checks.map((check) => [check.id, check.status, check.reason, check.exitCode]),
      ).toEqual([['post_deploy', 'failed', reason, spec.failStatus]]);
      expect(prepare.output).toContain('failing with 7');
    });
  });
});

// The facts the adapters rely on, as the stand-ins model them: why `--` sits where it does.
describe('the stand-ins refuse or misread what the real tools would', () => {
  let world: FakeWorld;

  beforeAll(async () => {
    world = await createFakeWorld({
      apps: ['shop-qa'],
      state: ({ app, apps }) => ({
        kubernetes: {
          currentContext: 'staging',
          contexts: {
            staging: { default: { 'pod/shop-qa-0': { dir: app('shop-qa'), containers: ['web'] } } },
          },
        },
        compose: { 'shop-qa': { web: { dir: app('shop-qa') } } },
        fly: { 'shop-qa': { dir: app('shop-qa'), machines: [{ id: 'm1', process_group: 'app' }] } },
        ssh: { 'staging.example.test': { home: apps, port: 2222 } },
      }),
    });
  });

  afterAll(() => world?.close());

  function run(argv: string[]): { status: number | null; stderr: string } {
    const [file = '', ...args] = argv;
    const result = spawnSync(file, args, {
      cwd: world.root,
      env: { ...process.env, ...world.env },
      encoding: 'utf8',
    });
    return { status: result.status, stderr: result.stderr };
  }

  it.each<[string, string[], number, string]>([
    [
      'kubectl: a command without -- is refused',
      ['kubectl', 'exec', 'shop-qa-0', './print-args'],
      1,
      'error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead',
    ],
    [
      'kubectl: the remote status is passed through',
      ['kubectl', 'exec', 'shop-qa-0', '--', './exit-with', '7'],
      7,
      'command terminated with exit code 7',
    ],
    [
      'docker compose: a -- after the service becomes the command',
      ['docker', 'compose', '--project-name=shop-qa', 'exec', '-T', 'web', '--', './print-args'],
      126,
      'exec: "--": executable file not found',
    ],
    [
      'fly: any remote failure is exit 1, the real status only in the message',
      ['fly', 'ssh', 'console', '--app=shop-qa', '--command=./exit-with 7'],
      1,
      'Error: ssh shell: Process exited with status 7',
    ],
    [
      'ssh: without --, options after the destination still configure ssh',
      ['ssh', '-T', 'staging.example.test', '-oPort=2222', 'shop-qa/exit-with 5'],
      5,
      '',
    ],
    [
      'ssh: after --, the same word is part of the command',
      ['ssh', '-T', '--', 'staging.example.test', '-oPort=2222', 'shop-qa/exit-with 5'],
      255,
      'port 22: Connection refused',
    ],
  ])('%s', (_name, argv, status, stderr) => {
    const result = run(argv);
    expect(result.status).toBe(status);
    expect(result.stderr).toContain(stderr);
  });
});
