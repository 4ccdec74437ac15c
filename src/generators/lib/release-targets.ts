import type { TargetConfiguration } from '@nx/devkit';
import type { Stage } from '../../lib/config/release-config';
import { DEFAULT_OUTPUT_PATH, DEFAULT_PREPARE_TARGET } from '../../lib/config/resolve-target';

// The names the README's recommended configuration uses; ship finds prepare by this name.
export const RELEASE_TARGETS = { prepare: DEFAULT_PREPARE_TARGET, ship: 'release-ship' } as const;

// The executors as a workspace names them (package name from package.json, keys of executors.json).
export const RELEASE_EXECUTORS = {
  prepare: 'nx-release-deploy:prepare',
  ship: 'nx-release-deploy:ship',
} as const;

// The release identity is in every hash, so a cache hit can only mean "this release was done".
export function createReleaseInputs(): NonNullable<TargetConfiguration['inputs']> {
  return ['default', '^default', { runtime: 'git rev-parse HEAD' }, { env: 'NX_RELEASE_ID' }];
}

// A dry run's output is a directory named `true` that never exists: it cannot capture a ledger.
export function createReleaseOutputs(stage: Stage): string[] {
  return [`{workspaceRoot}/${DEFAULT_OUTPUT_PATH}/{options.dryRun ?? options.dry-run ?? ${stage}}`];
}
