import { z } from 'zod';
import type { SettingField, SettingFields } from './setting-fields';

const VALUE_SCHEMAS = {
  string: () => z.string(),
  list: () =>
    z.union([z.string(), z.array(z.string())], {
      error: 'must be a string or an array of strings',
    }),
  argv: () => z.array(z.string()),
} as const;

const VALUE_WORDS = {
  string: 'a string',
  list: 'a string or an array of strings',
  argv: 'an array of strings',
} as const;

// One value, or one per environment: { "qa": ..., "prod": ... } with both keys.
function buildPerEnvSchema(field: SettingField): z.ZodType {
  const value = VALUE_SCHEMAS[field.kind]();
  return z.union([value, z.strictObject({ qa: value, prod: value })], {
    error: `must be ${VALUE_WORDS[field.kind]}, or { "qa": ..., "prod": ... } with one for each environment`,
  });
}

// The shape of a platform block; unknown keys are refused with a "did you mean" like any option.
export function buildSettingsSchema(fields: SettingFields): z.ZodType<Record<string, unknown>> {
  return z.strictObject(
    Object.fromEntries(
      Object.entries(fields).map(([key, field]) => [key, buildPerEnvSchema(field).optional()]),
    ),
  );
}
