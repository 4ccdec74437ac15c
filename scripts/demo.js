// `npm run demo`: a real prepare -> ship of the bundled example workspace on the local
// platform, then a failure on prod and a --resume. Runs nx as a user would, in a temp copy.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const repo = path.join(__dirname, '..');
const example = path.join(repo, 'examples', 'shop-workspace');
const keep = process.argv.includes('--keep');

function main() {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-release-deploy-demo-'));
  try {
    createWorkspace(root);
    runScenario(root);
    console.log(
      keep
        ? `\nDone. The workspace is kept at ${root}: look at apps/shop/project.json and dist/release/shop/.`
        : `\nDone. To look at the workspace afterwards (project.json, ledgers): npm run demo -- --keep`,
    );
  } finally {
    if (!keep) fs.rmSync(root, { recursive: true, force: true });
  }
}

function createWorkspace(root) {
  fs.cpSync(example, root, { recursive: true });
  fs.writeFileSync(
    path.join(root, '.gitignore'),
    'node_modules\n.nx\ndist\n.platform\n.registry\n.demo-fail-*\n',
  );
  // The plugin as installed from a registry would be: its package.json, executors.json, dist/.
  const modules = path.join(root, 'node_modules');
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync(path.join(repo, 'node_modules'))) {
    fs.symlinkSync(path.join(repo, 'node_modules', entry), path.join(modules, entry));
  }
  fs.symlinkSync(repo, path.join(modules, 'nx-release-deploy'));
  git(root, ['init', '--quiet', '--initial-branch=main']);
  git(root, ['add', '.']);
  git(root, [
    '-c',
    'user.name=Demo',
    '-c',
    'user.email=demo@example.com',
    'commit',
    '--quiet',
    '-m',
    'Release 1',
  ]);
}

function runScenario(root) {
  step(
    '1. Dry run: the plan and the exact commands, nothing runs',
    root,
    ['run', 'shop:release-ship', '--dry-run'],
    0,
  );
  step('2. Prepare: deploy to QA and migrate it', root, ['run', 'shop:release-prepare'], 0);
  fs.writeFileSync(path.join(root, '.demo-fail-prod'), '');
  step(
    '3. Ship, with the prod migration failing: publish and deploy run, the stage aborts',
    root,
    ['run', 'shop:release-ship'],
    1,
  );
  showLedger(root, 'ship');
  fs.rmSync(path.join(root, '.demo-fail-prod'));
  step(
    '4. Ship --resume after the fix: only the failed step runs again',
    root,
    ['run', 'shop:release-ship', '--resume'],
    0,
  );
  showLedger(root, 'ship');
  step(
    '5. Ship again without --resume: every step runs again; the SDK version already live is skipped',
    root,
    ['run', 'shop:release-ship'],
    0,
  );
  step(
    '6. And once more: this exact release already succeeded, so Nx replays it from its cache ([local cache]) and nothing runs',
    root,
    ['run', 'shop:release-ship'],
    0,
  );
  showLedger(root, 'prepare');
  showLedger(root, 'ship');
}

function step(title, root, args, expectedStatus) {
  console.log(`\n=== ${title}\n$ nx ${args.join(' ')}\n`);
  const result = spawnSync(
    process.execPath,
    [require.resolve('nx/bin/nx', { paths: [root] }), ...args],
    {
      cwd: root,
      stdio: 'inherit',
      env: {
        ...process.env,
        NX_DAEMON: 'false',
        NX_NO_CLOUD: 'true',
        NX_TUI: 'false',
        NX_DEFAULT_OUTPUT_STYLE: 'static',
        NX_CACHE_DIRECTORY: path.join(root, '.nx', 'cache'),
      },
    },
  );
  if (result.status !== expectedStatus) {
    throw new Error(
      `demo: expected nx ${args.join(' ')} to exit ${expectedStatus}, it exited ${result.status}`,
    );
  }
}

function showLedger(root, stage) {
  const file = path.join('dist', 'release', 'shop', stage, 'checks_run.json');
  const ledger = JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));
  console.log(
    `\n--- ${file}: ${ledger.stage} of ${ledger.project}, release ${ledger.releaseId.slice(0, 7)}, ${ledger.status}`,
  );
  const rows = ledger.checks.map((check) => [
    check.id,
    check.env,
    check.target,
    check.status,
    check.reason ?? '',
    check.exitCode ?? '',
  ]);
  const header = ['check', 'env', 'target', 'status', 'reason', 'exit'];
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => String(row[i]).slice(0, 60).length)),
  );
  for (const row of [header, ...rows]) {
    console.log(
      `    ${row.map((cell, i) => String(cell).slice(0, 60).padEnd(widths[i])).join('  ')}`,
    );
  }
}

function git(cwd, args) {
  const result = spawnSync('git', args, { cwd, stdio: ['ignore', 'ignore', 'inherit'] });
  if (result.status !== 0) throw new Error(`demo: git ${args.join(' ')} failed`);
}

main();
