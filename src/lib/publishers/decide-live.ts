import type { ProcessResult } from '../io/run-process';
import type { LiveVerdict } from './publisher';
import { PUBLISHERS, type PublishTarget } from './publishers';

// The verdict on a publish step's live check: one that did not finish cannot tell; one that
// did, the target's publisher judges from its exit code and output.
export function decideLive(target: PublishTarget, result: ProcessResult): LiveVerdict {
  const { outcome } = result;
  if (outcome.kind !== 'exited')
    return { kind: 'unknown', reason: 'the live check did not finish' };
  return PUBLISHERS[target.kind].decideLive(target, {
    exitCode: outcome.exitCode,
    stdoutHead: result.stdoutHead,
    outputTail: result.outputTail,
  });
}
