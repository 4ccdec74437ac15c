import type { Style } from '../core/style';
import type { LedgerStore } from '../ledger/ledger-store';
import type { Plan } from '../plan/plan';
import type { Redact } from '../redact/redact';
import type { StepContext } from './execute-step';
import type { Output } from './output';

// What a run of a plan is given: its own settings, and the outside world its steps run in.
export interface RunPlanInput {
  readonly plan: Plan;
  readonly target: string;
  // Where the commands run; the ledger, run record and junit.xml are under outputDir in it.
  readonly workspaceRoot: string;
  readonly outputDir: string;
  readonly resume: boolean;
  readonly output: Output;
  readonly style: Style;
  readonly store: LedgerStore;
  // Masks what the run records and what its commands print.
  readonly redact: Redact;
  readonly now: () => Date;
  // A new run's id (default: 16 random hex digits).
  readonly newRunId?: () => string;
  readonly step: StepContext;
  // $GITHUB_STEP_SUMMARY, when set: a Markdown table of the checks is appended to it.
  readonly stepSummaryFile?: string;
}
