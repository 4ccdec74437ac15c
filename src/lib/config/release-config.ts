import type { PublishTarget } from '../publishers/publishers';
import type { Devops } from './devops';

export type Stage = 'prepare' | 'ship';

// Everything a stage needs, validated: the planner and the executors read only this.
export interface ReleaseConfig {
  readonly project: string;
  readonly target: string;
  readonly stage: Stage;
  readonly workspaceRoot: string;
  readonly devops: Devops;
  readonly releaseId: string;
  // Relative to the workspace root: <outputPath>/<stage>, holding checks_run.json.
  readonly outputDir: string;
  readonly dryRun: boolean;
  readonly resume: boolean;
  // Ship only, unless requirePrepared is false: the prepare ledger that must prove this release.
  readonly gate?: { readonly prepareTarget: string; readonly ledgerPath: string };
  // The packages of `devops.publish`, each resolved by its publisher.
  readonly publish: readonly PublishTarget[];
}
