import { z } from 'zod';

const common = {
  devops: z.record(z.string(), z.unknown()).optional(),
  dryRun: z.boolean().optional(),
  resume: z.boolean().optional(),
  releaseId: z.string().optional(),
  outputPath: z.string().min(1).optional(),
};

// Executor options of `prepare` (camelCase, as Nx users expect).
export const prepareOptionsSchema = z.strictObject(common);

// Executor options of `ship`.
export const shipOptionsSchema = z.strictObject({
  ...common,
  prepareTarget: z.string().min(1).optional(),
  requirePrepared: z.boolean().optional(),
});

export type PrepareOptionsInput = z.infer<typeof prepareOptionsSchema>;
export type ShipOptionsInput = z.infer<typeof shipOptionsSchema>;
