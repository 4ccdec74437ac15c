import type { CommandSpec } from '../../command/command-spec';
import { formatConfigError } from '../../config/format-config-error';
import { resolveDevops } from '../../config/resolve-devops';
import { resolveTarget } from '../../config/resolve-target';

// The message a user sees for a release-prepare devops block, or 'OK'.
export function describeDevopsProblems(devops: Record<string, unknown>): string {
  const result = resolveTarget({
    stage: 'prepare',
    project: 'shop',
    target: 'release-prepare',
    options: { devops },
  });
  return 'problems' in result ? formatConfigError('shop', result.problems) : 'OK';
}

// The post-deploy command a devops block gives for one environment, through the real resolver.
export function buildPostDeployFor(
  devops: Record<string, unknown>,
  env: 'qa' | 'prod',
  tokens: readonly string[],
): CommandSpec {
  const resolved = resolveDevops(devops);
  if ('issues' in resolved) throw new Error(JSON.stringify(resolved.issues));
  const { platform, apps } = resolved.devops;
  return platform.buildPostDeploy({ app: apps[env], env, releaseId: 'a1b2c3d' }, tokens);
}
