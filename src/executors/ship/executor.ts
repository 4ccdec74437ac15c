import type { ExecutorContext } from '@nx/devkit';
import { runStage } from '../../lib/run/run-stage';
import type { ShipExecutorOptions } from './schema';

// nx-release-deploy:ship — the stage logic lives in runStage; this file only binds it to Nx.
export default async function shipExecutor(
  options: ShipExecutorOptions,
  context: ExecutorContext,
): Promise<{ success: boolean }> {
  return runStage('ship', options as Record<string, unknown>, context);
}
