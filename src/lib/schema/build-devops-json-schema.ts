import { z } from 'zod';
import { devopsSchema } from './schema-sources';

// A JSON Schema node, as written to schema.json.
export type JsonSchema = { [keyword: string]: unknown };

/**
 * The documented shape of `devops` (definitions.devops in schema.json), from the zod schema the
 * executor validates with: types, enums, patterns, descriptions, defaults, each platform block
 * and the per-environment values. `required` is left out everywhere: the block is also
 * release-ship's overrides, where nothing is required, and an editor that finds a required key
 * missing drops this alternative for "any value" and with it every completion of the block
 * (the descriptions say what is required).
 */
export function buildDevopsJsonSchema(): JsonSchema {
  const { $schema: _draft, ...schema } = z.toJSONSchema(devopsSchema, {
    target: 'draft-7',
    io: 'input',
  }) as JsonSchema;
  return dropRequired(schema) as JsonSchema;
}

function dropRequired(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(dropRequired);
  if (node === null || typeof node !== 'object') return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([keyword, value]) => !(keyword === 'required' && Array.isArray(value)))
      .map(([keyword, value]) => [keyword, dropRequired(value)]),
  );
}
