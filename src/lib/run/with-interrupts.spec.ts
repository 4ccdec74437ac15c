import { withInterrupts } from './with-interrupts';

describe('withInterrupts', () => {
  it('aborts gracefully on the first signal and at once on the second, for every running stage', async () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const seen: string[] = [];
      await Promise.all(
        ['a', 'b'].map((name) =>
          withInterrupts(async ({ signal, force }) => {
            await new Promise((resolve) => setImmediate(resolve));
            if (name === 'a') process.emit('SIGINT', 'SIGINT');
            await new Promise((resolve) => setImmediate(resolve));
            seen.push(
              `${name}: graceful=${signal.aborted} (${String(signal.reason)}) force=${force.aborted}`,
            );
            if (name === 'b') process.emit('SIGTERM', 'SIGTERM');
            await new Promise((resolve) => setImmediate(resolve));
            seen.push(`${name}: force=${force.aborted} (${String(force.reason)})`);
          }),
        ),
      );
      expect(seen.sort()).toEqual([
        'a: force=true (SIGTERM)',
        'a: graceful=true (SIGINT) force=false',
        'b: force=true (SIGTERM)',
        'b: graceful=true (SIGINT) force=false',
      ]);
      expect(process.listenerCount('SIGINT')).toBe(0);
    } finally {
      write.mockRestore();
    }
  });

  it('starts counting afresh for the next run', async () => {
    await withInterrupts(async ({ signal }) => {
      expect(signal.aborted).toBe(false);
    });
  });
});
