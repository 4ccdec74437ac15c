import type { PrepareExecutorOptions } from '../prepare/schema';

// Options of nx-release-deploy:ship, as in schema.json.
export interface ShipExecutorOptions extends PrepareExecutorOptions {
  prepareTarget?: string;
  requirePrepared?: boolean;
}
