import { shortRelease } from '../config/short-release';
import type { LedgerRead } from '../ledger/parse-ledger';

// The gate's verdict, with the reason recorded in the ship ledger.
export type GateVerdict =
  { readonly ok: true; readonly reason: string } | { readonly ok: false; readonly reason: string };

/**
 * Ship may only proceed when the prepare ledger of the same project shows this very release
 * prepared successfully, and (when a post-deploy command is configured) an ok post_deploy
 * check on QA with exactly the command ship would prove: a command never run on QA does
 * not run on prod.
 */
export function evaluateGate(
  read: LedgerRead,
  expected: {
    project: string;
    releaseId: string;
    prepareTarget: string;
    provenArgv?: readonly string[];
  },
): GateVerdict {
  const release = shortRelease(expected.releaseId);
  const rerun = `run ${expected.prepareTarget} for release ${release} first`;
  if (read.kind === 'missing') return { ok: false, reason: `no prepare ledger: ${rerun}` };
  if (read.kind === 'damaged')
    return { ok: false, reason: `the prepare ledger ${read.reason}: ${rerun}` };
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
    return {
      ok: false,
      reason: `the prepare of release ${release} has not finished (it is still running, or its process was killed): wait for it, or run ${expected.prepareTarget} --resume`,
    };
  }
  if (ledger.status !== 'ok') {
    return {
      ok: false,
      reason: `the prepare of release ${release} ended ${ledger.status}: fix it and run ${expected.prepareTarget} again`,
    };
  }
  if (!expected.provenArgv) return { ok: true, reason: `release ${release} prepared` };
  const proven = ledger.checks.find(
    (check) =>
      check.kind === 'post_deploy' &&
      (check.status === 'ok' || (check.status === 'skipped' && check.reason === 'resumed')),
  );
  if (!proven)
    return {
      ok: false,
      reason: `the post-deploy command never succeeded on QA for release ${release}: ${rerun}`,
    };
  const same =
    proven.argv.length === expected.provenArgv.length &&
    proven.argv.every((word, i) => word === expected.provenArgv?.[i]);
  if (!same) {
    return {
      ok: false,
      reason: `the post-deploy command proven on QA (${proven.command}) is not the one configured now: run ${expected.prepareTarget} again to prove it`,
    };
  }
  return {
    ok: true,
    reason: `release ${release} prepared; post-deploy command proven on QA`,
  };
}
