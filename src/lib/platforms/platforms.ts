import { customPlatform } from './custom';
import { dockerComposePlatform } from './docker-compose';
import { flyPlatform } from './fly';
import { herokuPlatform } from './heroku';
import { kubernetesPlatform } from './kubernetes';
import { localPlatform } from './local';
import type { Platform } from './platform';
import { isPlatformAdapter, type AnyPlatformAdapter } from './platform-adapter';
import { sshPlatform } from './ssh';

// Every platform by its `devops.platform` name: the one place adapters are picked.
export const PLATFORMS = {
  heroku: herokuPlatform,
  local: localPlatform,
  kubernetes: kubernetesPlatform,
  'docker-compose': dockerComposePlatform,
  fly: flyPlatform,
  ssh: sshPlatform,
  custom: customPlatform,
} as const satisfies Record<string, Platform | AnyPlatformAdapter>;

// A value of devops.platform.
export type PlatformName = keyof typeof PLATFORMS;

// Every value `devops.platform` accepts.
export const ALL_PLATFORM_NAMES = Object.keys(PLATFORMS) as [PlatformName, ...PlatformName[]];

// The platforms configured by a `devops.<name>` block of their own.
export const BLOCK_PLATFORM_NAMES = ALL_PLATFORM_NAMES.filter((name) =>
  isPlatformAdapter(PLATFORMS[name]),
);
