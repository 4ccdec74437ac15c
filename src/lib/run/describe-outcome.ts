import type { CheckStatus } from '../ledger/ledger';
import type { ProcessOutcome } from '../io/run-process';

// How a finished process is recorded: check status, reason, exit code, and any advice to print.
export interface OutcomeRecord {
  readonly status: Exclude<CheckStatus, 'running' | 'skipped'>;
  readonly reason: string | null;
  readonly exitCode: number | null;
  readonly advice?: string;
}

const INSTALL_HINTS: Readonly<Record<string, string>> = {
  heroku: 'Install the Heroku CLI (npm install -g heroku) and make sure it is on PATH.',
  npm: 'npm comes with Node.js: make sure it is on the PATH the executor sees.',
  git: 'Install git and make sure it is on PATH.',
  kubectl: 'Install kubectl (https://kubernetes.io/docs/tasks/tools/) and make sure it is on PATH.',
  docker: 'Install Docker with the compose plugin (docker compose) and make sure it is on PATH.',
  fly: 'Install flyctl (https://fly.io/docs/flyctl/install/) and make sure `fly` is on PATH.',
  ssh: 'Install an OpenSSH client and make sure it is on PATH.',
};

// Turns a process outcome into the ledger's words (README "The `checks_run` ledger"):
// "exit code 7", "timed out after 30s".
export function describeOutcome(outcome: ProcessOutcome): OutcomeRecord {
  switch (outcome.kind) {
    case 'exited':
      return outcome.exitCode === 0
        ? { status: 'ok', reason: null, exitCode: 0 }
        : { status: 'failed', reason: `exit code ${outcome.exitCode}`, exitCode: outcome.exitCode };
    case 'signaled':
      return { status: 'failed', reason: `killed by ${outcome.signal}`, exitCode: null };
    case 'timed_out':
      return {
        status: 'timed_out',
        reason: `timed out after ${formatSeconds(outcome.timeoutMs)}`,
        exitCode: null,
      };
    case 'interrupted':
      return { status: 'interrupted', reason: `interrupted by ${outcome.signal}`, exitCode: null };
    case 'not_found':
      return {
        status: 'failed',
        reason: `command not found: ${outcome.binary}`,
        exitCode: null,
        advice: `Command not found: ${outcome.binary}. ${adviseMissing(outcome.binary)}`,
      };
    case 'not_executable':
      return {
        status: 'failed',
        reason: `not executable: ${outcome.binary}`,
        exitCode: null,
        advice:
          `Not executable: ${outcome.binary}. Make it executable (chmod +x ${outcome.binary}) and commit the mode ` +
          `(git update-index --chmod=+x ${outcome.binary}), or run it through its interpreter (e.g. ["node", "${outcome.binary}"]).`,
      };
    case 'not_started':
      return { status: 'failed', reason: `could not start: ${outcome.message}`, exitCode: null };
  }
}

// A bare name is looked up on PATH; a name with a slash is a path from the workspace root.
function adviseMissing(binary: string): string {
  if (binary.includes('/'))
    return `There is no such file relative to the workspace root (commands run there).`;
  return INSTALL_HINTS[binary] ?? `Install ${binary}, or fix the PATH the executor sees.`;
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000}s` : `${(ms / 1000).toFixed(1)}s`;
}
