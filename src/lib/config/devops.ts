import type { Platform } from '../platforms/platform';
import type { PublishEntry } from '../publishers/publishers';

// The `devops` block once validated: commands split into argv, platform picked.
export interface Devops {
  // The platform, its devops.<platform> settings (if it has any) already bound in.
  readonly platform: Platform;
  readonly apps: { readonly qa: string; readonly prod: string };
  readonly postDeploy?: readonly string[];
  readonly postDeployTimeoutMs?: number;
  readonly deploy: { readonly qa?: readonly string[]; readonly prod?: readonly string[] };
  // Undoes that environment's deploy when a later step of the same run fails.
  readonly rollback: { readonly qa?: readonly string[]; readonly prod?: readonly string[] };
  readonly rollbackOnInterrupt: boolean;
  // Each entry read by its publisher (an npm package directory, two commands of any ecosystem).
  readonly publish: readonly PublishEntry[];
  readonly redactEnv: readonly string[];
}
