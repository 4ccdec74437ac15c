import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import type { ReleaseConfig } from '../config/release-config';
import { runProcess } from '../io/run-process';
import type { Ledger } from '../ledger/ledger';
import { fileStore } from '../ledger/file-store';
import { readLedger, readRunRecord, writeLedger } from '../ledger/ledger-file';
import { buildPlan } from '../plan/build-plan';
import { makeConfig } from '../test-support/make-config';
import { makeRedactor } from '../test-support/make-redactor';
import type { LedgerStore } from '../ledger/ledger-store';
import { runPlan } from './run-plan';
import { PLAIN } from '../core/style';

const node = process.execPath;
// A post-deploy command that prints its environment and exits with $EXIT_<ENV> (default 0).
const postDeploy = [
  node,
  '-e',
  'console.log("migrate", process.env.RELEASE_APP); process.exit(Number(process.env["EXIT_" + process.env.RELEASE_ENV] ?? 0))',
];
const devops = {
  platform: 'local',
  qa_app: 'shop-qa',
  prod_app: 'shop',
  post_deploy_cmd: postDeploy,
  deploy_cmd: {
    qa: [node, '-e', 'console.log("deploy {app} {sha}")'],
    prod: [node, '-e', 'console.log("deploy {app}")'],
  },
};

// Runs a stage for real in a temp workspace, keeping every ledger version written.
async function run(
  config: ReleaseConfig,
  extra: {
    env?: Record<string, string>;
    signal?: AbortSignal;
    stepSummaryFile?: string;
    // An output that marks where each step's lines begin and end (as a CI log folds them).
    folds?: boolean;
  } = {},
) {
  const lines = { out: [] as string[], err: [] as string[] };
  const folds = extra.folds && {
    openStep: (header: string) => lines.out.push(`<open ${header}>`),
    closeStep: (result: string, failed: string) =>
      lines.out.push(`<close ${result}${failed ? ` | ${JSON.stringify(failed)}` : ''}>`),
  };
  const writes: Ledger[] = [];
  // Every file the run reads through its store, relative to the workspace root.
  const reads: string[] = [];
  const store: LedgerStore = {
    ...fileStore,
    read: (file) => {
      reads.push(path.relative(config.workspaceRoot, file));
      return fileStore.read(file);
    },
    readRecord: (file, owner) => {
      reads.push(path.relative(config.workspaceRoot, file));
      return fileStore.readRecord(file, owner);
    },
    write: async (file, ledger) => {
      writes.push(structuredClone(ledger) as Ledger);
      await writeLedger(file, ledger);
    },
  };
  const sink = new PassThrough();
  sink.resume();
  const env = { PATH: process.env.PATH, ...extra.env };
  const success = await runPlan({
    plan: buildPlan(config),
    target: config.target,
    workspaceRoot: config.workspaceRoot,
    outputDir: config.outputDir,
    resume: config.resume,
    output: {
      out: (text) => lines.out.push(text),
      err: (text) => lines.err.push(text),
      ...folds,
    },
    store,
    redact: makeRedactor(config.devops.redactEnv, env),
    style: PLAIN,
    now: () => new Date(),
    ...(extra.stepSummaryFile && { stepSummaryFile: extra.stepSummaryFile }),
    step: {
      project: config.project,
      releaseId: config.releaseId,
      env,
      signal: extra.signal ?? new AbortController().signal,
      stdout: sink,
      stderr: sink,
      run: runProcess,
      announce: (line) => lines.out.push(line),
    },
  });
  const ledger = await readLedger(
    path.join(config.workspaceRoot, config.outputDir, 'checks_run.json'),
  );
  if (ledger.kind !== 'ok') throw new Error(`ledger ${ledger.kind}`);
  return { success, lines, writes, reads, ledger: ledger.ledger };
}

const summary = (ledger: Ledger) =>
  ledger.checks.map((check) => [check.id, check.status, check.reason]);

describe('runPlan', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'nxrd-run-'));
  });
  const config = (
    stage: 'prepare' | 'ship',
    options: Record<string, unknown> = {},
    more: Partial<Parameters<typeof makeConfig>[0]> = {},
  ) => makeConfig({ stage, devops, options, workspaceRoot: root, ...more });

  it('runs prepare, records every step ok, and writes the ledger before and after each step', async () => {
    const result = await run(config('prepare'));
    expect(result.success).toBe(true);
    expect(result.ledger.status).toBe('ok');
    expect(summary(result.ledger)).toEqual([
      ['deploy', 'ok', null],
      ['post_deploy', 'ok', null],
    ]);
    expect(result.ledger.checks[1]).toMatchObject({
      exitCode: 0,
      outputTail: 'migrate shop-qa\n',
      argv: postDeploy,
      env: 'qa',
      target: 'shop-qa',
    });
    expect(
      result.writes.map((ledger) => [ledger.status, ...ledger.checks.map((check) => check.status)]),
    ).toEqual([
      ['running'],
      ['running', 'running'],
      ['running', 'ok'],
      ['running', 'ok', 'running'],
      ['running', 'ok', 'ok'],
      ['ok', 'ok', 'ok'],
    ]);
    expect(result.lines.out.at(-1)).toBe(
      'prepare of shop (release a1b2c3d) succeeded: 2 ok. Ledger: dist/release/shop/prepare/checks_run.json',
    );
  });

  it('aborts at the first failure with one ABORTED line, recording the exit code', async () => {
    const result = await run(config('prepare'), { env: { EXIT_qa: '7' } });
    expect(result.success).toBe(false);
    expect(result.ledger.status).toBe('failed');
    expect(summary(result.ledger)).toEqual([
      ['deploy', 'ok', null],
      ['post_deploy', 'failed', 'exit code 7'],
    ]);
    expect(result.ledger.checks[1]?.exitCode).toBe(7);
    expect(result.lines.err).toEqual([
      'ABORTED: prepare of shop (release a1b2c3d) stopped at step post_deploy on shop-qa: exit code 7; 0 steps did not run. To continue once the cause is fixed: nx run shop:release-prepare --resume (ledger: dist/release/shop/prepare/checks_run.json)',
    ]);
  });

  it("marks each step's lines for an output that folds them, with a failed step's tail", async () => {
    const result = await run(config('prepare'), { env: { EXIT_qa: '7' }, folds: true });
    expect(result.lines.out.filter((line) => line.startsWith('<'))).toEqual([
      '<open [1/2] deploy · qa · shop-qa>',
      expect.stringMatching(/^<close {3}ok \([^)]+\)>$/),
      '<open [2/2] post_deploy · qa · shop-qa>',
      expect.stringMatching(/^<close {3}FAILED: exit code 7 \([^)]+\) \| "migrate shop-qa\\n">$/),
    ]);
  });

  it('writes junit.xml beside the ledger and appends the job summary when asked', async () => {
    const summary = path.join(root, 'step-summary.md');
    writeFileSync(summary, '# earlier step\n');
    const result = await run(config('prepare'), {
      env: { EXIT_qa: '4' },
      stepSummaryFile: summary,
    });
    const junit = readFileSync(path.join(root, 'dist/release/shop/prepare/junit.xml'), 'utf8');
    expect(junit).toContain('<failure message="exit code 4" type="failed">');
    expect(junit).toContain('tests="2" failures="1"');
    expect(readFileSync(summary, 'utf8')).toMatch(
      /^# earlier step\n### ❌ nx-release-deploy: prepare of shop failed\n/,
    );
    expect(result.lines.out.join('\n')).toMatch(
      /\n {2}post_deploy {2}qa {3}shop-qa {2}failed {2}\d+\.\ds {2}exit code 4(\n|$)/,
    );
  });

  it('does not run the steps after a failure, and counts them', async () => {
    const failingDeploy = { ...devops, deploy_cmd: { qa: [node, '-e', 'process.exit(3)'] } };
    const result = await run(
      makeConfig({ stage: 'prepare', devops: failingDeploy, workspaceRoot: root }),
    );
    expect(summary(result.ledger)).toEqual([['deploy', 'failed', 'exit code 3']]);
    expect(result.lines.out.join('\n')).not.toContain('migrate');
    expect(result.lines.err).toEqual([
      'ABORTED: prepare of shop (release a1b2c3d) stopped at step deploy on shop-qa: exit code 3; 1 step did not run (post_deploy). To continue once the cause is fixed: nx run shop:release-prepare --resume (ledger: dist/release/shop/prepare/checks_run.json)',
    ]);
  });

  it('ships only after the same release was prepared, and refuses otherwise without touching prod', async () => {
    const refused = await run(config('ship'));
    expect(refused.success).toBe(false);
    expect(summary(refused.ledger)).toEqual([
      ['gate', 'failed', 'no prepare ledger: run release-prepare for release a1b2c3d first'],
    ]);
    expect(refused.lines.err[0]).toMatch(
      /^ABORTED: ship of shop .* stopped at step gate .*; 2 steps did not run \(deploy, post_deploy\)\. Ledger: dist\/release\/shop\/ship\/checks_run\.json$/,
    );

    await run(config('prepare'));
    const shipped = await run(config('ship'));
    expect(shipped.success).toBe(true);
    expect(summary(shipped.ledger)).toEqual([
      ['gate', 'ok', 'release a1b2c3d prepared; post-deploy command proven on QA'],
      ['deploy', 'ok', null],
      ['post_deploy', 'ok', null],
    ]);

    const otherRelease = await run(config('ship', {}, { releaseId: 'b2c3d4e' }));
    expect(summary(otherRelease.ledger)[0]).toEqual([
      'gate',
      'failed',
      'release b2c3d4e was not prepared (the prepare ledger is for a1b2c3d): run release-prepare for release b2c3d4e first',
    ]);
  });

  it("reads its own ledger and run record, then the gate reads prepare's, all through its store", async () => {
    await run(config('prepare'));
    const shipped = await run(config('ship'));
    expect(shipped.success).toBe(true);
    expect(shipped.reads).toEqual([
      'dist/release/shop/ship/checks_run.json',
      'dist/release/shop/runs/ship.json',
      'dist/release/shop/prepare/checks_run.json',
      'dist/release/shop/runs/prepare.json',
    ]);
  });

  it('refuses to ship after a failed prepare', async () => {
    await run(config('prepare'), { env: { EXIT_qa: '5' } });
    const result = await run(config('ship'));
    expect(summary(result.ledger)).toEqual([
      [
        'gate',
        'failed',
        'the prepare of release a1b2c3d ended failed: fix it and run release-prepare again',
      ],
    ]);
  });

  it('resumes after a prod failure: only the failed step runs again', async () => {
    await run(config('prepare'));
    const failed = await run(config('ship'), { env: { EXIT_prod: '9' } });
    expect(summary(failed.ledger).at(-1)).toEqual(['post_deploy', 'failed', 'exit code 9']);
    const resumed = await run(config('ship', { resume: true }));
    expect(resumed.success).toBe(true);
    expect(summary(resumed.ledger)).toEqual([
      ['gate', 'ok', 'release a1b2c3d prepared; post-deploy command proven on QA'],
      ['deploy', 'skipped', 'resumed'],
      ['post_deploy', 'ok', null],
    ]);
    // The first write already holds the resumed step, so a kill at any instant keeps it.
    expect(summary(resumed.writes[0] as Ledger)).toEqual([['deploy', 'skipped', 'resumed']]);
    expect(summary(resumed.writes[1] as Ledger).map(([id]) => id)).toEqual(['gate', 'deploy']);
  });

  it('leaves the ledger untouched when --resume finds the release already done', async () => {
    const first = await run(config('prepare'));
    const again = await run(config('prepare', { resume: true }));
    expect(again.success).toBe(true);
    expect(again.writes).toEqual([]);
    expect(again.ledger).toEqual(first.ledger);
    expect(again.lines.out).toEqual([
      'Nothing to resume: prepare of shop (release a1b2c3d) already succeeded; dist/release/shop/prepare/checks_run.json is unchanged.',
    ]);
  });

  it('re-runs a step left running by a killed process, and says so', async () => {
    await run(config('prepare'));
    const died = await run(config('ship'));
    const running: Ledger = {
      ...died.ledger,
      status: 'running',
      finishedAt: null,
      checks: died.ledger.checks.map((check) =>
        check.id === 'post_deploy' ? { ...check, status: 'running', finishedAt: null } : check,
      ),
    };
    await writeLedger(path.join(root, 'dist/release/shop/ship/checks_run.json'), running);
    const resumed = await run(config('ship', { resume: true }));
    expect(resumed.lines.out).toContain(
      'Step post_deploy was left running by a run that did not finish: its outcome is unknown, so it runs again.',
    );
    expect(summary(resumed.ledger)).toEqual([
      ['gate', 'ok', 'release a1b2c3d prepared; post-deploy command proven on QA'],
      ['deploy', 'skipped', 'resumed'],
      ['post_deploy', 'ok', null],
    ]);
  });

  // What Nx does on a cache hit: the outputs get an earlier run's ledger back.
  it('follows the newest prepare of the release, not an earlier ledger put back over it', async () => {
    const ledgerFile = path.join(root, 'dist/release/shop/prepare/checks_run.json');
    await run(config('prepare'));
    const earlier = readFileSync(ledgerFile, 'utf8');
    await run(config('prepare'), { env: { EXIT_qa: '5' } });
    writeFileSync(ledgerFile, earlier);

    const refused = await run(config('ship'));

    expect(summary(refused.ledger)).toEqual([
      [
        'gate',
        'failed',
        'the newest prepare of release a1b2c3d ended failed (recorded in dist/release/shop/runs/prepare.json, whatever ledger the Nx cache restored): fix it, then run nx run shop:release-prepare --resume --skip-nx-cache',
      ],
    ]);
    const resumed = await run(config('prepare', { resume: true }));
    expect(resumed.lines.out[0]).toBe(
      'Resuming the newest run of this release, recorded in dist/release/shop/runs/prepare.json (dist/release/shop/prepare/checks_run.json holds an earlier run, or none).',
    );
    expect(summary(resumed.ledger)).toEqual([
      ['deploy', 'skipped', 'resumed'],
      ['post_deploy', 'ok', null],
    ]);
    expect((await run(config('ship'))).success).toBe(true);
  }, 30_000);

  it('keeps the newest run of each release in the run record, beside the outputs', async () => {
    await run(config('prepare'));
    await run(config('prepare', {}, { releaseId: 'b2c3d4e' }), { env: { EXIT_qa: '5' } });
    const record = await readRunRecord(path.join(root, 'dist/release/shop/runs/prepare.json'), {
      project: 'shop',
      stage: 'prepare',
    });
    expect(
      record.kind === 'ok' &&
        record.record.runs.map((entry) => [entry.ledger.releaseId, entry.ledger.status]),
    ).toEqual([
      ['b2c3d4e', 'failed'],
      ['a1b2c3d', 'ok'],
    ]);
  });

  it('writes back the ledger of the newest run when --resume finds it already done', async () => {
    const first = await run(config('prepare'));
    rmSync(path.join(root, 'dist/release/shop/prepare'), { recursive: true });
    const again = await run(config('prepare', { resume: true }));
    expect(again.ledger).toEqual(first.ledger);
    expect(again.lines.out).toEqual([
      'Nothing to resume: prepare of shop (release a1b2c3d) already succeeded (its newest run, recorded in dist/release/shop/runs/prepare.json); its ledger is written back to dist/release/shop/prepare/checks_run.json.',
    ]);
  });

  it('moves a damaged run record aside and starts a new one; the gate refuses it meanwhile', async () => {
    await run(config('prepare'));
    const recordFile = path.join(root, 'dist/release/shop/runs/prepare.json');
    writeFileSync(recordFile, '{');
    const refused = await run(config('ship'));
    expect(summary(refused.ledger)).toEqual([
      [
        'gate',
        'failed',
        'the run record dist/release/shop/runs/prepare.json is not valid JSON: run nx run shop:release-prepare --skip-nx-cache to prepare release a1b2c3d again (it moves the damaged record aside)',
      ],
    ]);
    const again = await run(config('prepare'));
    expect(again.lines.out[0]).toMatch(
      /^The run record dist\/release\/shop\/runs\/prepare\.json is not valid JSON; it is moved to dist\/release\/shop\/runs\/prepare\.json\.damaged-.+ and a new one is started\.$/,
    );
    expect((await run(config('ship'))).success).toBe(true);
  });

  // Each case: the same command once masked, with QA's secret and with another one.
  describe.each([
    ['a URL password', 'postgres://app:first-pass@db/shop', 'postgres://app:other-pass@db/shop'],
    [
      'a UUID',
      'tenant=0f8fad5b-d9cb-469f-a165-70867728950e',
      'tenant=7c9e6679-7425-40de-944b-e07fc1f90ae7',
    ],
    ['a redact_env value', 'key=first-secret', 'key=other-secret'],
  ])('commands that differ only inside %s', (_name, mine, other) => {
    const keys = { KEY_ONE: 'first-secret', KEY_TWO: 'other-secret' };
    const withSecrets = (extra: Record<string, unknown>) => ({
      ...devops,
      redact_env: Object.keys(keys),
      ...extra,
    });
    const prepare = (extra: Record<string, unknown>, options: Record<string, unknown> = {}) =>
      makeConfig({ stage: 'prepare', devops: withSecrets(extra), options, workspaceRoot: root });

    it('are not proven on QA: the gate refuses prod', async () => {
      await run(prepare({ post_deploy_cmd: [...postDeploy, mine] }), { env: keys });
      // The configuration changed after QA proved it: ship inherits the new command.
      const ship = (arg: string) =>
        makeConfig({
          stage: 'ship',
          devops: withSecrets({ post_deploy_cmd: [...postDeploy, arg] }),
          workspaceRoot: root,
        });

      const refused = await run(ship(other), { env: keys });

      expect(summary(refused.ledger)).toEqual([
        [
          'gate',
          'failed',
          expect.stringContaining(
            'is not the one configured now (the two are equal only with their secrets masked): run release-prepare again to prove it',
          ),
        ],
      ]);
      expect((await run(ship(mine), { env: keys })).success).toBe(true);
    }, 30_000);

    it('are not the same step on --resume: it runs again', async () => {
      const deploy = (arg: string) => ({
        deploy_cmd: { qa: [node, '-e', 'process.exit(0)', arg] },
      });
      const failQa = { env: { ...keys, EXIT_qa: '5' } };
      await run(prepare(deploy(mine)), failQa);
      const same = await run(prepare(deploy(mine), { resume: true }), failQa);
      expect(summary(same.ledger)[0]).toEqual(['deploy', 'skipped', 'resumed']);

      const changed = await run(prepare(deploy(other), { resume: true }), { env: keys });

      expect(changed.lines.out[0]).toBe(
        'Step deploy succeeded before with another command; it runs again.',
      );
      expect(summary(changed.ledger)[0]).toEqual(['deploy', 'ok', null]);
      expect(changed.ledger.checks[0]?.argvDigest).toMatch(/^scrypt:N=32768,r=8,p=1:/);
    }, 30_000);
  });

  it('runs a custom publish entry again on --resume when its publish_cmd changed', async () => {
    const gem = (word: string): ReleaseConfig['publish'] => [
      {
        kind: 'custom',
        name: 'gem',
        check: [node, '-e', 'process.exit(1)'],
        publish: [node, '-e', `console.log("${word}")`],
      },
    ];
    await run(config('prepare'));
    await run(config('ship', {}, { publish: gem('first') }), { env: { EXIT_prod: '9' } });

    const changed = await run(config('ship', { resume: true }, { publish: gem('second') }));

    expect(summary(changed.ledger)[1]).toEqual(['publish:gem', 'ok', null]);
    expect(changed.ledger.checks[1]?.outputTail).toContain('second\n');
    await run(config('ship', {}, { publish: gem('first') }), { env: { EXIT_prod: '9' } });
    const same = await run(config('ship', { resume: true }, { publish: gem('first') }));
    expect(summary(same.ledger)[1]).toEqual(['publish:gem', 'skipped', 'resumed']);
    expect(same.ledger.checks[1]?.argv).toEqual([node, '-e', 'console.log("first")']);
  }, 30_000);

  it('refuses --resume from a damaged ledger, and moves it aside on a plain run', async () => {
    const ledgerFile = path.join(root, 'dist/release/shop/prepare/checks_run.json');
    mkdirSync(path.dirname(ledgerFile), { recursive: true });
    writeFileSync(ledgerFile, '{"schemaVersion": 2}');
    await expect(run(config('prepare', { resume: true }))).rejects.toThrow(
      'Cannot resume shop:release-prepare: the ledger dist/release/shop/prepare/checks_run.json has schemaVersion 2 (expected 1). Run without --resume',
    );
    expect(readFileSync(ledgerFile, 'utf8')).toBe('{"schemaVersion": 2}');
    const plain = await run(config('prepare'));
    expect(plain.success).toBe(true);
    const aside = readdirSync(path.dirname(ledgerFile)).filter((name) =>
      name.startsWith('checks_run.json.damaged-'),
    );
    expect(aside).toHaveLength(1);
    expect(readFileSync(path.join(path.dirname(ledgerFile), aside[0] as string), 'utf8')).toBe(
      '{"schemaVersion": 2}',
    );
    expect(plain.lines.out[0]).toBe(
      'The ledger dist/release/shop/prepare/checks_run.json has schemaVersion 2 (expected 1); it is moved aside and the stage starts fresh.',
    );
  });

  it('records a timeout as timed_out with the output tail, and the stage as failed', async () => {
    const slow = {
      ...devops,
      post_deploy_timeout: 1,
      post_deploy_cmd: [node, '-e', 'console.log("working"); setTimeout(() => {}, 60000)'],
    };
    const result = await run(makeConfig({ stage: 'prepare', devops: slow, workspaceRoot: root }));
    expect(result.ledger.status).toBe('failed');
    expect(result.ledger.checks[1]).toMatchObject({
      status: 'timed_out',
      reason: 'timed out after 1s',
      outputTail: 'working\n',
    });
    expect(result.lines.err[0]).toContain(
      'stopped at step post_deploy on shop-qa: timed out after 1s; 0 steps did not run.',
    );
  });

  it('records an interrupt as interrupted, for the step and the stage', async () => {
    const controller = new AbortController();
    const slow = {
      ...devops,
      post_deploy_cmd: [node, '-e', 'console.log("working"); setTimeout(() => {}, 60000)'],
    };
    setTimeout(() => controller.abort('SIGINT'), 700);
    const result = await run(makeConfig({ stage: 'prepare', devops: slow, workspaceRoot: root }), {
      signal: controller.signal,
    });
    expect(result.success).toBe(false);
    expect(result.ledger.status).toBe('interrupted');
    expect(result.ledger.checks[1]).toMatchObject({
      status: 'interrupted',
      reason: 'interrupted by SIGINT',
    });
    expect(result.lines.err[0]).toContain(
      'stopped at step post_deploy on shop-qa: interrupted by SIGINT',
    );
  });

  it('names a missing binary with how to install it', async () => {
    const missing = {
      ...devops,
      deploy_cmd: {},
      post_deploy_cmd: 'no-such-migrate-binary db:migrate',
    };
    const result = await run(
      makeConfig({ stage: 'prepare', devops: missing, workspaceRoot: root }),
    );
    expect(result.ledger.checks[0]).toMatchObject({
      status: 'failed',
      reason: 'command not found: no-such-migrate-binary',
    });
    expect(result.lines.err[0]).toBe(
      'Command not found: no-such-migrate-binary. Install no-such-migrate-binary, or fix the PATH the executor sees.',
    );
  });

  it('says when a script path does not exist or is not executable', async () => {
    writeFileSync(path.join(root, 'migrate.sh'), '#!/bin/sh\necho hi\n', { mode: 0o644 });
    const missing = { ...devops, deploy_cmd: {}, post_deploy_cmd: ['bin/no-such-script'] };
    const notExecutable = { ...devops, deploy_cmd: {}, post_deploy_cmd: ['./migrate.sh'] };
    const first = await run(makeConfig({ stage: 'prepare', devops: missing, workspaceRoot: root }));
    expect(first.lines.err[0]).toBe(
      'Command not found: bin/no-such-script. There is no such file relative to the workspace root (commands run there).',
    );
    const second = await run(
      makeConfig({ stage: 'prepare', devops: notExecutable, workspaceRoot: root }),
    );
    expect(second.ledger.checks[0]).toMatchObject({
      status: 'failed',
      reason: 'not executable: ./migrate.sh',
    });
    expect(second.lines.err[0]).toMatch(
      /^Not executable: \.\/migrate\.sh\. Make it executable \(chmod \+x \.\/migrate\.sh\)/,
    );
  });

  describe('rollback', () => {
    // Each deploy and rollback appends to platform.log, so the test sees what really happened.
    const log = (word: string) => [
      node,
      '-e',
      `require("fs").appendFileSync("platform.log", "${word} " + process.argv[1] + "\\n")`,
      '{app}',
    ];
    const withRollback = (extra: Record<string, unknown> = {}) => ({
      ...devops,
      deploy_cmd: { qa: log('deploy'), prod: log('deploy') },
      rollback_cmd: { qa: log('rollback'), prod: log('rollback') },
      ...extra,
    });
    const readLog = () => readFileSync(path.join(root, 'platform.log'), 'utf8').trim().split('\n');

    it('rolls the deploy back when a later step fails, and records it', async () => {
      const result = await run(
        makeConfig({ stage: 'prepare', devops: withRollback(), workspaceRoot: root }),
        { env: { EXIT_qa: '6' } },
      );
      expect(result.success).toBe(false);
      expect(summary(result.ledger)).toEqual([
        ['deploy', 'rolled_back', 'rolled back after post_deploy failed'],
        ['post_deploy', 'failed', 'exit code 6'],
        ['rollback', 'ok', null],
      ]);
      expect(result.ledger.checks[2]).toMatchObject({
        kind: 'rollback',
        env: 'qa',
        target: 'shop-qa',
      });
      expect(readLog()).toEqual(['deploy shop-qa', 'rollback shop-qa']);
      expect(result.lines.err.at(-1)).toBe(
        'ABORTED: prepare of shop (release a1b2c3d) stopped at step post_deploy on shop-qa: exit code 6; the deploy was rolled back; 0 steps did not run. To continue once the cause is fixed: nx run shop:release-prepare --resume (ledger: dist/release/shop/prepare/checks_run.json)',
      );
    });

    it('re-deploys on --resume after a rollback, and succeeds once fixed', async () => {
      await run(makeConfig({ stage: 'prepare', devops: withRollback(), workspaceRoot: root }), {
        env: { EXIT_qa: '6' },
      });
      const resumed = await run(
        makeConfig({
          stage: 'prepare',
          devops: withRollback(),
          workspaceRoot: root,
          options: { resume: true },
        }),
      );
      expect(resumed.success).toBe(true);
      expect(summary(resumed.ledger)).toEqual([
        ['deploy', 'ok', null],
        ['post_deploy', 'ok', null],
      ]);
      expect(readLog()).toEqual(['deploy shop-qa', 'rollback shop-qa', 'deploy shop-qa']);
    });

    it('says so loudly when the rollback itself fails', async () => {
      const failing = withRollback({ rollback_cmd: { qa: [node, '-e', 'process.exit(2)'] } });
      const result = await run(
        makeConfig({ stage: 'prepare', devops: failing, workspaceRoot: root }),
        { env: { EXIT_qa: '6' } },
      );
      expect(summary(result.ledger)).toEqual([
        ['deploy', 'ok', null],
        ['post_deploy', 'failed', 'exit code 6'],
        ['rollback', 'failed', 'exit code 2'],
      ]);
      expect(result.lines.err).toContain(
        `ROLLBACK FAILED (exit code 2): the release deployed to shop-qa is still live. Roll back by hand: ${node} -e 'process.exit(2)'`,
      );
      expect(result.lines.err.at(-1)).toContain(
        'exit code 6; ROLLBACK FAILED (exit code 2): the new release is still live; 0 steps did not run.',
      );
    });

    it('does not roll back when the deploy itself failed', async () => {
      const deployFails = withRollback({
        deploy_cmd: { qa: [node, '-e', 'process.exit(1)'], prod: log('deploy') },
      });
      const result = await run(
        makeConfig({ stage: 'prepare', devops: deployFails, workspaceRoot: root }),
      );
      expect(summary(result.ledger)).toEqual([['deploy', 'failed', 'exit code 1']]);
    });

    it('does not roll back a deploy that an earlier run did (skipped as resumed)', async () => {
      const failing = { post_deploy_cmd: [node, '-e', 'process.exit(4)'] };
      const { rollback_cmd: _none, ...withoutRollback } = withRollback(failing);
      await run(makeConfig({ stage: 'prepare', devops: withoutRollback, workspaceRoot: root }));
      const resumed = await run(
        makeConfig({
          stage: 'prepare',
          devops: withRollback(failing),
          workspaceRoot: root,
          options: { resume: true },
        }),
      );
      expect(summary(resumed.ledger)).toEqual([
        ['deploy', 'skipped', 'resumed'],
        ['post_deploy', 'failed', 'exit code 4'],
      ]);
      expect(readLog()).toEqual(['deploy shop-qa']);
    });

    it('rolls back after an interrupt only when configured', async () => {
      const slow = { post_deploy_cmd: [node, '-e', 'setTimeout(() => {}, 60000)'] };
      const interrupt = async (extra: Record<string, unknown>) => {
        const controller = new AbortController();
        setTimeout(() => controller.abort('SIGINT'), 500);
        return run(
          makeConfig({
            stage: 'prepare',
            devops: withRollback({ ...slow, ...extra }),
            workspaceRoot: root,
          }),
          { signal: controller.signal },
        );
      };
      const plain = await interrupt({});
      expect(summary(plain.ledger).map(([id, status]) => `${id}:${status}`)).toEqual([
        'deploy:ok',
        'post_deploy:interrupted',
      ]);
      const configured = await interrupt({ rollback_on_interrupt: true });
      expect(summary(configured.ledger).map(([id, status]) => `${id}:${status}`)).toEqual([
        'deploy:rolled_back',
        'post_deploy:interrupted',
        'rollback:ok',
      ]);
      expect(configured.ledger.status).toBe('interrupted');
    });
  });

  it('publishes only what is not live, recording live versions as skipped', async () => {
    const publish: ReleaseConfig['publish'] = [
      {
        kind: 'custom',
        name: 'live-gem',
        check: [node, '-e', 'process.exit(0)'],
        publish: [node, '-e', 'process.exit(1)'],
      },
      {
        kind: 'custom',
        name: 'new-gem',
        check: [node, '-e', 'process.exit(1)'],
        publish: [node, '-e', 'console.log("pushed")'],
      },
    ];
    await run(config('prepare'));
    const result = await run(config('ship', {}, { publish }));
    expect(summary(result.ledger)).toEqual([
      ['gate', 'ok', 'release a1b2c3d prepared; post-deploy command proven on QA'],
      ['publish:live-gem', 'skipped', 'already live'],
      ['publish:new-gem', 'ok', null],
      ['deploy', 'ok', null],
      ['post_deploy', 'ok', null],
    ]);
    expect(result.ledger.checks[2]).toMatchObject({
      argv: [node, '-e', 'console.log("pushed")'],
      outputTail: `$ ${node} -e 'process.exit(1)'\n$ ${node} -e 'console.log("pushed")'\npushed\n`,
    });
    const printed = result.lines.out.join('\n');
    expect(printed).toContain(
      `  $ ${node} -e 'process.exit(1)'\n  $ ${node} -e 'console.log("pushed")'\n  ok`,
    );
  });
});
