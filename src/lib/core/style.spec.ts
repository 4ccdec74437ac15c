import { chooseStyle, PLAIN } from './style';

describe('chooseStyle', () => {
  it.each<[Record<string, string>, boolean, boolean]>([
    [{}, true, true],
    [{}, false, false],
    [{ NO_COLOR: '1' }, true, false],
    [{ NO_COLOR: '' }, true, true],
    [{ FORCE_COLOR: '1' }, false, true],
    [{ FORCE_COLOR: '3' }, false, true],
    [{ FORCE_COLOR: '0' }, true, false],
    [{ FORCE_COLOR: 'false' }, true, false],
    [{ NO_COLOR: '1', FORCE_COLOR: '1' }, true, false],
  ])('env %j with a TTY=%s: colour %s', (env, isTTY, coloured) => {
    const style = chooseStyle(env, isTTY);
    expect(style === PLAIN).toBe(!coloured);
    expect(style.red('x')).toBe(coloured ? '\u001b[31mx\u001b[39m' : 'x');
  });
});
