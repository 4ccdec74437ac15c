import { formatConfigError } from '../../../lib/config/format-config-error';
import { DEFAULT_PREPARE_TARGET, resolveTarget } from '../../../lib/config/resolve-target';
import { RELEASE_TARGETS } from '../../lib/release-targets';
import type { Targets } from './merge-release-targets';

/**
 * The executor's own validator and wording, so the generator refuses exactly what a run would:
 * release-prepare first, then release-ship with the devops it inherits (a devops block can be
 * valid for prepare and leave ship nothing to do). A ship that takes its devops from another
 * prepare target (its prepareTarget option) is not affected by this run and is not checked.
 */
export function checkReleaseOptions(project: string, targets: Targets): string | undefined {
  const prepare = targets[RELEASE_TARGETS.prepare];
  const prepareOptions = prepare?.options ?? {};
  const resolved = resolveTarget({
    stage: 'prepare',
    project,
    target: RELEASE_TARGETS.prepare,
    options: prepareOptions,
  });
  if ('problems' in resolved) return formatConfigError(project, resolved.problems);
  const shipOptions = targets[RELEASE_TARGETS.ship]?.options ?? {};
  const prepareTarget = shipOptions.prepareTarget ?? DEFAULT_PREPARE_TARGET;
  if (prepareTarget !== RELEASE_TARGETS.prepare) return undefined;
  const ship = resolveTarget({
    stage: 'ship',
    project,
    target: RELEASE_TARGETS.ship,
    options: shipOptions,
    prepare: { found: true, name: RELEASE_TARGETS.prepare, options: prepareOptions },
  });
  return 'problems' in ship ? formatConfigError(project, ship.problems) : undefined;
}
