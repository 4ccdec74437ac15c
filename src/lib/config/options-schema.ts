import { z } from 'zod';
import { devopsSchema } from './devops-schema';

// The executor options (camelCase, as Nx users expect). The descriptions and defaults (`.meta`)
// are what schema.json and schema.d.ts say of each option (`npm run schema` writes them); Nx
// fills the defaults in before the executor runs. `devops` is checked by devopsSchema.
const common = {
  dryRun: z.boolean().optional().meta({
    description:
      'Print each step and its exact command line; run nothing, write nothing. Configuration errors still fail.',
    default: false,
  }),
  resume: z.boolean().optional().meta({
    description:
      'Continue the last run of this release: steps already ok are recorded skipped (reason resumed), the rest run. Refuses a ledger of another release.',
    default: false,
  }),
  releaseId: z.string().optional().meta({
    description:
      'Release identity, also {sha} in deploy_cmd: 1-128 letters, digits, dots, dashes and underscores, starting with a letter or digit. A number on the command line (a CI build number, 1e5) is taken as the text typed. Default: NX_RELEASE_ID, else the commit checked out (git rev-parse HEAD).',
  }),
  outputPath: z.string().min(1).optional().meta({
    description:
      "Directory (relative to the workspace root) of the ledgers: <outputPath>/<stage>/checks_run.json. Default dist/release/{projectName}; keep the target's outputs in step.",
  }),
};

const devopsOption = z.record(z.string(), z.unknown()).optional();

// Executor options of `prepare`.
export const prepareOptionsSchema = z.strictObject({
  devops: devopsOption.meta({
    description: `The release configuration, validated by the executor (which names a bad key and its fix). Keys: ${Object.keys(devopsSchema.shape).join(', ')}. Each is described in docs/reference.md.`,
  }),
  ...common,
});

// Executor options of `ship`.
export const shipOptionsSchema = z.strictObject({
  devops: devopsOption.meta({
    description:
      "Overrides of release-prepare's devops, usually none: a top-level key set here replaces the inherited one whole (a platform block too). The same keys as release-prepare's devops.",
  }),
  ...common,
  prepareTarget: z.string().min(1).optional().meta({
    description: "The project's target whose devops ship inherits and whose ledger the gate reads.",
    default: 'release-prepare',
  }),
  requirePrepared: z.boolean().optional().meta({
    description:
      'Refuse to ship unless the prepare ledger shows this release ok, with the same post-deploy command ok on QA.',
    default: true,
  }),
});

export type PrepareOptionsInput = z.infer<typeof prepareOptionsSchema>;
export type ShipOptionsInput = z.infer<typeof shipOptionsSchema>;
