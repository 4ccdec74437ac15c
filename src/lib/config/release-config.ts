import type { Devops, PublishEntry } from './devops';

export type Stage = 'prepare' | 'ship';

// A package of `devops.publish`, with what was read from its manifest.
export type PublishTarget =
  | {
      readonly kind: 'npm';
      readonly dir: string;
      readonly name: string;
      readonly version: string;
      readonly registry?: string;
      // The dist-tag for a prerelease (npm 11 refuses to publish one without --tag).
      readonly prereleaseTag?: string;
    }
  | Extract<PublishEntry, { kind: 'custom' }>;

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
  readonly publish: readonly PublishTarget[];
}
