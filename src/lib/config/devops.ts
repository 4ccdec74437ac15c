import type { Platform } from '../platforms/platform';

// A publish entry: an npm package directory, or any ecosystem through two commands.
export type PublishEntry =
  | { readonly kind: 'npm'; readonly dir: string }
  | {
      readonly kind: 'custom';
      readonly name: string;
      readonly check: readonly string[];
      readonly publish: readonly string[];
    };

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
  readonly publish: readonly PublishEntry[];
  readonly redactEnv: readonly string[];
}
