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
});
