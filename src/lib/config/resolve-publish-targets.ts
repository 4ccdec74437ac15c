import type { ConfigIssue } from '../core/config-issue';
import type { ManifestRead } from '../publishers/publisher';
import { PUBLISHERS, type PublishEntry, type PublishTarget } from '../publishers/publishers';

// Turns publish entries, plus the package.json files read for the publishers that asked for
// one (by directory), into publish targets.
export function resolvePublishTargets(
  entries: readonly PublishEntry[],
  manifests: ReadonlyMap<string, ManifestRead>,
): { targets: PublishTarget[] } | { issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const targets: PublishTarget[] = [];
  entries.forEach((entry, index) => {
    const publisher = PUBLISHERS[entry.kind];
    const dir = publisher.locateManifest?.(entry);
    const resolved = publisher.resolveTarget(
      entry,
      dir === undefined ? undefined : manifests.get(dir),
      `devops.publish[${index}]`,
    );
    if ('target' in resolved) targets.push(resolved.target);
    else issues.push(...resolved.issues);
  });
  return issues.length > 0 ? { issues } : { targets };
}
