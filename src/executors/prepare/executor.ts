import type { ExecutorContext } from '@nx/devkit';
import { runStage } from '../../lib/run/run-stage';
import type { PrepareExecutorOptions } from './schema';

// nx-release-deploy:prepare — the stage logic lives in runStage; this file only binds it to Nx.
export default async function prepareExecutor(
  options: PrepareExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  return runStage('prepare', options as Record<string, unknown>, context);
}
