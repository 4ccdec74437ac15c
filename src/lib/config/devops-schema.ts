import { z } from 'zod';
import { commandSchema } from '../command/command-option';
import { ALL_PLATFORM_NAMES, PLATFORMS } from '../platforms/platforms';
import { buildSettingsSchema } from '../platforms/settings-schema';
import { publishEntrySchema } from '../publishers/publishers';
import { ALWAYS_MASKED_ENV } from './known-secrets';

const MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;

// A command per environment, with the placeholders of a deploy command.
function buildPerStageCommands(what: { qa: string; prod: string }) {
  return z.strictObject({
    qa: commandSchema.optional().meta({ description: what.qa }),
    prod: commandSchema.optional().meta({ description: what.prod }),
  });
}

// The block of a platform's own settings, allowed only with that devops.platform.
function buildPlatformBlock(name: 'kubernetes' | 'docker-compose' | 'fly' | 'ssh' | 'custom') {
  return buildSettingsSchema(PLATFORMS[name].fields)
    .optional()
    .meta({
      description: `The settings of the ${PLATFORMS[name].label} platform, allowed only with devops.platform "${name}". Each is one value, or { "qa": ..., "prod": ... }, and may use {app} and {env}.`,
    });
}

/**
 * The shape of `devops`; meaning (app names, command words, placeholders, platform settings) is
 * checked afterwards. Each platform with settings has a block of its own, named after it. The
 * descriptions and defaults (`.meta`) are what schema.json and schema.d.ts say of each key
 * (`npm run schema` writes them); they change nothing in parsing.
 */
export const devopsSchema = z.strictObject({
  platform: z.enum(ALL_PLATFORM_NAMES).optional().meta({
    description:
      'Where the apps run: "heroku" (heroku run on a one-off dyno), "local" (this machine, with RELEASE_APP, RELEASE_ENV and RELEASE_ID set), "kubernetes" (kubectl exec in a workload), "docker-compose" (docker compose exec -T on a service), "fly" (fly ssh console on a Fly.io app), "ssh" (ssh to a server) or "custom" (your own argv template).',
    default: 'heroku',
  }),
  qa_app: z.string().meta({
    description:
      'The QA app: release-prepare deploys to it and runs the post-deploy command on it. Required. Each platform has its rule (Heroku: 2 to 30 lowercase letters, digits and dashes, starting with a letter).',
  }),
  prod_app: z.string().meta({
    description:
      'The production app: release-ship deploys to it and runs the post-deploy command on it. Required; must differ from qa_app.',
  }),
  post_deploy_cmd: commandSchema.optional().meta({
    description:
      'The command run on the app after each deploy, the same tokens on QA and prod: a string of plain shell words (no operators, globs, $VAR, backticks or comments) or an argv array. No placeholders. The ship gate runs it on prod only once it succeeded on QA.',
  }),
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
    .optional()
    .meta({
      description:
        'Seconds the post-deploy command may run; then its process group gets SIGTERM (SIGKILL 5 s later) and the step is recorded timed_out. No limit by default.',
      type: 'integer',
      minimum: 1,
      maximum: MAX_TIMEOUT_SECONDS,
    }),
  deploy_cmd: buildPerStageCommands({
    qa: 'The deploy step of release-prepare, to qa_app.',
    prod: 'The deploy step of release-ship, to prod_app.',
  })
    .optional()
    .meta({
      description:
        'The deploy command per environment, each a string or an argv array; {app}, {env}, {sha} (the release id), {qa_app} and {prod_app} are replaced inside its tokens. Without it a stage has no deploy step.',
    }),
  rollback_cmd: buildPerStageCommands({
    qa: 'Undoes the deploy of release-prepare on qa_app; needs deploy_cmd.qa.',
    prod: 'Undoes the deploy of release-ship on prod_app; needs deploy_cmd.prod.',
  })
    .optional()
    .meta({
      description:
        'The command that undoes the deploy, per environment (the forms and placeholders of deploy_cmd). It runs when a step after the deploy fails or times out, once this run deployed; the deploy check is then recorded rolled_back. No rollback by default.',
    }),
  rollback_on_interrupt: z.boolean().optional().meta({
    description:
      'Also run rollback_cmd when the stage is interrupted (SIGINT, SIGTERM) after its deploy. Off by default: an interrupted release is left as it is, for --resume.',
    default: false,
  }),
  publish: z.array(publishEntrySchema).optional().meta({
    description:
      'Packages release-ship publishes before deploying to prod, in order: npm package directories, or { name, check_cmd, publish_cmd } for other ecosystems. Versions already live are skipped.',
    default: [],
  }),
  redact_env: z
    .array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/))
    .optional()
    .meta({
      description: `Environment variables whose values (6 characters or more) are printed and recorded as ***. Always masked too: ${ALWAYS_MASKED_ENV.join(', ')}.`,
      default: [],
    }),
  kubernetes: buildPlatformBlock('kubernetes'),
  'docker-compose': buildPlatformBlock('docker-compose'),
  fly: buildPlatformBlock('fly'),
  ssh: buildPlatformBlock('ssh'),
  custom: buildPlatformBlock('custom'),
});

export type DevopsInput = z.infer<typeof devopsSchema>;
