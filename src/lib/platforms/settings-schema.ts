import { z } from 'zod';
import type { SettingField, SettingFields } from './setting-fields';

const VALUE_WORDS = {
  string: 'a string',
  list: 'a string or an array of strings',
  argv: 'an array of strings',
} as const;

// One value, or one per environment: { "qa": ..., "prod": ... } with both keys.
function buildPerEnvSchema(value: z.ZodType, kind: SettingField['kind']): z.ZodType {
  return z.union([value, z.strictObject({ qa: value, prod: value })], {
    error: `must be ${VALUE_WORDS[kind]}, or { "qa": ..., "prod": ... } with one for each environment`,
  });
}

// The value of a setting of each kind; one schema per kind, which the schema.d.ts generator
// names (PerEnvOption<...>).
export const SETTING_VALUE_SCHEMAS: Readonly<Record<SettingField['kind'], z.ZodType>> = {
  string: buildPerEnvSchema(z.string(), 'string'),
  list: buildPerEnvSchema(
    z.union([z.string(), z.array(z.string())], {
      error: 'must be a string or an array of strings',
    }),
    'list',
  ),
  argv: buildPerEnvSchema(z.array(z.string()), 'argv'),
};

// What schema.json and schema.d.ts say of a setting: its own words, then the rule and the form.
function describeSetting(field: SettingField): string {
  const rule = field.rule
    ? ` ${field.rule.rule.charAt(0).toUpperCase()}${field.rule.rule.slice(1)}.`
    : '';
  const required = field.required ? ' Required.' : '';
  return `${field.description}${rule}${required} One value, or { "qa": ..., "prod": ... }; may use {app} and {env}.`;
}

// The settings a block must have. zod takes them as optional: a missing one is refused after
// zod, with an example in the message. schema.d.ts types them as required.
export const requiredSettings = z.registry<{ readonly required: true }>();

// The shape of a platform block; unknown keys are refused with a "did you mean" like any option.
export function buildSettingsSchema(fields: SettingFields): z.ZodType<Record<string, unknown>> {
  return z.strictObject(
    Object.fromEntries(
      Object.entries(fields).map(([key, field]) => {
        const schema = SETTING_VALUE_SCHEMAS[field.kind].optional().meta({
          description: describeSetting(field),
          ...(field.default !== undefined && { default: field.default }),
        });
        if (field.required) requiredSettings.add(schema, { required: true });
        return [key, schema];
      }),
    ),
  );
}
