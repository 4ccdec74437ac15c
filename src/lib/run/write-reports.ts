import path from 'node:path';
import { formatJunit } from '../report/format-junit';
import { formatStepSummary } from '../report/format-step-summary';
import { formatSummaryTable } from '../report/format-summary-table';
import type { ReportInput } from '../report/report-input';
import type { RunPlanInput } from './run-plan-input';

export const JUNIT_FILE = 'junit.xml';

// The closing table, junit.xml beside the ledger, and the GitHub job summary. A report that
// cannot be written is a warning: the ledger is the record.
export async function writeReports(
  input: Pick<
    RunPlanInput,
    'output' | 'store' | 'style' | 'workspaceRoot' | 'outputDir' | 'stepSummaryFile'
  >,
  report: ReportInput,
): Promise<void> {
  const { output, store, style } = input;
  output.out(formatSummaryTable(report, style));
  const junit = path.join(input.workspaceRoot, input.outputDir, JUNIT_FILE);
  await store.writeText(junit, formatJunit(report)).catch((error: NodeJS.ErrnoException) => {
    output.err(
      style.yellow(
        `Could not write ${junit} (${error.code ?? error.message}); the ledger is complete.`,
      ),
    );
  });
  if (!input.stepSummaryFile) return;
  await store
    .appendText(input.stepSummaryFile, formatStepSummary(report))
    .catch((error: NodeJS.ErrnoException) => {
      output.err(
        style.yellow(`Could not append to GITHUB_STEP_SUMMARY (${error.code ?? error.message}).`),
      );
    });
}
