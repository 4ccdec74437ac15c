// The zod schemas the executors validate with, read by the schema.json and schema.d.ts
// generator through this one module.
export { commandSchema } from '../command/command-option';
export { devopsSchema } from '../config/devops-schema';
export { ALWAYS_MASKED_ENV } from '../config/known-secrets';
export { prepareOptionsSchema, shipOptionsSchema } from '../config/options-schema';
export { requiredSettings, SETTING_VALUE_SCHEMAS } from '../platforms/settings-schema';
