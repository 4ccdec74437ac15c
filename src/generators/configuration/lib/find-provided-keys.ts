import type { NxJsonConfiguration } from '@nx/devkit';
import { isDeepStrictEqual } from 'node:util';
import type { Stage } from '../../../lib/config/release-config';
import { isRecord } from '../../../lib/core/is-record';
import { RELEASE_EXECUTORS } from '../../lib/release-targets';
import {
  createRecommendedSettings,
  type ProvidedKeys,
  type RecommendedKey,
} from './create-release-targets';

type TargetDefaults = NonNullable<NxJsonConfiguration['targetDefaults']>;

/**
 * The recommended keys that nx.json's targetDefaults, keyed by the stage's executor (the key Nx 24
 * looks at first for a target running it, as `nx add` writes it), give every such target with
 * exactly the recommended value, so a new target can leave them out and behave the same. Only a
 * default known to apply to every project counts: the object form, or an array of entries with
 * no `filter`, `executor` or `command` (later entries win, as in Nx). Anything else (a filtered
 * entry, a spread, another value) provides nothing, and the target gets the full configuration.
 */
export function findProvidedKeys(
  targetDefaults: TargetDefaults | undefined,
  stage: Stage,
): ProvidedKeys {
  const value: unknown = targetDefaults?.[RELEASE_EXECUTORS[stage]];
  if (value === undefined) return new Set();
  const entries: unknown[] = Array.isArray(value) ? value : [value];
  if (!entries.every(isPlainEntry)) return new Set();
  const recommended = createRecommendedSettings(stage);
  const provided = (Object.keys(recommended) as RecommendedKey[]).filter((key) => {
    const last = entries.findLast((entry) => entry[key] !== undefined);
    return last !== undefined && isDeepStrictEqual(last[key], recommended[key]);
  });
  return new Set(provided);
}

function isPlainEntry(entry: unknown): entry is Record<string, unknown> {
  return (
    isRecord(entry) &&
    !('filter' in entry) &&
    !('executor' in entry) &&
    !('command' in entry) &&
    !('...' in entry)
  );
}
