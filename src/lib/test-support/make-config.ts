import type { ReleaseConfig, Stage } from '../config/release-config';
import { resolveTarget } from '../config/resolve-target';

// A validated config built through the real resolver, for tests of the planner and runner.
export function makeConfig(input: {
  stage: Stage;
  devops: Record<string, unknown>;
  options?: Record<string, unknown>;
  workspaceRoot?: string;
  releaseId?: string;
  publish?: ReleaseConfig['publish'];
}): ReleaseConfig {
  const target = `release-${input.stage}`;
  const resolved = resolveTarget({
    stage: input.stage,
    project: 'shop',
    target,
    options:
      input.stage === 'prepare' ? { devops: input.devops, ...input.options } : { ...input.options },
    ...(input.stage === 'ship' && {
      prepare: { found: true, name: 'release-prepare', options: { devops: input.devops } },
    }),
  });
  if ('problems' in resolved) throw new Error(JSON.stringify(resolved.problems));
  return {
    project: 'shop',
    target,
    stage: input.stage,
    workspaceRoot: input.workspaceRoot ?? '/work/shop',
    ...resolved.target,
    releaseId: input.releaseId ?? resolved.target.releaseId ?? 'a1b2c3d',
    publish: input.publish ?? [],
  };
}
