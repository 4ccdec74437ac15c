import { buildExecutorSchema, type ExecutorName } from './build-executor-schema';
import { formatExecutorTypes } from './format-executor-types';

// A file the generator writes, relative to the repository root (not yet run through prettier).
export interface SchemaFile {
  readonly path: string;
  readonly text: string;
}

const EXECUTOR_NAMES: readonly ExecutorName[] = ['prepare', 'ship'];

// Both executors' schema.json and schema.d.ts, as the zod schemas describe them.
export function renderSchemaFiles(): SchemaFile[] {
  return EXECUTOR_NAMES.flatMap((name) => [
    {
      path: `src/executors/${name}/schema.json`,
      text: `${JSON.stringify(buildExecutorSchema(name), null, 2)}\n`,
    },
    { path: `src/executors/${name}/schema.d.ts`, text: formatExecutorTypes(name) },
  ]);
}
