import type { Ledger } from '../ledger/ledger';
import type { Step } from '../plan/plan';

// What a report describes: the finished ledger, and the planned steps that never ran.
export interface ReportInput {
  readonly ledger: Ledger;
  readonly notRun: readonly Step[];
}
