import { herokuPlatform } from './heroku';
import { localPlatform } from './local';
import type { Platform } from './platform';

// Every platform by its `devops.platform` name: the one place adapters are picked.
export const PLATFORMS = { heroku: herokuPlatform, local: localPlatform } as const satisfies Record<
  string,
  Platform
>;

export type PlatformName = keyof typeof PLATFORMS;

export const PLATFORM_NAMES = Object.keys(PLATFORMS) as [PlatformName, ...PlatformName[]];
