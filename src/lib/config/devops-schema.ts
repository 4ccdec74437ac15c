import { z } from 'zod';
import { commandSchema } from '../command/command-option';
import { ALL_PLATFORM_NAMES, PLATFORMS } from '../platforms/platforms';
import { buildSettingsSchema } from '../platforms/settings-schema';
import { publishEntrySchema } from '../publishers/publishers';

const MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;

// The shape of `devops`; meaning (app names, command words, placeholders, platform settings) is
// checked afterwards. Each platform with settings has a block of its own, named after it; each
// publisher gives the shape of its publish entries.
export const devopsSchema = z.strictObject({
  platform: z.enum(ALL_PLATFORM_NAMES).optional(),
  qa_app: z.string(),
  prod_app: z.string(),
  post_deploy_cmd: commandSchema.optional(),
  post_deploy_timeout: z
    .number()
    .refine(
      (seconds) => Number.isInteger(seconds) && seconds >= 1 && seconds <= MAX_TIMEOUT_SECONDS,
      {
        message: `must be a whole number of seconds from 1 to ${MAX_TIMEOUT_SECONDS} (7 days)`,
        params: {
          fix: 'give the limit in seconds, e.g. 1800 for 30 minutes, or remove it for no limit',
        },
      },
    )
    .optional(),
  deploy_cmd: z
    .strictObject({ qa: commandSchema.optional(), prod: commandSchema.optional() })
    .optional(),
  rollback_cmd: z
    .strictObject({ qa: commandSchema.optional(), prod: commandSchema.optional() })
    .optional(),
  rollback_on_interrupt: z.boolean().optional(),
  publish: z.array(publishEntrySchema).optional(),
  redact_env: z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/)).optional(),
  kubernetes: buildSettingsSchema(PLATFORMS.kubernetes.fields).optional(),
  'docker-compose': buildSettingsSchema(PLATFORMS['docker-compose'].fields).optional(),
  fly: buildSettingsSchema(PLATFORMS.fly.fields).optional(),
  ssh: buildSettingsSchema(PLATFORMS.ssh.fields).optional(),
  custom: buildSettingsSchema(PLATFORMS.custom.fields).optional(),
});

export type DevopsInput = z.infer<typeof devopsSchema>;
