import type { ProcessResult } from '../io/run-process';
import type { LiveCheck } from '../plan/plan';

// What a publish step's check found: live (skip), not live (publish), or it could not tell.
export type LiveVerdict =
  | { readonly kind: 'live' }
  | { readonly kind: 'absent' }
  | { readonly kind: 'unknown'; readonly reason: string };

/**
 * npm: `npm view <name>@<version> version` prints the version when it is live; a 404 (exit 1,
 * E404 in the output, for a missing package or a missing version) means not live; any other
 * failure (network, auth) must fail the step rather than publish blind. Custom: exit 0 = live.
 */
export function decideLive(live: LiveCheck, result: ProcessResult): LiveVerdict {
  const { outcome } = result;
  if (outcome.kind !== 'exited')
    return { kind: 'unknown', reason: 'the live check did not finish' };
  if (live.kind === 'exit-zero')
    return outcome.exitCode === 0 ? { kind: 'live' } : { kind: 'absent' };
  if (outcome.exitCode === 0) {
    const answer = result.stdoutHead.trim();
    if (answer === live.version) return { kind: 'live' };
    if (answer === '') return { kind: 'absent' };
    return {
      kind: 'unknown',
      reason: `npm view answered ${JSON.stringify(answer.slice(0, 80))}, not ${live.version}`,
    };
  }
  if (/\bE404\b|\b404 (Not Found|No match found)/.test(result.outputTail))
    return { kind: 'absent' };
  return { kind: 'unknown', reason: `the live check failed with exit code ${outcome.exitCode}` };
}
