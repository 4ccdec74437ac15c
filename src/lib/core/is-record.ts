// A plain object read from JSON or options (not null, not an array), whose keys can be looked at.
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
