import { formatOutputHeld } from './format-run';

describe('formatOutputHeld', () => {
  const start =
    '  ... the command exited, but a process it started still holds its output open: the run no longer waits for that output and leaves the process running';

  it.each([
    ['members unknown (no /proc)', undefined, start],
    ['none left in its group (the holder left it)', [], start],
    ['one', [{ pid: 42, name: 'sleep' }], `${start} (still running: sleep 42)`],
    [
      'more than three, counted',
      [1, 2, 3, 4, 5].map((pid) => ({ pid, name: 'ssh' })),
      `${start} (still running: ssh 1, ssh 2, ssh 3, 2 more)`,
    ],
  ])('%s', (_case, running, line) => {
    expect(formatOutputHeld(running)).toBe(line);
  });
});
