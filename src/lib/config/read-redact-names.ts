import { isRecord } from '../core/is-record';
import {
  findInheritingShips,
  findPrepareName,
  readTargetOptions,
  type ProjectTargets,
} from './find-release-targets';
import type { Stage } from './release-config';

/**
 * The `redact_env` names of every devops block a stage reads (its own; ship's prepare target;
 * prepare's inheriting ship targets), taken from the raw options before anything is validated,
 * so that a configuration error quoting a secret masks it like any other output. Anything that
 * is not a string is skipped: validation reports it.
 */
export function readRedactNames(input: {
  readonly stage: Stage;
  readonly target: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly targets: ProjectTargets;
  readonly configurationName: string | undefined;
}): string[] {
  const { stage, target, options, targets, configurationName } = input;
  const blocks: unknown[] = [options.devops];
  if (stage === 'ship') {
    blocks.push(readTargetOptions(targets, findPrepareName(options), configurationName)?.devops);
  } else {
    for (const ship of findInheritingShips(target, targets, configurationName)) {
      blocks.push(ship.options.devops);
    }
  }
  return [...new Set(blocks.flatMap(readNames))];
}

function readNames(devops: unknown): string[] {
  if (!isRecord(devops)) return [];
  const names = devops.redact_env;
  return Array.isArray(names) ? names.filter((name) => typeof name === 'string') : [];
}
