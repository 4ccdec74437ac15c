import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { runBatch, type BatchTaskResult } from '../../lib/run/run-batch';

// nx-release-deploy:prepare for many projects in one process (batchImplementation, preferBatch).
export default function prepareBatch(
  taskGraph: TaskGraph,
  inputs: Record<string, Record<string, unknown>>,
  _overrides: Record<string, unknown>,
  context: ExecutorContext,
): AsyncGenerator<BatchTaskResult> {
  return runBatch('prepare', taskGraph, inputs, context);
}
