import type { ConfigIssue } from '../core/config-issue';
import type { KnownSecrets } from '../redact/redact';
import type { Platform } from './platform';
import type { PerEnv, SettingFields, SettingsOf } from './setting-fields';

// Where a setting was written, for messages: `devops.ssh.host`, or `devops.ssh.host.qa` when it
// was given per environment.
export type SettingPath = (key: string, env: 'qa' | 'prod') => string;

/**
 * A platform configured by a block of its own (`devops.<name>`). The resolver validates the
 * block into settings for each environment, and `bind` turns them into the Platform the planner
 * calls, so nothing downstream needs to know a platform has settings.
 */
export interface PlatformAdapter<F extends SettingFields> {
  readonly name: string;
  readonly label: string;
  readonly appName: Platform['appName'];
  readonly fields: F;
  // Its credential variables and token shapes, masked in all output whatever the platform.
  readonly secrets?: KnownSecrets;
  // Checks that span keys or environments, after each value has passed its own rule.
  checkSettings?(settings: PerEnv<SettingsOf<F>>, pathOf: SettingPath): ConfigIssue[];
  bind(settings: PerEnv<SettingsOf<F>>): Platform;
}

// Any adapter, as the registry and the resolver hold it.
export type AnyPlatformAdapter = PlatformAdapter<SettingFields>;

// Tells adapters (which take a devops.<name> block) from platforms with nothing to configure.
export function isPlatformAdapter(
  entry: Platform | AnyPlatformAdapter,
): entry is AnyPlatformAdapter {
  return 'fields' in entry;
}
