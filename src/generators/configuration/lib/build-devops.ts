import { isRecord } from '../../../lib/core/is-record';
import type { ConfigurationGeneratorSchema } from '../schema';

// The generator options that become devops keys; any of them may be left out.
export type DevopsGeneratorOptions = Partial<
  Pick<
    ConfigurationGeneratorSchema,
    | 'platform'
    | 'qaApp'
    | 'prodApp'
    | 'postDeployCmd'
    | 'postDeployTimeout'
    | 'deployCmdQa'
    | 'deployCmdProd'
  >
>;

// Option -> devops key, in the README's order, so a new block reads like the documented one.
const TOP_LEVEL_KEYS = [
  ['platform', 'platform'],
  ['qaApp', 'qa_app'],
  ['prodApp', 'prod_app'],
  ['postDeployCmd', 'post_deploy_cmd'],
  ['postDeployTimeout', 'post_deploy_timeout'],
] as const;
const DEPLOY_KEYS = [
  ['deployCmdQa', 'qa'],
  ['deployCmdProd', 'prod'],
] as const;

// The devops block after a run: the keys given replace existing values, every other key stays.
export function buildDevops(
  options: DevopsGeneratorOptions,
  existing: unknown,
): Record<string, unknown> {
  const devops: Record<string, unknown> = isRecord(existing) ? { ...existing } : {};
  for (const [option, key] of TOP_LEVEL_KEYS) {
    if (options[option] !== undefined) devops[key] = options[option];
  }
  const deploy = DEPLOY_KEYS.filter(([option]) => options[option] !== undefined);
  if (deploy.length > 0) {
    devops.deploy_cmd = {
      ...(isRecord(devops.deploy_cmd) ? devops.deploy_cmd : {}),
      ...Object.fromEntries(deploy.map(([option, key]) => [key, options[option]])),
    };
  }
  return devops;
}
