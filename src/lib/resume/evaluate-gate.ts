import { shortRelease } from '../core/short-release';
import type { Check, Ledger } from '../ledger/ledger';
import type { LedgerRead } from '../ledger/parse-ledger';
import { isSameCommand, type CommandNow } from './same-command';

// The gate's verdict, with the reason recorded in the ship ledger.
export type GateVerdict =
  { readonly ok: true; readonly reason: string } | { readonly ok: false; readonly reason: string };

// What the gate expects of the newest prepare run of the project.
export interface GateExpectation {
  readonly project: string;
  readonly releaseId: string;
  readonly prepareTarget: string;
  // The QA post-deploy command ship would prove, when one is configured.
  readonly proven?: CommandNow;
  // Set when the run read is the newest one in the prepare run record at this path (newer than
  // the ledger in prepare's outputs, which the Nx cache may have restored from an earlier run).
  readonly recordPath?: string;
}

/**
 * Ship may only proceed when the newest prepare run of the same project (the ledger in
 * prepare's outputs, or the newer run in the run record) shows this very release prepared
 * successfully, and (when a post-deploy command is configured) an ok post_deploy check on QA
 * with exactly the command ship would prove: masked argv equal, and the digest of the real
 * argv verified when it holds a secret. A command never run on QA does not run on prod.
 */
export function evaluateGate(read: LedgerRead, expected: GateExpectation): GateVerdict {
  const release = shortRelease(expected.releaseId);
  const rerun = `run ${expected.prepareTarget} for release ${release} first`;
  // A plain run of prepare would be an Nx cache hit replaying the earlier success.
  const really = `nx run ${expected.project}:${expected.prepareTarget}`;
  const recorded = expected.recordPath
    ? `recorded in ${expected.recordPath}, whatever ledger the Nx cache restored`
    : undefined;
  if (read.kind === 'missing') return { ok: false, reason: `no prepare ledger: ${rerun}` };
  if (read.kind === 'damaged') {
    const reason = expected.recordPath
      ? `the run record ${expected.recordPath} ${read.reason}: run ${really} --skip-nx-cache to prepare release ${release} again (it moves the damaged record aside)`
      : `the prepare ledger ${read.reason}: ${rerun}`;
    return { ok: false, reason };
  }
  const ledger = read.ledger;
  if (ledger.project !== expected.project || ledger.stage !== 'prepare') {
    return {
      ok: false,
      reason: `the prepare ledger belongs to ${ledger.project} ${ledger.stage}: ${rerun}`,
    };
  }
  if (ledger.releaseId !== expected.releaseId) {
    return {
      ok: false,
      reason: `release ${release} was not prepared (the prepare ledger is for ${shortRelease(ledger.releaseId)}): ${rerun}`,
    };
  }
  if (ledger.status === 'running') {
    const reason = recorded
      ? `the newest prepare of release ${release} has not finished (${recorded}; it is still running, or its process was killed): wait for it, or run ${really} --resume --skip-nx-cache`
      : `the prepare of release ${release} has not finished (it is still running, or its process was killed): wait for it, or run ${expected.prepareTarget} --resume`;
    return { ok: false, reason };
  }
  if (ledger.status !== 'ok') {
    const reason = recorded
      ? `the newest prepare of release ${release} ended ${ledger.status} (${recorded}): fix it, then run ${really} --resume --skip-nx-cache`
      : `the prepare of release ${release} ended ${ledger.status}: fix it and run ${expected.prepareTarget} again`;
    return { ok: false, reason };
  }
  if (!expected.proven) return { ok: true, reason: `release ${release} prepared` };
  const proven = findProvenCheck(ledger);
  if (!proven)
    return {
      ok: false,
      reason: `the post-deploy command never succeeded on QA for release ${release}: ${rerun}`,
    };
  if (!isSameCommand(proven, expected.proven)) {
    const now = expected.proven.argv;
    const masked =
      proven.argv.length === now.length && proven.argv.every((word, i) => word === now[i]);
    return {
      ok: false,
      reason: `the post-deploy command proven on QA (${proven.command}) is not the one configured now${masked ? ' (the two are equal only with their secrets masked)' : ''}: run ${expected.prepareTarget} again to prove it`,
    };
  }
  return {
    ok: true,
    reason: `release ${release} prepared; post-deploy command proven on QA`,
  };
}

// The QA post_deploy check that proves the command: ok, or skipped as resumed (ok in the run
// it resumed).
export function findProvenCheck(ledger: Ledger): Check | undefined {
  return ledger.checks.find(
    (check) =>
      check.kind === 'post_deploy' &&
      (check.status === 'ok' || (check.status === 'skipped' && check.reason === 'resumed')),
  );
}
