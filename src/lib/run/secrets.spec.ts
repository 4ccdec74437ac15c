import type { ExecutorContext } from '@nx/devkit';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runStage } from './run-stage';

/**
 * Secrets never reach the terminal, the ledger or a report (README "Guarantees, and their limits").
 * Secrets are fed through every path (command tokens, a URL password, env values the commands
 * print, a failure reason) and every output is searched for them: plugin lines, the commands' live
 * output, the dry-run text, checks_run.json, junit.xml and the job summary.
 */
const SECRETS = {
  DATABASE_URL: 'postgres://app:db-pa55word-xyz@db.internal:5432/shop',
  HEROKU_API_KEY: 'HRKU-AAbbCCdd_0123456789-secretkeyvalue',
  NPM_TOKEN: 'npm_abcdefghijklmnopqrstuvwxyz0123456789',
  SHOP_SIGNING_KEY: 'sk-live-7f3a9c1e2b4d6f80',
};
const URL_PASSWORD = 'hunter2-url-pass';
const node = process.execPath;
const printAll =
  'for (const k of ["DATABASE_URL","HEROKU_API_KEY","NPM_TOKEN","SHOP_SIGNING_KEY"]) console.log(k + "=" + process.env[k])';
const devops = {
  platform: 'local',
  qa_app: 'shop-qa',
  prod_app: 'shop',
  redact_env: ['DATABASE_URL', 'SHOP_SIGNING_KEY'],
  deploy_cmd: {
    qa: [
      node,
      '-e',
      printAll,
      `https://deploy:${URL_PASSWORD}@git.example.com/shop.git`,
      SECRETS.SHOP_SIGNING_KEY,
    ],
    prod: [
      node,
      '-e',
      `${printAll}; console.error("Authorization: Bearer " + process.env.NPM_TOKEN)`,
    ],
  },
  post_deploy_cmd: [
    node,
    '-e',
    `${printAll}; process.exit(process.env.RELEASE_ENV === "prod" ? 9 : 0)`,
    SECRETS.HEROKU_API_KEY,
  ],
};

function makeContext(
  root: string,
  targetName: string,
  options: Record<string, unknown> = { devops },
): ExecutorContext {
  return {
    root,
    cwd: root,
    isVerbose: false,
    projectName: 'shop',
    targetName,
    projectsConfigurations: {
      version: 2,
      projects: {
        shop: { root: 'apps/shop', targets: { 'release-prepare': { options } } },
      },
    },
    nxJsonConfiguration: {},
    projectGraph: { nodes: {}, dependencies: {} },
  } as ExecutorContext;
}

// Runs a stage the way the executor does, collecting everything it prints.
async function runCollecting(
  root: string,
  stage: 'prepare' | 'ship',
  options: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  targetOptions?: Record<string, unknown>,
) {
  let printed = '';
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  const output = {
    out: (text: string) => (printed += `${text}\n`),
    err: (text: string) => (printed += `${text}\n`),
  };
  const result = await runStage(
    stage,
    { releaseId: 'r1', ...options },
    makeContext(root, `release-${stage}`, targetOptions),
    {
      output,
      env,
      stdout: stream,
      stderr: stream,
    },
  );
  return { result, printed };
}

function readEverything(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => readFileSync(path.join(entry.parentPath, entry.name), 'utf8'))
    .join('\n');
}

describe('secrets', () => {
  it('never appear in anything printed or written, on success, failure and dry run', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'nxrd-secrets-'));
    const summary = path.join(root, 'summary.md');
    writeFileSync(summary, '');
    const env = { PATH: process.env.PATH, ...SECRETS, GITHUB_STEP_SUMMARY: summary };
    const dry = await runCollecting(root, 'ship', { dryRun: true }, env);
    const prepare = await runCollecting(root, 'prepare', { devops }, env);
    const ship = await runCollecting(root, 'ship', {}, env);
    expect([dry.result, prepare.result, ship.result]).toEqual([
      { success: true },
      { success: true },
      { success: false },
    ]);
    const everything = [dry.printed, prepare.printed, ship.printed, readEverything(root)].join(
      '\n',
    );
    expect(everything).toContain('DATABASE_URL=***');
    expect(everything).toContain('Authorization: Bearer ***');
    expect(everything).toContain('https://deploy:***@git.example.com/shop.git');
    expect(readFileSync(path.join(root, 'dist/release/shop/ship/junit.xml'), 'utf8')).toContain(
      'HEROKU_API_KEY=***',
    );
    for (const secret of [...Object.values(SECRETS), URL_PASSWORD]) {
      expect(everything).not.toContain(secret);
    }
  });
});

/**
 * A secret is masked however the command's output is chunked: a value written in two pieces
 * with a quiet moment between them (longer than the stream waits for an open line), and a
 * multi-line key whose lines arrive in separate reads, on stdout and on stderr. Nothing of
 * either may show on the terminal, in the ledger's output tail or in junit.xml.
 */
describe('secrets written in pieces', () => {
  const SPLIT_KEY = 'sk-live-9d8c7b6a5f4e3d2c1b0a';
  const TLS_KEY = [
    '-----BEGIN TEST PRIVATE KEY-----',
    'MIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu',
    'KUpRKfFLfRYC9AIKjbJTWit+CqvjWYzvQwECAwEAAQJAIJLixBy2qpFoS4DSmoEm',
    '-----END TEST PRIVATE KEY-----',
  ].join('\n');
  // Each write is its own read: the command waits 400 ms between them.
  const script = [
    'const pause = () => new Promise((resolve) => setTimeout(resolve, 400));',
    'const key = process.env.SPLIT_KEY, tls = process.env.TLS_KEY;',
    '(async () => {',
    '  process.stdout.write("key=" + key.slice(0, 8)); await pause();',
    '  process.stdout.write(key.slice(8) + "\\n");',
    '  process.stderr.write("tls:\\n" + tls.slice(0, 50)); await pause();',
    '  process.stderr.write(tls.slice(50, 120)); await pause();',
    '  process.stderr.write(tls.slice(120) + "\\nfailed\\n");',
    '  process.exit(3);',
    '})();',
  ].join('\n');
  const pieces = {
    platform: 'local',
    qa_app: 'shop-qa',
    prod_app: 'shop',
    redact_env: ['SPLIT_KEY', 'TLS_KEY'],
    deploy_cmd: { qa: [node, '-e', script], prod: [node, '-e', 'true'] },
    post_deploy_cmd: [node, '-e', 'true'],
  };

  it('never appear on the terminal, in the output tail or in junit.xml', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'nxrd-secrets-pieces-'));
    const env = { PATH: process.env.PATH, SPLIT_KEY, TLS_KEY };
    const run = await runCollecting(root, 'prepare', { devops: pieces }, env, { devops: pieces });
    expect(run.result).toEqual({ success: false });
    const ledger = readFileSync(
      path.join(root, 'dist/release/shop/prepare/checks_run.json'),
      'utf8',
    );
    const junit = readFileSync(path.join(root, 'dist/release/shop/prepare/junit.xml'), 'utf8');
    const tails = (JSON.parse(ledger) as { checks: { outputTail: string }[] }).checks
      .map((check) => check.outputTail)
      .join('\n');
    // Every piece of either secret that a cut could leave in clear.
    const fragments = [
      SPLIT_KEY.slice(0, 8),
      SPLIT_KEY.slice(8),
      ...TLS_KEY.split('\n').map((line) => line.slice(0, 20)),
    ];
    const report = (text: string) => ({
      masked: text.includes('key=***') && text.includes('tls:\n***'),
      shown: fragments.filter((fragment) => text.includes(fragment)),
    });
    const clean = { masked: true, shown: [] };
    expect({
      terminal: report(run.printed),
      outputTail: report(tails),
      junit: report(junit),
    }).toEqual({ terminal: clean, outputTail: clean, junit: clean });
  });
});
