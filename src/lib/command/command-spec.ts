// A process to run: the exact argv (no shell) and the variables added to its environment.
export interface CommandSpec {
  readonly argv: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}
