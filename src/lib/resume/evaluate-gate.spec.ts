import type { LedgerRead } from '../ledger/parse-ledger';
import { makeCheck, makeLedger } from '../test-support/make-ledger';
import { evaluateGate } from './evaluate-gate';
import type { CommandNow } from './same-command';

const proven: CommandNow = { argv: makeCheck({}).argv, secret: false, verifiedDigests: new Set() };
const expected = {
  project: 'shop',
  releaseId: 'a1b2c3d',
  prepareTarget: 'release-prepare',
  proven,
};
const ok = (
  ledger = makeLedger({}, [{ id: 'deploy', kind: 'deploy', argv: ['deploy'] }, {}]),
): LedgerRead => ({ kind: 'ok', ledger });

describe('evaluateGate', () => {
  it.each<[string, LedgerRead, string]>([
    [
      'no ledger',
      { kind: 'missing' },
      'no prepare ledger: run release-prepare for release a1b2c3d first',
    ],
    [
      'a damaged ledger',
      { kind: 'damaged', reason: 'is not valid JSON' },
      'the prepare ledger is not valid JSON: run release-prepare for release a1b2c3d first',
    ],
    [
      'another project',
      ok(makeLedger({ project: 'admin' })),
      'the prepare ledger belongs to admin prepare: run release-prepare for release a1b2c3d first',
    ],
    [
      'another release',
      ok(makeLedger({ releaseId: 'ffff' }, [{}])),
      'release a1b2c3d was not prepared (the prepare ledger is for ffff): run release-prepare for release a1b2c3d first',
    ],
    [
      'a failed prepare',
      ok(makeLedger({ status: 'failed' }, [{ status: 'failed' }])),
      'the prepare of release a1b2c3d ended failed: fix it and run release-prepare again',
    ],
    [
      'an interrupted prepare',
      ok(makeLedger({ status: 'interrupted' }, [{ status: 'interrupted' }])),
      'the prepare of release a1b2c3d ended interrupted: fix it and run release-prepare again',
    ],
    [
      'a prepare still running',
      ok(makeLedger({ status: 'running' }, [{ status: 'running' }])),
      'the prepare of release a1b2c3d has not finished (it is still running, or its process was killed): wait for it, or run release-prepare --resume',
    ],
    [
      'no post_deploy check',
      ok(makeLedger({}, [{ id: 'deploy', kind: 'deploy' }])),
      'the post-deploy command never succeeded on QA for release a1b2c3d: run release-prepare for release a1b2c3d first',
    ],
    [
      'another post-deploy command',
      ok(
        makeLedger({}, [
          {
            argv: ['heroku', 'run', '--app=shop-qa', '--', 'rake db:seed'],
            command: 'heroku run -- rake db:seed',
          },
        ]),
      ),
      'the post-deploy command proven on QA (heroku run -- rake db:seed) is not the one configured now: run release-prepare again to prove it',
    ],
  ])('refuses %s', (_name, read, reason) => {
    expect(evaluateGate(read, expected)).toEqual({ ok: false, reason });
  });

  it('passes the same release with the same post-deploy command proven on QA', () => {
    expect(evaluateGate(ok(), expected)).toEqual({
      ok: true,
      reason: 'release a1b2c3d prepared; post-deploy command proven on QA',
    });
  });

  it('accepts a post-deploy check skipped as resumed (it was ok in the run before)', () => {
    const read = ok(makeLedger({}, [{ status: 'skipped', reason: 'resumed' }]));
    expect(evaluateGate(read, expected).ok).toBe(true);
  });

  it('does not accept a post-deploy check skipped for another reason', () => {
    const read = ok(makeLedger({}, [{ status: 'skipped', reason: 'already live' }]));
    expect(evaluateGate(read, expected).ok).toBe(false);
  });

  it.each<[string, LedgerRead, string]>([
    [
      'a newer failed run',
      ok(makeLedger({ status: 'failed' }, [{ status: 'failed' }])),
      'the newest prepare of release a1b2c3d ended failed (recorded in dist/release/shop/runs/prepare.json, whatever ledger the Nx cache restored): fix it, then run nx run shop:release-prepare --resume --skip-nx-cache',
    ],
    [
      'a newer run that never finished',
      ok(makeLedger({ status: 'running' }, [{ status: 'running' }])),
      'the newest prepare of release a1b2c3d has not finished (recorded in dist/release/shop/runs/prepare.json, whatever ledger the Nx cache restored; it is still running, or its process was killed): wait for it, or run nx run shop:release-prepare --resume --skip-nx-cache',
    ],
    [
      'a damaged record',
      { kind: 'damaged', reason: 'is not valid JSON' },
      'the run record dist/release/shop/runs/prepare.json is not valid JSON: run nx run shop:release-prepare --skip-nx-cache to prepare release a1b2c3d again (it moves the damaged record aside)',
    ],
  ])(
    'refuses %s in the run record, with the command that really runs prepare',
    (_name, read, reason) => {
      const recordPath = 'dist/release/shop/runs/prepare.json';
      expect(evaluateGate(read, { ...expected, recordPath })).toEqual({ ok: false, reason });
    },
  );

  it('compares the real QA command where a secret is masked', () => {
    const masked = ['migrate', 'postgres://app:***@db/shop'];
    const digest = 'scrypt:N=32768,r=8,p=1:salt:hash';
    const read = ok(
      makeLedger({}, [{ argv: masked, argvDigest: digest, command: masked.join(' ') }]),
    );
    const gate = (verified: string[], secret = true) =>
      evaluateGate(read, {
        ...expected,
        proven: { argv: masked, secret, verifiedDigests: new Set(verified) },
      });
    expect(gate([digest]).ok).toBe(true);
    const refused = {
      ok: false,
      reason:
        'the post-deploy command proven on QA (migrate postgres://app:***@db/shop) is not the one configured now (the two are equal only with their secrets masked): run release-prepare again to prove it',
    };
    expect(gate([])).toEqual(refused);
    expect(gate([], false)).toEqual(refused);
  });

  it('needs only a successful prepare when no post-deploy command is configured', () => {
    const { proven: _unused, ...withoutCommand } = expected;
    expect(
      evaluateGate(ok(makeLedger({}, [{ id: 'deploy', kind: 'deploy' }])), withoutCommand),
    ).toEqual({
      ok: true,
      reason: 'release a1b2c3d prepared',
    });
  });
});
