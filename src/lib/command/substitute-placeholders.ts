// The values a deploy command may refer to as {name}.
export type PlaceholderValues = Readonly<
  Record<'app' | 'env' | 'sha' | 'qa_app' | 'prod_app', string>
>;

export const PLACEHOLDER_NAMES: readonly string[] = ['app', 'env', 'sha', 'qa_app', 'prod_app'];
const PLACEHOLDER = /\{([a-z_]+)\}/g;

// Names of `{name}` placeholders in tokens that are not known, so config checks can refuse them.
export function findUnknownPlaceholders(tokens: readonly string[]): string[] {
  const unknown = new Set<string>();
  for (const token of tokens) {
    for (const match of token.matchAll(PLACEHOLDER)) {
      if (!PLACEHOLDER_NAMES.includes(match[1] as string)) unknown.add(match[0]);
    }
  }
  return [...unknown];
}

// Replaces placeholders inside already-split tokens, so a value can never add or split a token.
export function substitutePlaceholders(
  tokens: readonly string[],
  values: PlaceholderValues,
): string[] {
  return tokens.map((token) =>
    token.replace(PLACEHOLDER, (whole, name: string) =>
      Object.hasOwn(values, name) ? values[name as keyof PlaceholderValues] : whole,
    ),
  );
}
