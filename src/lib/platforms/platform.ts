import type { CommandSpec, ProgramHint } from '../command/command-spec';
import type { KnownSecrets } from '../redact/redact';

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
  readonly binary?: ProgramHint;
  // The variable its CLI reads a credential from, and what a dry run notes when it is unset.
  readonly credential?: { readonly env: string; readonly unset: string };
  // Its credential variables and token shapes, masked in all output whatever the platform.
  readonly secrets?: KnownSecrets;
  buildPostDeploy(target: RunTarget, tokens: readonly string[]): CommandSpec;
}
