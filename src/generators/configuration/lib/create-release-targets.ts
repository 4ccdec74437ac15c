import type { TargetConfiguration } from '@nx/devkit';
import {
  RELEASE_EXECUTORS,
  RELEASE_TARGETS,
  createReleaseInputs,
  createReleaseOutputs,
} from '../../lib/release-targets';

// release-prepare exactly as the README's "Configure" section recommends, with this devops block.
export function createPrepareTarget(devops: Record<string, unknown>): TargetConfiguration {
  return {
    executor: RELEASE_EXECUTORS.prepare,
    cache: true,
    inputs: createReleaseInputs(),
    outputs: createReleaseOutputs('prepare'),
    options: { devops },
  };
}

// release-ship as the README recommends: it inherits prepare's devops and forwards its flags to it.
export function createShipTarget(): TargetConfiguration {
  return {
    executor: RELEASE_EXECUTORS.ship,
    cache: true,
    dependsOn: [{ target: RELEASE_TARGETS.prepare, params: 'forward' }],
    inputs: createReleaseInputs(),
    outputs: createReleaseOutputs('ship'),
    options: {},
  };
}
