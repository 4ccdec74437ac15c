/**
 * devops.rollback_cmd through real Nx on the local platform: a prod failure after the deploy
 * triggers the rollback, the ledger and junit.xml show it, and a --resume after the fix deploys
 * again and succeeds. The "platform" is a log file the commands append to.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createWorkspace, type NxResult, type Workspace } from './support/nx-workspace';
import { formatAbortedNext, shortRelease } from './support/release-text';

interface Ledger {
  status: string;
  checks: Array<{ id: string; kind: string; status: string; reason: string | null }>;
}

const PLATFORM = [
  '// Appends "<action> <app>" to platform.log; fails while .fail-<env> exists (the prod migration).',
  "const fs = require('node:fs');",
  'const [action, app, env] = process.argv.slice(2);',
  "fs.appendFileSync('platform.log', `${action} ${app}\\n`);",
  "if (action === 'migrate' && fs.existsSync(`.fail-${env}`)) { console.error('migration failed'); process.exit(5); }",
].join('\n');

function buildProject(): object {
  return {
    root: 'apps/shop',
    targets: {
      'release-prepare': {
        executor: 'nx-release-deploy:prepare',
        outputs: [
          '{workspaceRoot}/dist/release/{projectName}/{options.dryRun ?? options.dry-run ?? prepare}',
        ],
        options: {
          devops: {
            platform: 'local',
            qa_app: 'shop-qa',
            prod_app: 'shop',
            deploy_cmd: {
              qa: ['node', 'platform.js', 'deploy', '{app}', '{env}'],
              prod: ['node', 'platform.js', 'deploy', '{app}', '{env}'],
            },
            rollback_cmd: { prod: ['node', 'platform.js', 'rollback', '{app}', '{env}'] },
            post_deploy_cmd: ['node', 'migrate.js'],
          },
        },
      },
      'release-ship': {
        executor: 'nx-release-deploy:ship',
        outputs: [
          '{workspaceRoot}/dist/release/{projectName}/{options.dryRun ?? options.dry-run ?? ship}',
        ],
        options: {},
      },
    },
  };
}

// The post-deploy command: the same tokens on QA and prod; it reads the target from RELEASE_*.
const MIGRATE =
  "const run = require('node:child_process').spawnSync('node', ['platform.js', 'migrate', process.env.RELEASE_APP, process.env.RELEASE_ENV], { stdio: 'inherit' }); process.exit(run.status ?? 1);";

describe('rollback of a prod deploy', () => {
  let workspace: Workspace;
  let sha: string;
  let dryRun: NxResult;
  let failed: NxResult;
  let failedLedger: Ledger;
  let logAfterFailure: string[];
  let junit: string;
  let resumed: NxResult;

  const readLog = async () =>
    (await readFile(path.join(workspace.root, 'platform.log'), 'utf8')).trim().split('\n');
  const ship = (args: string[] = []) => workspace.runNx(['run', 'shop:release-ship', ...args]);

  beforeAll(async () => {
    workspace = await createWorkspace({
      projects: { shop: buildProject() },
      files: {
        'platform.js': PLATFORM,
        'migrate.js': MIGRATE,
        '.gitignore': 'node_modules\n.nx/\ndist/\nplatform.log\n.fail-*\n',
      },
    });
    sha = await workspace.git(['rev-parse', 'HEAD']);
    dryRun = await ship(['--dry-run']);
    expect((await workspace.runNx(['run', 'shop:release-prepare'])).exitCode).toBe(0);
    await writeFile(path.join(workspace.root, '.fail-prod'), '');
    failed = await ship();
    failedLedger = await workspace.readJson<Ledger>('dist/release/shop/ship/checks_run.json');
    logAfterFailure = await readLog();
    junit = await readFile(path.join(workspace.root, 'dist/release/shop/ship/junit.xml'), 'utf8');
    await rm(path.join(workspace.root, '.fail-prod'));
    resumed = await ship(['--resume']);
  }, 120_000);

  afterAll(() => workspace?.close());

  it('shows the rollback as conditional in a dry run', () => {
    expect(dryRun.output).toContain(
      '[if a step after deploy fails] rollback · prod · shop\n  $ node platform.js rollback shop prod',
    );
  });

  it('rolls the prod deploy back when the prod migration fails, and records it', () => {
    expect(failed.exitCode).toBe(1);
    expect(failedLedger.status).toBe('failed');
    expect(
      failedLedger.checks.map((check) => [check.id, check.kind, check.status, check.reason]),
    ).toEqual([
      [
        'gate',
        'gate',
        'ok',
        `release ${shortRelease(sha)} prepared; post-deploy command proven on QA`,
      ],
      ['deploy', 'deploy', 'rolled_back', 'rolled back after post_deploy failed'],
      ['post_deploy', 'post_deploy', 'failed', 'exit code 5'],
      ['rollback', 'rollback', 'ok', null],
    ]);
    expect(logAfterFailure).toEqual([
      'deploy shop-qa',
      'migrate shop-qa',
      'deploy shop',
      'migrate shop',
      'rollback shop',
    ]);
    expect(failed.output).toContain(
      `ABORTED: ship of shop (release ${shortRelease(sha)}) stopped at step post_deploy on shop: exit code 5; the deploy was rolled back; 0 steps did not run. ${formatAbortedNext('shop', 'ship', 'other')}`,
    );
  });

  it('reports the rolled-back deploy and the rollback in junit.xml', () => {
    expect(junit).toContain(
      '<failure message="rolled back after post_deploy failed" type="rolled_back">',
    );
    expect(junit).toMatch(
      /<testcase classname="shop ship" name="rollback · prod · shop" time="[\d.]+">/,
    );
  });

  it('deploys again on --resume after the fix, and succeeds', async () => {
    expect(resumed.exitCode).toBe(0);
    const ledger = await workspace.readJson<Ledger>('dist/release/shop/ship/checks_run.json');
    expect(ledger.checks.map((check) => [check.id, check.status])).toEqual([
      ['gate', 'ok'],
      ['deploy', 'ok'],
      ['post_deploy', 'ok'],
    ]);
    expect((await readLog()).slice(logAfterFailure.length)).toEqual([
      'deploy shop',
      'migrate shop',
    ]);
  });
});
