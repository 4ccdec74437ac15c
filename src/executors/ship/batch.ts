import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { runBatch, type BatchTaskResult } from '../../lib/run/run-batch';

// nx-release-deploy:ship for many projects in one process (batchImplementation, preferBatch).
export default function shipBatch(
  taskGraph: TaskGraph,
  inputs: Record<string, Record<string, unknown>>,
  _overrides: Record<string, unknown>,
  context: ExecutorContext,
): AsyncGenerator<BatchTaskResult> {
  return runBatch('ship', taskGraph, inputs, context);
}
