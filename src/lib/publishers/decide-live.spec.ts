import type { ProcessResult } from '../io/run-process';
import type { CustomEntry } from './custom';
import { decideLive } from './decide-live';
import type { NpmTarget } from './npm';

const exited = (exitCode: number, stdoutHead = '', outputTail = stdoutHead): ProcessResult => ({
  outcome: { kind: 'exited', exitCode },
  stdoutHead,
  outputTail,
  durationMs: 5,
});
const npm: NpmTarget = { kind: 'npm', dir: 'packages/sdk', name: '@acme/sdk', version: '1.4.0' };
const custom: CustomEntry = {
  kind: 'custom',
  name: 'shop-gem',
  check: ['gem', 'list'],
  publish: ['gem', 'push'],
};

describe('decideLive: the target publisher judges the live check', () => {
  it.each<[string, ProcessResult, ReturnType<typeof decideLive>]>([
    ['npm prints the version', exited(0, '1.4.0\n'), { kind: 'live' }],
    ['npm prints nothing (older npm, version missing)', exited(0, ''), { kind: 'absent' }],
    [
      'npm 404 for a missing version',
      exited(1, '', 'npm error code E404\nnpm error 404 No match found for version 1.4.0'),
      { kind: 'absent' },
    ],
    [
      'npm 404 for a missing package',
      exited(1, '', 'npm error 404 Not Found - GET https://registry/x - no such package'),
      { kind: 'absent' },
    ],
    [
      'npm fails otherwise (auth)',
      exited(1, '', 'npm error code E401'),
      { kind: 'unknown', reason: 'the live check failed with exit code 1' },
    ],
    [
      'npm answers another version',
      exited(0, '1.3.0\n'),
      { kind: 'unknown', reason: 'npm view answered "1.3.0", not 1.4.0' },
    ],
  ])('npm: %s', (_name, result, verdict) => {
    expect(decideLive(npm, result)).toEqual(verdict);
  });

  it('custom: exit 0 is live, anything else is not, whatever it prints', () => {
    expect(decideLive(custom, exited(0))).toEqual({ kind: 'live' });
    expect(decideLive(custom, exited(1, '', 'npm error code E401'))).toEqual({ kind: 'absent' });
  });

  it.each([npm, custom])('cannot tell when the check did not finish (%j)', (target) => {
    const result: ProcessResult = {
      outcome: { kind: 'timed_out', timeoutMs: 10 },
      stdoutHead: '1.4.0\n',
      outputTail: '',
      durationMs: 10,
    };
    expect(decideLive(target, result)).toEqual({
      kind: 'unknown',
      reason: 'the live check did not finish',
    });
  });
});
