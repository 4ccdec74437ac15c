import type { TargetConfiguration } from '@nx/devkit';
import type { Stage } from '../../../lib/config/release-config';
import {
  RELEASE_EXECUTORS,
  RELEASE_TARGETS,
  createReleaseInputs,
  createReleaseOutputs,
} from '../../lib/release-targets';

// The target keys the README recommends besides executor and options; nx.json may provide them.
export type RecommendedKey = 'cache' | 'dependsOn' | 'inputs' | 'outputs';

// Keys nx.json's targetDefaults already give a stage's target, with the recommended values.
export type ProvidedKeys = ReadonlySet<RecommendedKey>;

const NONE: ProvidedKeys = new Set();

// A stage's recommended cache, dependsOn (ship only), inputs and outputs, in the README's order.
export function createRecommendedSettings(stage: Stage): Pick<TargetConfiguration, RecommendedKey> {
  return {
    cache: true,
    ...(stage === 'ship' && {
      dependsOn: [{ target: RELEASE_TARGETS.prepare, params: 'forward' as const }],
    }),
    inputs: createReleaseInputs(),
    outputs: createReleaseOutputs(stage),
  };
}

// release-prepare exactly as the README's "Configure" section recommends, with this devops block;
// a key nx.json's targetDefaults already provide with the same value is left to them.
export function createPrepareTarget(
  devops: Record<string, unknown>,
  provided: ProvidedKeys = NONE,
): TargetConfiguration {
  return {
    executor: RELEASE_EXECUTORS.prepare,
    ...omitProvided(createRecommendedSettings('prepare'), provided),
    options: { devops },
  };
}

// release-ship as the README recommends: it inherits prepare's devops and forwards its flags to it.
export function createShipTarget(provided: ProvidedKeys = NONE): TargetConfiguration {
  return {
    executor: RELEASE_EXECUTORS.ship,
    ...omitProvided(createRecommendedSettings('ship'), provided),
    options: {},
  };
}

function omitProvided(
  settings: Pick<TargetConfiguration, RecommendedKey>,
  provided: ProvidedKeys,
): Pick<TargetConfiguration, RecommendedKey> {
  return Object.fromEntries(
    Object.entries(settings).filter(([key]) => !provided.has(key as RecommendedKey)),
  );
}
