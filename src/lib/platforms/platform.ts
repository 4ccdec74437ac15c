import type { CommandSpec } from '../command/command-spec';

// Where the post-deploy command runs, as the adapter sees it.
export interface RunTarget {
  readonly app: string;
  readonly env: 'qa' | 'prod';
  readonly releaseId: string;
}

// A platform adapter: pure data and an argv builder; the runner executes what it returns.
export interface Platform {
  readonly name: string;
  // How messages name it: "Heroku".
  readonly label: string;
  // What the remote side receives: the argv itself, or one string run by a shell there.
  readonly remote: 'argv' | 'shell-string';
  readonly appName: { readonly pattern: RegExp; readonly rule: string };
  // The binary the commands start with, and how to install it, for a missing-binary message.
  readonly binary?: { readonly name: string; readonly install: string };
  buildPostDeploy(target: RunTarget, tokens: readonly string[]): CommandSpec;
}
