import type { z } from 'zod';
import { formatPath, type ConfigIssue } from '../core/config-issue';
import { describeValue } from '../core/describe-value';
import { suggestKey } from './suggest-key';

// What a user should put where a value of each expected type is missing or wrong.
const EXAMPLES: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  object: 'an object',
  record: 'an object',
  int: 'a whole number',
  array: 'an array',
};

// Turns one zod issue into a sentence pair; zod's own JSON never reaches the user.
export function describeZodIssue(
  issue: z.core.$ZodIssue,
  input: {
    readonly root: unknown;
    readonly schema: z.ZodType;
    readonly prefix: readonly PropertyKey[];
  },
): ConfigIssue[] {
  const { root, schema, prefix } = input;
  const segments = [...prefix, ...issue.path];
  const value = readPath(root, issue.path);
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((key) =>
        describeUnknownKey(segments, key, listKnownKeys(schema, issue.path)),
      );
    case 'invalid_type':
      if (value === undefined) {
        return [
          {
            path: formatPath(segments),
            problem: 'is required',
            fix: `set it to ${EXAMPLES[issue.expected] ?? issue.expected}`,
          },
        ];
      }
      return [
        {
          path: formatPath(segments),
          problem: `must be ${EXAMPLES[issue.expected] ?? issue.expected}, not ${describeValue(value)}`,
          fix: `set it to ${EXAMPLES[issue.expected] ?? issue.expected}`,
        },
      ];
    case 'invalid_value':
      return [
        {
          path: formatPath(segments),
          problem: `${describeValue(value)} is not supported`,
          fix: `use one of: ${issue.values.map((v) => String(v)).join(', ')}`,
        },
      ];
    case 'invalid_union': {
      if (value === undefined) {
        return [
          {
            path: formatPath(segments),
            problem: 'is required',
            fix: issue.message.replace(/^must be/, 'set it to'),
          },
        ];
      }
      const branch = findIntendedBranch(issue.errors);
      if (branch) {
        return branch.flatMap((inner) =>
          describeZodIssue({ ...inner, path: [...issue.path, ...inner.path] }, input),
        );
      }
      return [
        { path: formatPath(segments), problem: describeOther(issue, value), fix: fixOther(issue) },
      ];
    }
    default:
      return [
        { path: formatPath(segments), problem: describeOther(issue, value), fix: fixOther(issue) },
      ];
  }
}

function describeUnknownKey(
  segments: readonly PropertyKey[],
  key: string,
  known: readonly string[],
): ConfigIssue {
  const suggestion = suggestKey(key, known);
  return {
    path: formatPath([...segments, key]),
    problem: 'is not a known option',
    fix: suggestion
      ? `did you mean "${suggestion}"?`
      : known.length > 0
        ? `remove it (known: ${known.join(', ')})`
        : 'remove it',
  };
}

// The keys a strict object accepts at `path`, found by walking the schema definition.
function listKnownKeys(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  const def = schema.def as unknown as {
    type: string;
    shape?: Record<string, z.ZodType>;
    innerType?: z.ZodType;
    element?: z.ZodType;
    options?: z.ZodType[];
  };
  if (def.type === 'optional' && def.innerType) return listKnownKeys(def.innerType, path);
  if (def.type === 'union' && def.options) {
    return def.options.flatMap((option) => listKnownKeys(option, path));
  }
  if (path.length === 0) return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
  const [head, ...rest] = path;
  if (def.type === 'object' && def.shape && typeof head === 'string' && def.shape[head])
    return listKnownKeys(def.shape[head], rest);
  if (def.type === 'array' && def.element && typeof head === 'number')
    return listKnownKeys(def.element, rest);
  return [];
}

// In a union, the branch the user meant is the one whose value had the right type.
function findIntendedBranch(
  branches: readonly (readonly z.core.$ZodIssue[])[],
): readonly z.core.$ZodIssue[] | undefined {
  const plausible = branches.filter(
    (issues) => !issues.some((inner) => inner.path.length === 0 && inner.code === 'invalid_type'),
  );
  return plausible.length === 1 ? plausible[0] : undefined;
}

function describeOther(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'too_small' && issue.origin === 'string') return 'must not be empty';
  if (issue.code === 'too_small')
    return `must be at least ${String(issue.minimum)}${issue.inclusive ? '' : ' (exclusive)'}`;
  if (issue.code === 'too_big') return `must be at most ${String(issue.maximum)}`;
  if (issue.code === 'invalid_format')
    return `${describeValue(value)} is not a valid environment variable name`;
  if (issue.code === 'custom') return `${issue.message}, not ${describeValue(value)}`;
  if (issue.code === 'invalid_union') return issue.message;
  if (issue.code === 'invalid_type') return issue.message;
  return `${describeValue(value)} is not valid (${issue.message})`;
}

function fixOther(issue: z.core.$ZodIssue): string {
  if (issue.code === 'too_small' && issue.origin === 'string')
    return 'give a value, or remove the option';
  if (issue.code === 'too_small' || issue.code === 'too_big') return 'use a whole number in range';
  if (issue.code === 'invalid_format')
    return 'use letters, digits and underscores, not starting with a digit';
  if (issue.code === 'invalid_union') return 'see the README for the accepted forms';
  if (issue.code === 'custom' && typeof issue.params?.fix === 'string') return issue.params.fix;
  return 'see the README for the accepted values';
}

function readPath(root: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>(
    (node, key) =>
      node !== null && typeof node === 'object'
        ? (node as Record<PropertyKey, unknown>)[key]
        : undefined,
    root,
  );
}
