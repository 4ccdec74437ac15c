import type { z } from 'zod';
import type { ConfigIssue } from '../core/config-issue';
import { describeZodIssue } from './describe-zod-issue';

/**
 * Parses with a strict schema but keeps going past unknown keys: they are reported, removed
 * from a copy, and the copy parsed again, so a typo does not hide the other problems (and the
 * checks that need parsed data can still run).
 */
export function parseWithSchema<T>(
  schema: z.ZodType<T>,
  raw: unknown,
  prefix: readonly PropertyKey[],
): { data?: T; issues: ConfigIssue[] } {
  const first = schema.safeParse(raw);
  if (first.success) return { data: first.data, issues: [] };
  const describe = (issue: z.core.$ZodIssue) =>
    describeZodIssue(issue, { root: raw, schema, prefix });
  const unknown = first.error.issues.filter((issue) => issue.code === 'unrecognized_keys');
  if (unknown.length === 0 || unknown.length < first.error.issues.length) {
    return { issues: first.error.issues.flatMap(describe) };
  }
  const copy = structuredClone(raw);
  for (const issue of unknown) {
    const container = issue.path.reduce<unknown>(
      (node, key) => (node as Record<PropertyKey, unknown>)[key],
      copy,
    );
    for (const key of issue.keys) delete (container as Record<string, unknown>)[key];
  }
  const second = schema.safeParse(copy);
  const issues = unknown.flatMap(describe);
  return second.success
    ? { data: second.data, issues }
    : { issues: [...issues, ...second.error.issues.flatMap(describe)] };
}
