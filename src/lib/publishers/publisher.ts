import type { z } from 'zod';
import type { CommandSpec, ProgramHint } from '../command/command-spec';
import type { ConfigIssue } from '../core/config-issue';
import type { PackageManifest } from '../io/read-package-manifest';
import type { KnownSecrets } from '../redact/redact';

// What a publish step's check found: live (skip), not live (publish), or it could not tell.
export type LiveVerdict =
  | { readonly kind: 'live' }
  | { readonly kind: 'absent' }
  | { readonly kind: 'unknown'; readonly reason: string };

// A live check that ran to its end: its exit code and the output it left.
export interface FinishedCheck {
  readonly exitCode: number;
  readonly stdoutHead: string;
  readonly outputTail: string;
}

// What reading a package directory's package.json found (the runner reads it, not the adapter).
export type ManifestRead = { readonly manifest: PackageManifest } | { readonly reason: string };

// A publish step as its publisher names it, with its live check and its publish command.
export interface PublishCommands {
  // The step id: `publish:<name>@<version>`, or `publish:<name>`.
  readonly id: string;
  // Where it publishes, for the step header: `npm`, a registry URL, the package name.
  readonly target: string;
  readonly check: CommandSpec;
  readonly publish: CommandSpec;
}

/**
 * An ecosystem packages are published to, in one place: its shape of `devops.publish` entry
 * and the rules for it, the target it resolves the entry into (with the package.json the runner
 * read for it, if it asks for one), the step's live check and publish command as data, the
 * verdict on the check's result, and how to install its program. It never runs anything.
 * Methods take the adapter's own entry and target; the registry calls each adapter with the
 * entries and targets of its own kind only.
 */
export interface Publisher<Input, Entry, Target> {
  // The entries it reads, and how the message refusing any other entry names them.
  readonly schema: z.ZodType<Input>;
  readonly shape: string;
  // The entry's meaning checked; problems name the entry's path `at` (devops.publish[2]).
  readEntry(input: Input, at: string): { entry: Entry } | { issues: ConfigIssue[] };
  // What makes two entries the same package: the second is refused.
  identify(entry: Entry): string;
  // The package directory whose package.json the target needs, when it needs one.
  locateManifest?(entry: Entry): string;
  // The entry completed with what was read for it (undefined when it asked for nothing).
  resolveTarget(
    entry: Entry,
    read: ManifestRead | undefined,
    at: string,
  ): { target: Target } | { issues: ConfigIssue[] };
  buildCommands(target: Target): PublishCommands;
  // The entry keys its commands come from, for a message about one (without: the entry itself).
  readonly commandKeys?: { readonly check: string; readonly publish: string };
  // What makes a version live, for the dry run: "npm answers version 1.4.0".
  describeLive(target: Target): string;
  decideLive(target: Target, check: FinishedCheck): LiveVerdict;
  // The program its commands start, and how to install it.
  readonly binary?: ProgramHint;
  // Its credential variables and token shapes, masked in all output.
  readonly secrets?: KnownSecrets;
}
