import type { ConfigIssue } from '../core/config-issue';
import type { PublishEntry } from './devops';
import type { PackageManifest } from '../io/read-package-manifest';
import type { PublishTarget } from './release-config';

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;
const NPM_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*$/;

// Turns publish entries plus the manifests read for npm directories into publish targets.
export function resolvePublishTargets(
  entries: readonly PublishEntry[],
  manifests: ReadonlyMap<string, { manifest: PackageManifest } | { reason: string }>,
): { targets: PublishTarget[] } | { issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const targets: PublishTarget[] = [];
  entries.forEach((entry, index) => {
    if (entry.kind === 'custom') {
      targets.push(entry);
      return;
    }
    const at = `devops.publish[${index}]`;
    const read = manifests.get(entry.dir);
    if (!read || 'reason' in read) {
      issues.push({
        path: at,
        problem: `"${entry.dir}" ${read && 'reason' in read ? read.reason : 'was not read'}`,
        fix: 'point it at an npm package directory (with a package.json)',
      });
      return;
    }
    const { name, version, publishConfig } = read.manifest;
    const problem = describeManifestProblem(read.manifest);
    if (problem) {
      issues.push({
        path: at,
        problem: `"${entry.dir}/package.json" ${problem.problem}`,
        fix: problem.fix,
      });
      return;
    }
    const registry =
      typeof publishConfig?.registry === 'string' ? publishConfig.registry : undefined;
    targets.push({
      kind: 'npm',
      dir: entry.dir,
      name: name as string,
      version: version as string,
      ...(registry && { registry }),
      ...(/-/.test(version as string) && { prereleaseTag: readDistTag(publishConfig?.tag) }),
    });
  });
  return issues.length > 0 ? { issues } : { targets };
}

function describeManifestProblem(
  manifest: PackageManifest,
): { problem: string; fix: string } | undefined {
  if (typeof manifest.name !== 'string' || !NPM_NAME.test(manifest.name)) {
    return { problem: 'has no valid "name"', fix: 'give the package an npm name' };
  }
  if (typeof manifest.version !== 'string' || !SEMVER.test(manifest.version)) {
    return {
      problem: 'has no valid "version"',
      fix: 'give the package a semver version such as "1.2.3"',
    };
  }
  if (manifest.private === true) {
    return {
      problem: 'is marked "private": true, so npm will not publish it',
      fix: 'remove it from devops.publish, or drop "private"',
    };
  }
  if (
    manifest.publishConfig?.registry !== undefined &&
    !/^https?:\/\/[^\s]+$/.test(String(manifest.publishConfig.registry))
  ) {
    return {
      problem: 'has a publishConfig.registry that is not an http(s) URL',
      fix: 'fix publishConfig.registry',
    };
  }
  return undefined;
}

// npm 11 publishes a prerelease only with an explicit --tag (and ignores publishConfig.tag for it).
function readDistTag(tag: unknown): string {
  return typeof tag === 'string' && /^[A-Za-z][A-Za-z0-9._-]*$/.test(tag) && tag !== 'latest'
    ? tag
    : 'next';
}
