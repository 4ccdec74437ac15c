// A process to run: the exact argv (no shell) and the variables added to its environment.
export interface CommandSpec {
  readonly argv: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

// A program an adapter's commands start, and how to install it, for the message that says it
// cannot be started: "install the Heroku CLI (npm install -g heroku) and put it on PATH".
export interface ProgramHint {
  readonly name: string;
  readonly install: string;
}
