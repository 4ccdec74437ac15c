import path from 'node:path';
import { z } from 'zod';
import { describeUnspawnableText } from '../command/spawn-limits';
import { describeValue } from '../core/describe-value';
import type { PackageManifest } from '../io/read-package-manifest';
import { MASK } from '../redact/mask-pass';
import { chainParts, partialOf, spellParts, type TokenShape } from '../redact/token-shape-passes';
import { NPM_NAME } from './package-name';
import type { FinishedCheck, LiveVerdict, Publisher } from './publisher';

const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

// An npm package directory of devops.publish, relative to the workspace root.
export interface NpmEntry {
  readonly kind: 'npm';
  readonly dir: string;
}

// The package, with what its package.json says.
export interface NpmTarget extends NpmEntry {
  readonly name: string;
  readonly version: string;
  readonly registry?: string;
  // The dist-tag for a prerelease (npm 11 refuses to publish one without --tag).
  readonly prereleaseTag?: string;
}

// npm tokens (`npm_...`).
const NPM_TOKEN: TokenShape = {
  pattern: /\bnpm_[A-Za-z0-9]{36}\b/g,
  replace: () => MASK,
  needs: 'npm_',
  runs: [/\w/],
  partial: partialOf(`\\b${chainParts(spellParts('npm', '_[A-Za-z0-9]{0,36}'))}`),
};

// The `_authToken=` lines of an .npmrc.
const AUTH_TOKEN: TokenShape = {
  pattern: /(_authToken=)[^\s'"]+/g,
  replace: (match) => `${match[1] ?? ''}${MASK}`,
  needs: '_authToken=',
  runs: [/[^\s'"]/],
  partial: partialOf(chainParts(spellParts('_authToken', `=[^\\s'"]*`))),
};

/**
 * An npm package directory (README "Publish, skip-if-live"): name and version come from its
 * package.json. The live check is `npm view <name>@<version> version` (with the package's
 * registry); publishing is `npm publish ./<dir>`, with `--tag` for a prerelease. Both run from
 * the workspace root, so the workspace .npmrc applies.
 */
export const npmPublisher: Publisher<string, NpmEntry, NpmTarget> = {
  schema: z.string().meta({
    description:
      'An npm package directory, relative to the workspace root: its package.json gives the name and version.',
  }),
  shape: 'a package directory',
  readEntry(input, at) {
    // The directory becomes an argument of `npm publish`, and a path read for its package.json.
    const unspawnable = describeUnspawnableText(input);
    if (unspawnable) return { issues: [{ path: at, ...unspawnable }] };
    const dir = path.posix.normalize(input.replace(/\\/g, '/'));
    if (input === '' || path.posix.isAbsolute(dir) || dir === '..' || dir.startsWith('../')) {
      return {
        issues: [
          {
            path: at,
            problem: `${describeValue(input)} is not a directory inside the workspace`,
            fix: 'give the package directory relative to the workspace root, e.g. "packages/shop-sdk"',
          },
        ],
      };
    }
    return { entry: { kind: 'npm', dir: dir.replace(/\/$/, '') } };
  },
  identify: (entry) => entry.dir,
  locateManifest: (entry) => entry.dir,
  resolveTarget(entry, read, at) {
    if (!read || 'reason' in read) {
      return {
        issues: [
          {
            path: at,
            problem: `"${entry.dir}" ${read ? read.reason : 'was not read'}`,
            fix: 'point it at an npm package directory (with a package.json)',
          },
        ],
      };
    }
    const { manifest } = read;
    const problem = describeManifestProblem(manifest);
    if (problem) {
      return {
        issues: [
          { path: at, problem: `"${entry.dir}/package.json" ${problem.problem}`, fix: problem.fix },
        ],
      };
    }
    const name = manifest.name as string;
    const version = manifest.version as string;
    const { publishConfig } = manifest;
    const registry =
      typeof publishConfig?.registry === 'string' ? publishConfig.registry : undefined;
    return {
      target: {
        kind: 'npm',
        dir: entry.dir,
        name,
        version,
        ...(registry && { registry }),
        ...(/-/.test(version) && { prereleaseTag: readDistTag(publishConfig?.tag) }),
      },
    };
  },
  buildCommands(target) {
    const registry = target.registry ? [`--registry=${target.registry}`] : [];
    const prerelease = target.prereleaseTag ? [`--tag=${target.prereleaseTag}`] : [];
    return {
      id: `publish:${target.name}@${target.version}`,
      target: target.registry ?? 'npm',
      check: { argv: ['npm', 'view', `${target.name}@${target.version}`, 'version', ...registry] },
      publish: { argv: ['npm', 'publish', `./${target.dir}`, ...prerelease] },
    };
  },
  describeLive: (target) => `npm answers version ${target.version}`,
  decideLive: decideNpmLive,
  binary: {
    name: 'npm',
    install: 'install Node.js, which comes with npm, and put npm on the PATH the executor sees',
  },
  secrets: {
    env: ['NPM_TOKEN', 'NODE_AUTH_TOKEN'],
    tokenShapes: [NPM_TOKEN],
    keywordShapes: [AUTH_TOKEN],
  },
};

/**
 * `npm view <name>@<version> version` prints the version when it is live; a 404 (exit 1, E404
 * in the output, for a missing package or a missing version) means not live; any other failure
 * (network, auth) must fail the step rather than publish blind.
 */
function decideNpmLive(target: NpmTarget, check: FinishedCheck): LiveVerdict {
  if (check.exitCode === 0) {
    const answer = check.stdoutHead.trim();
    if (answer === target.version) return { kind: 'live' };
    if (answer === '') return { kind: 'absent' };
    return {
      kind: 'unknown',
      reason: `npm view answered ${JSON.stringify(answer.slice(0, 80))}, not ${target.version}`,
    };
  }
  if (/\bE404\b|\b404 (Not Found|No match found)/.test(check.outputTail)) return { kind: 'absent' };
  return { kind: 'unknown', reason: `the live check failed with exit code ${check.exitCode}` };
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
