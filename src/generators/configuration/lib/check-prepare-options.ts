import { formatConfigError } from '../../../lib/config/format-config-error';
import { resolveTarget } from '../../../lib/config/resolve-target';
import { RELEASE_TARGETS } from '../../lib/release-targets';

// The executor's own validator and wording, so the generator refuses exactly what a run would.
export function checkPrepareOptions(
  project: string,
  options: Record<string, unknown>,
): string | undefined {
  const resolved = resolveTarget({
    stage: 'prepare',
    project,
    target: RELEASE_TARGETS.prepare,
    options,
  });
  return 'problems' in resolved ? formatConfigError(project, resolved.problems) : undefined;
}
