import type { LedgerRead } from '../ledger/parse-ledger';
import { buildPlan } from '../plan/build-plan';
import type { Step } from '../plan/plan';
import { makeConfig } from '../test-support/make-config';
import type { makeCheck } from '../test-support/make-ledger';
import { makeLedger } from '../test-support/make-ledger';
import { decideResume } from './decide-resume';
import type { CommandNow } from './same-command';

const devops = {
  qa_app: 'shop-qa',
  prod_app: 'shop',
  post_deploy_cmd: 'bin/rails db:migrate',
  deploy_cmd: { prod: 'deploy {app}' },
};
const plan = buildPlan(
  makeConfig({
    stage: 'ship',
    devops,
    publish: [{ kind: 'npm', dir: 'packages/sdk', name: 'sdk', version: '1.0.0' }],
  }),
);
const argvOf = (step: Step) =>
  step.kind === 'gate' ? [] : step.kind === 'publish' ? step.check.argv : step.command.argv;
const postDeployArgv = argvOf(plan.steps[3] as Step);
const publishStep = plan.steps[1] as Extract<Step, { kind: 'publish' }>;
// The commands of each step as they are now, none holding a secret.
const plainNow = (argv: readonly string[]): CommandNow => ({
  argv,
  secret: false,
  verifiedDigests: new Set(),
});
const commandsNow = new Map(
  plan.steps.map((step) => [
    step.id,
    step.kind === 'gate'
      ? []
      : step.kind === 'publish'
        ? [plainNow(step.check.argv), plainNow(step.publish.argv)]
        : [plainNow(step.command.argv)],
  ]),
);
const shipLedger = (
  status: 'ok' | 'failed' | 'interrupted' | 'running',
  checks: Parameters<typeof makeCheck>[0][],
) => makeLedger({ stage: 'ship', status }, checks);
const decide = (
  previous: LedgerRead,
  resume: boolean,
  more: Partial<Parameters<typeof decideResume>[0]> = {},
) =>
  decideResume({
    plan,
    previous,
    resume,
    ledgerPath: 'dist/release/shop/ship/checks_run.json',
    target: 'release-ship',
    commandsNow,
    ...more,
  });

describe('decideResume', () => {
  const failedAtPostDeploy = shipLedger('failed', [
    { id: 'gate', kind: 'gate', argv: [] },
    {
      id: 'publish:sdk@1.0.0',
      kind: 'publish',
      argv: publishStep.check.argv,
      status: 'skipped',
      reason: 'already live',
    },
    { id: 'deploy', kind: 'deploy', argv: ['deploy', 'shop'] },
    { id: 'post_deploy', argv: postDeployArgv, status: 'failed', reason: 'exit code 7' },
  ]);

  it('skips steps that succeeded with the same command, and re-runs the failed one', () => {
    const decision = decide({ kind: 'ok', ledger: failedAtPostDeploy }, true);
    expect(decision).toEqual({
      kind: 'proceed',
      resumed: new Set(['publish:sdk@1.0.0', 'deploy']),
      notes: [],
    });
  });

  it('re-runs a step left running by a process that died, and says so', () => {
    const ledger = shipLedger('running', [
      { id: 'deploy', kind: 'deploy', argv: ['deploy', 'shop'], status: 'running' },
    ]);
    expect(decide({ kind: 'ok', ledger }, true)).toEqual({
      kind: 'proceed',
      resumed: new Set(),
      notes: [
        'Step deploy was left running by a run that did not finish: its outcome is unknown, so it runs again.',
      ],
    });
  });

  it('re-runs a step that succeeded with another command', () => {
    const ledger = shipLedger('failed', [
      { id: 'deploy', kind: 'deploy', argv: ['deploy', 'old-app'] },
    ]);
    expect(decide({ kind: 'ok', ledger }, true)).toEqual({
      kind: 'proceed',
      resumed: new Set(),
      notes: ['Step deploy succeeded before with another command; it runs again.'],
    });
  });

  it('refuses to resume another release', () => {
    const ledger = makeLedger({ stage: 'ship', releaseId: 'ffff' });
    expect(decide({ kind: 'ok', ledger }, true)).toEqual({
      kind: 'refuse',
      message:
        'Cannot resume shop:release-ship: dist/release/shop/ship/checks_run.json records release ffff, not a1b2c3d. Run without --resume to release a1b2c3d from the first step.',
    });
  });

  it('refuses to resume from a damaged ledger, naming the file and what to do', () => {
    expect(decide({ kind: 'damaged', reason: 'is not valid JSON' }, true)).toEqual({
      kind: 'refuse',
      message:
        'Cannot resume shop:release-ship: the ledger dist/release/shop/ship/checks_run.json is not valid JSON. Run without --resume to start the stage afresh (the file is then kept beside it as .damaged-<time>), or restore the file.',
    });
  });

  it('treats a ledger of another project or stage as damaged', () => {
    const decision = decide({ kind: 'ok', ledger: makeLedger({ stage: 'prepare' }) }, true);
    expect(decision).toMatchObject({
      kind: 'refuse',
      message: expect.stringContaining('belongs to shop prepare, not shop ship'),
    });
  });

  it('moves a damaged ledger aside on a plain run', () => {
    expect(decide({ kind: 'damaged', reason: 'has schemaVersion 2 (expected 1)' }, false)).toEqual({
      kind: 'proceed',
      resumed: new Set(),
      notes: [
        'The ledger dist/release/shop/ship/checks_run.json has schemaVersion 2 (expected 1); it is moved aside and the stage starts fresh.',
      ],
      moveAside: 'has schemaVersion 2 (expected 1)',
    });
  });

  it('runs every step on a plain re-run, with a hint when the release was left unfinished', () => {
    expect(decide({ kind: 'ok', ledger: failedAtPostDeploy }, false)).toEqual({
      kind: 'proceed',
      resumed: new Set(),
      notes: [
        'The last run of this release ended failed at step post_deploy; running every step again. Use --resume to skip the steps that already succeeded.',
      ],
    });
  });

  it('gives no hint after a successful run, and notes a resume with nothing recorded', () => {
    expect(decide({ kind: 'ok', ledger: shipLedger('ok', []) }, false)).toEqual({
      kind: 'proceed',
      resumed: new Set(),
      notes: [],
    });
    expect(decide({ kind: 'missing' }, true)).toEqual({
      kind: 'proceed',
      resumed: new Set(),
      notes: [
        '--resume: no earlier run is recorded at dist/release/shop/ship/checks_run.json; running every step.',
      ],
    });
  });

  it('has nothing to do when the last run of this release succeeded with the same steps', () => {
    const ledger = shipLedger('ok', [
      { id: 'gate', kind: 'gate', argv: [] },
      { id: 'publish:sdk@1.0.0', kind: 'publish', argv: publishStep.publish.argv },
      { id: 'deploy', kind: 'deploy', argv: ['deploy', 'shop'] },
      { id: 'post_deploy', argv: postDeployArgv },
    ]);
    expect(decide({ kind: 'ok', ledger }, true)).toEqual({
      kind: 'complete',
      message:
        'Nothing to resume: ship of shop (release a1b2c3d) already succeeded; dist/release/shop/ship/checks_run.json is unchanged.',
    });
  });

  it('compares the real commands where a secret is masked: a digest that does not verify re-runs the step', () => {
    const digest = 'scrypt:N=32768,r=8,p=1:salt:hash';
    const masked = ['deploy', 'https://user:***@git.example.com/shop.git'];
    const ledger = shipLedger('failed', [
      { id: 'deploy', kind: 'deploy', argv: masked, argvDigest: digest },
    ]);
    const withDeploy = (now: CommandNow) => new Map([...commandsNow, ['deploy', [now]]]);
    const secretNow = (verified: string[]): CommandNow => ({
      argv: masked,
      secret: true,
      verifiedDigests: new Set(verified),
    });
    const resumed = (now: CommandNow) => {
      const decision = decide({ kind: 'ok', ledger }, true, { commandsNow: withDeploy(now) });
      return decision.kind === 'proceed' && decision.resumed.has('deploy');
    };
    expect(resumed(secretNow([digest]))).toBe(true);
    expect(resumed(secretNow([]))).toBe(false);
    expect(resumed({ ...secretNow([]), secret: false })).toBe(false);
  });

  it('compares a publish check with the command it records: the publish command, or the live check', () => {
    const published = (argv: readonly string[]) =>
      shipLedger('failed', [{ id: 'publish:sdk@1.0.0', kind: 'publish', argv }]);
    const resumed = (ledger: ReturnType<typeof shipLedger>) => {
      const decision = decide({ kind: 'ok', ledger }, true);
      return decision.kind === 'proceed' && decision.resumed.has('publish:sdk@1.0.0');
    };
    expect(resumed(published(publishStep.publish.argv))).toBe(true);
    expect(resumed(published(publishStep.check.argv))).toBe(true);
    expect(resumed(published(['npm', 'publish', './packages/old-sdk']))).toBe(false);
  });

  it('says when it resumes the newest run from the run record, and writes back a finished one', () => {
    const recordPath = 'dist/release/shop/runs/ship.json';
    expect(decide({ kind: 'ok', ledger: failedAtPostDeploy }, true, { recordPath })).toMatchObject({
      kind: 'proceed',
      notes: [
        'Resuming the newest run of this release, recorded in dist/release/shop/runs/ship.json (dist/release/shop/ship/checks_run.json holds an earlier run, or none).',
      ],
    });
    const done = shipLedger('ok', [
      { id: 'publish:sdk@1.0.0', kind: 'publish', argv: publishStep.publish.argv },
      { id: 'deploy', kind: 'deploy', argv: ['deploy', 'shop'] },
      { id: 'post_deploy', argv: postDeployArgv },
    ]);
    expect(decide({ kind: 'ok', ledger: done }, true, { recordPath })).toEqual({
      kind: 'complete',
      message:
        'Nothing to resume: ship of shop (release a1b2c3d) already succeeded (its newest run, recorded in dist/release/shop/runs/ship.json); its ledger is written back to dist/release/shop/ship/checks_run.json.',
    });
  });

  it('never skips the gate', () => {
    const ledger = shipLedger('failed', [{ id: 'gate', kind: 'gate', argv: [] }]);
    const decision = decide({ kind: 'ok', ledger }, true);
    expect(decision.kind === 'proceed' && decision.resumed.has('gate')).toBe(false);
  });
});
