import type { CommandSpec } from '../command/command-spec';
import type { Platform, RunTarget } from './platform';
import type { PerEnv } from './setting-fields';

// Gives an adapter's argv builder the settings of the environment it builds for, so the planner
// keeps calling buildPostDeploy(target, tokens) whatever the platform.
export function bindSettings<S>(
  platform: Omit<Platform, 'buildPostDeploy'>,
  settings: PerEnv<S>,
  build: (target: RunTarget, settings: S, tokens: readonly string[]) => CommandSpec,
): Platform {
  return {
    ...platform,
    buildPostDeploy: (target, tokens) => build(target, settings[target.env], tokens),
  };
}
