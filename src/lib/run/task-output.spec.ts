import { PassThrough } from 'node:stream';
import { createTaskOutput } from './task-output';

function collect() {
  const live = new PassThrough();
  let text = '';
  live.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { live, read: () => text };
}

describe('createTaskOutput', () => {
  it('streams a real run live, prefixing every line, and reports only its closing line (not streamed)', async () => {
    const sink = collect();
    const task = createTaskOutput({ live: sink.live, prefix: '[shop] ' });
    task.output.out('[1/1] post_deploy · qa · shop-qa');
    task.stream.write('migrating');
    task.stream.write(' 1\nmigrating 2\n');
    task.output.err('a warning');
    task.output.close?.('prepare of shop succeeded', 'out');
    await new Promise((resolve) => setImmediate(resolve));
    expect(sink.read()).toBe(
      '[shop] [1/1] post_deploy · qa · shop-qa\n[shop] migrating 1\n[shop] migrating 2\n[shop] a warning\n',
    );
    expect(task.report()).toBe('prepare of shop succeeded\n');
  });

  it('streams nothing for a dry run and reports the whole plan', async () => {
    const task = createTaskOutput({});
    task.output.out('nx-release-deploy prepare · shop');
    task.output.close?.('Dry run: 1 step planned, none run.', 'out');
    await new Promise((resolve) => setImmediate(resolve));
    expect(task.report()).toBe(
      'nx-release-deploy prepare · shop\nDry run: 1 step planned, none run.\n',
    );
  });

  it('leaves the closing line to Nx and folds nothing while Nx forwards the stream', async () => {
    const sink = collect();
    const task = createTaskOutput({ live: sink.live });
    task.output.out('[1/1] deploy · qa · shop-qa');
    task.output.close?.('prepare of shop succeeded', 'out');
    await task.flush();
    expect(sink.read()).toBe('[1/1] deploy · qa · shop-qa\n');
    expect(task.output.openStep).toBeUndefined();
  });

  it('on the job log, folds each step, streams the closing line and still reports it', async () => {
    const sink = collect();
    const task = createTaskOutput({ live: sink.live, closingLive: true, foldSteps: true });
    task.output.openStep?.('\u001b[1m[1/2] deploy · qa · shop-qa\u001b[22m');
    task.output.out('  $ deploy shop-qa');
    task.stream.write('pushing');
    task.output.closeStep?.('  ok (1.0s)', '');
    task.output.openStep?.('[2/2] post_deploy · qa · shop-qa');
    task.stream.write('migrating\n');
    task.output.closeStep?.('  ok (0.5s)', '');
    task.output.out('Summary: prepare of shop');
    task.output.close?.('prepare of shop succeeded', 'out');
    await task.flush();
    expect(sink.read()).toBe(
      [
        '::group::[1/2] deploy · qa · shop-qa',
        '  $ deploy shop-qa',
        'pushing',
        '::endgroup::',
        '  ok (1.0s)',
        '::group::[2/2] post_deploy · qa · shop-qa',
        'migrating',
        '::endgroup::',
        '  ok (0.5s)',
        'Summary: prepare of shop',
        'prepare of shop succeeded',
        '',
      ].join('\n'),
    );
    expect(task.report()).toBe('prepare of shop succeeded\n');
  });

  it("on the job log, shows a failed step's output and the plugin's own errors outside the fold", async () => {
    const sink = collect();
    const task = createTaskOutput({ live: sink.live, closingLive: true, foldSteps: true });
    task.output.openStep?.('[1/1] post_deploy · qa · shop-qa');
    task.stream.write('error: column exists\n');
    task.output.err('Command not found advice');
    task.output.closeStep?.('  FAILED: exit code 4 (0.5s)', 'error: column exists\n');
    task.output.close?.('ABORTED: prepare of shop', 'err');
    await task.flush();
    expect(sink.read()).toBe(
      [
        '::group::[1/1] post_deploy · qa · shop-qa',
        'error: column exists',
        '::endgroup::',
        'Command not found advice',
        '  FAILED: exit code 4 (0.5s)',
        '  Last output of the step (also in its group above):',
        'error: column exists',
        'ABORTED: prepare of shop',
        '',
      ].join('\n'),
    );
    expect(task.report()).toBe('ABORTED: prepare of shop\n');
  });

  it('on the job log, prefixes side-by-side tasks and folds nothing', async () => {
    const sink = collect();
    const task = createTaskOutput({ live: sink.live, prefix: '[shop] ', closingLive: true });
    task.output.out('[1/1] deploy · qa · shop-qa');
    task.output.close?.('prepare of shop succeeded', 'out');
    await task.flush();
    expect(sink.read()).toBe(
      '[shop] [1/1] deploy · qa · shop-qa\n[shop] prepare of shop succeeded\n',
    );
    expect(task.output.openStep).toBeUndefined();
  });
});
