export { default as prepareExecutor } from './executors/prepare/executor';
export { default as shipExecutor } from './executors/ship/executor';
export type {
  PrepareExecutorOptions,
  DevopsOptions,
  CommandOption,
} from './executors/prepare/schema';
export type { ShipExecutorOptions } from './executors/ship/schema';
