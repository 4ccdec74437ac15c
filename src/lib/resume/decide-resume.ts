import { shortRelease } from '../core/short-release';
import { isDone, type Ledger } from '../ledger/ledger';
import type { LedgerRead } from '../ledger/parse-ledger';
import type { Plan } from '../plan/plan';
import { isSameCommand, type CommandNow } from './same-command';

/**
 * What a run does with the newest run an earlier one left (README "Resume and re-runs"): the
 * ledger, or the run record when it holds a newer run of the release than the ledger (an Nx cache
 * restore put an older ledger back). With --resume and the same release, a step whose check was ok
 * (or skipped) with the same command (masked argv equal, and the digest of the real argv verified
 * when it holds a secret) is skipped as `resumed`; a step left `running` died with the process, so
 * its outcome is unknown and it runs again. The gate always runs: it is a check, not an action.
 * Without --resume every step runs, with a hint when the same release was left unfinished. A
 * damaged ledger refuses a resume, and is moved aside by a plain run.
 */
export type ResumeDecision =
  | { readonly kind: 'refuse'; readonly message: string }
  // --resume of a release whose last run succeeded with these very steps: nothing to do, and
  // the ledger is left as it is (a rewrite would replace the real record with "resumed"), or
  // written back as it was when the newest run came from the run record.
  | { readonly kind: 'complete'; readonly message: string }
  | {
      readonly kind: 'proceed';
      // Step ids to record as skipped (reason "resumed") instead of running.
      readonly resumed: ReadonlySet<string>;
      readonly notes: readonly string[];
      // Set when the old ledger must be moved aside before the new run writes its own.
      readonly moveAside?: string;
    };

export interface ResumeInput {
  readonly plan: Plan;
  readonly previous: LedgerRead;
  readonly resume: boolean;
  readonly ledgerPath: string;
  readonly target: string;
  // Per step id, the commands its check may record as this run would run them (a publish
  // step: its live check and its publish command).
  readonly commandsNow: ReadonlyMap<string, readonly CommandNow[]>;
  // Set when `previous` is the newest run from the run record at this path, not the ledger.
  readonly recordPath?: string;
}

export function decideResume(input: ResumeInput): ResumeDecision {
  const { plan, resume, ledgerPath } = input;
  const where = `${plan.project}:${input.target}`;
  const previous = readOwnLedger(input);
  if (previous.kind === 'missing') {
    const notes = resume
      ? [`--resume: no earlier run is recorded at ${ledgerPath}; running every step.`]
      : [];
    return { kind: 'proceed', resumed: new Set(), notes };
  }
  if (previous.kind === 'damaged') {
    if (resume) {
      return {
        kind: 'refuse',
        message:
          `Cannot resume ${where}: the ledger ${ledgerPath} ${previous.reason}. ` +
          'Run without --resume to start the stage afresh (the file is then kept beside it as .damaged-<time>), or restore the file.',
      };
    }
    return {
      kind: 'proceed',
      resumed: new Set(),
      notes: [
        `The ledger ${ledgerPath} ${previous.reason}; it is moved aside and the stage starts fresh.`,
      ],
      moveAside: previous.reason,
    };
  }
  const ledger = previous.ledger;
  if (ledger.releaseId !== plan.releaseId) {
    if (resume) {
      return {
        kind: 'refuse',
        message:
          `Cannot resume ${where}: ${ledgerPath} records release ${shortRelease(ledger.releaseId)}, not ${shortRelease(plan.releaseId)}. ` +
          `Run without --resume to release ${shortRelease(plan.releaseId)} from the first step.`,
      };
    }
    return { kind: 'proceed', resumed: new Set(), notes: [] };
  }
  if (!resume) return { kind: 'proceed', resumed: new Set(), notes: describeUnfinished(ledger) };
  const decision = decideSameRelease(input, ledger);
  const release = `${plan.stage} of ${plan.project} (release ${shortRelease(plan.releaseId)})`;
  const actions = plan.steps.filter((step) => step.kind !== 'gate');
  if (
    ledger.status === 'ok' &&
    decision.kind === 'proceed' &&
    actions.every((step) => decision.resumed.has(step.id))
  ) {
    const message = input.recordPath
      ? `Nothing to resume: ${release} already succeeded (its newest run, recorded in ${input.recordPath}); its ledger is written back to ${ledgerPath}.`
      : `Nothing to resume: ${release} already succeeded; ${ledgerPath} is unchanged.`;
    return { kind: 'complete', message };
  }
  if (input.recordPath && decision.kind === 'proceed') {
    const note = `Resuming the newest run of this release, recorded in ${input.recordPath} (${ledgerPath} holds an earlier run, or none).`;
    return { ...decision, notes: [note, ...decision.notes] };
  }
  return decision;
}

function readOwnLedger(input: ResumeInput): LedgerRead {
  const { previous, plan } = input;
  if (previous.kind !== 'ok') return previous;
  const { project, stage } = previous.ledger;
  if (project !== plan.project || stage !== plan.stage) {
    return {
      kind: 'damaged',
      reason: `belongs to ${project} ${stage}, not ${plan.project} ${plan.stage}`,
    };
  }
  return previous;
}

function describeUnfinished(ledger: Ledger): string[] {
  if (ledger.status === 'ok') return [];
  const last = ledger.checks.findLast((check) => !isDone(check));
  const at = last ? ` at step ${last.id}` : '';
  return [
    `The last run of this release ended ${ledger.status}${at}; running every step again. ` +
      'Use --resume to skip the steps that already succeeded.',
  ];
}

function decideSameRelease(input: ResumeInput, ledger: Ledger): ResumeDecision {
  const resumed = new Set<string>();
  const notes: string[] = [];
  for (const step of input.plan.steps) {
    if (step.kind === 'gate') continue;
    const check = ledger.checks.find((candidate) => candidate.id === step.id);
    if (!check) continue;
    if (check.status === 'running') {
      notes.push(
        `Step ${step.id} was left running by a run that did not finish: its outcome is unknown, so it runs again.`,
      );
      continue;
    }
    const done = isDone(check);
    const same = (input.commandsNow.get(step.id) ?? []).some((now) => isSameCommand(check, now));
    if (done && same) resumed.add(step.id);
    if (done && !same)
      notes.push(`Step ${step.id} succeeded before with another command; it runs again.`);
  }
  return { kind: 'proceed', resumed, notes };
}
