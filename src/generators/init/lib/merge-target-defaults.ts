import type { NxJsonConfiguration } from '@nx/devkit';
import type { Stage } from '../../../lib/config/release-config';
import {
  RELEASE_EXECUTORS,
  createReleaseInputs,
  createReleaseOutputs,
} from '../../lib/release-targets';

export type TargetDefaults = NonNullable<NxJsonConfiguration['targetDefaults']>;

/**
 * targetDefaults with an entry per release executor (Nx 24 matches an executor key before a
 * target-name key, so any target running the executor gets it, whatever its name). A key the
 * workspace already has is its own choice and is left alone; with nothing to add, the same
 * object comes back, so the caller can tell that nx.json needs no write.
 */
export function mergeTargetDefaults(existing: TargetDefaults | undefined): TargetDefaults {
  const missing = (['prepare', 'ship'] as const).filter(
    (stage) => !existing || !(RELEASE_EXECUTORS[stage] in existing),
  );
  if (existing && missing.length === 0) return existing;
  return {
    ...existing,
    ...Object.fromEntries(
      missing.map((stage) => [RELEASE_EXECUTORS[stage], createExecutorDefaults(stage)]),
    ),
  };
}

function createExecutorDefaults(stage: Stage) {
  return { cache: true, inputs: createReleaseInputs(), outputs: createReleaseOutputs(stage) };
}
