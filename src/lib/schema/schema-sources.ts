// The zod schemas the executors validate with, read by the schema.json and schema.d.ts
// generator through this one module.
export { commandSchema, devopsSchema } from '../config/devops-schema';
export { prepareOptionsSchema, shipOptionsSchema } from '../config/options-schema';
export { requiredSettings, SETTING_VALUE_SCHEMAS } from '../platforms/settings-schema';
