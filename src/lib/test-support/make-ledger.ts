import type { Check, Ledger } from '../ledger/ledger';

// A ledger as a finished run would leave it, with checks overridable field by field.
export function makeLedger(overrides: Partial<Ledger> = {}, checks: Partial<Check>[] = []): Ledger {
  return {
    schemaVersion: 1,
    project: 'shop',
    stage: 'prepare',
    releaseId: 'a1b2c3d',
    status: 'ok',
    startedAt: '2026-11-29T10:00:00.000Z',
    finishedAt: '2026-11-29T10:01:00.000Z',
    checks: checks.map(makeCheck),
    ...overrides,
  };
}

export function makeCheck(overrides: Partial<Check>): Check {
  return {
    id: 'post_deploy',
    kind: 'post_deploy',
    env: 'qa',
    target: 'shop-qa',
    argv: [
      'heroku',
      'run',
      '--exit-code',
      '--no-tty',
      '--no-notify',
      '--app=shop-qa',
      '--',
      'bin/rails db:migrate',
    ],
    command: "heroku run --exit-code --no-tty --no-notify --app=shop-qa -- 'bin/rails db:migrate'",
    status: 'ok',
    reason: null,
    exitCode: 0,
    startedAt: '2026-11-29T10:00:10.000Z',
    finishedAt: '2026-11-29T10:00:20.000Z',
    durationMs: 10_000,
    outputTail: '',
    ...overrides,
  };
}
