import type { TargetConfiguration } from '@nx/devkit';
import type { Stage } from '../../../lib/config/release-config';
import { RELEASE_EXECUTORS, RELEASE_TARGETS } from '../../lib/release-targets';
import { buildDevops, type DevopsGeneratorOptions } from './build-devops';
import { createPrepareTarget, createShipTarget, type ProvidedKeys } from './create-release-targets';
import { describeMissingApps } from './describe-missing-apps';

// A project's targets as project.json holds them.
export type Targets = Record<string, TargetConfiguration>;

// Per stage, the recommended keys nx.json's targetDefaults already provide (see findProvidedKeys).
export type ProvidedDefaults = Readonly<Record<Stage, ProvidedKeys>>;

const NO_DEFAULTS: ProvidedDefaults = { prepare: new Set(), ship: new Set() };

/**
 * The project's targets after the generator: missing release targets are added as the README
 * recommends (leaving out the keys nx.json's targetDefaults already provide with the same
 * value); on an existing release-prepare only the devops keys given change, and everything
 * else (user keys, other targets, an existing release-ship) is kept as it is. A target of that
 * name run by another executor is someone else's: refused, never overwritten. A new
 * release-prepare needs both apps; an existing one already has them.
 */
export function mergeReleaseTargets(
  project: string,
  targets: Targets,
  options: DevopsGeneratorOptions,
  provided: ProvidedDefaults = NO_DEFAULTS,
): { targets: Targets } | { refusal: string } {
  for (const stage of ['prepare', 'ship'] as const) {
    const existing = targets[RELEASE_TARGETS[stage]];
    if (existing && existing.executor !== RELEASE_EXECUTORS[stage]) {
      return { refusal: describeConflict(project, stage, existing) };
    }
  }
  const prepare = targets[RELEASE_TARGETS.prepare];
  const ship = targets[RELEASE_TARGETS.ship];
  if (!prepare) {
    const missing = describeMissingApps(project, options);
    if (missing) return { refusal: missing };
  }
  return {
    targets: {
      ...targets,
      [RELEASE_TARGETS.prepare]: prepare
        ? {
            ...prepare,
            options: {
              ...prepare.options,
              devops: buildDevops(options, prepare.options?.devops),
            },
          }
        : createPrepareTarget(buildDevops(options, undefined), provided.prepare),
      [RELEASE_TARGETS.ship]: ship ?? createShipTarget(provided.ship),
    },
  };
}

function describeConflict(project: string, stage: Stage, existing: TargetConfiguration): string {
  const runner = existing.executor ?? (existing.command ? 'nx:run-commands' : 'no executor');
  return (
    `Cannot add the release targets to ${project}: its target "${RELEASE_TARGETS[stage]}" runs ` +
    `${runner}, not ${RELEASE_EXECUTORS[stage]}. Rename or remove that target, then run the generator again.`
  );
}
