import { createEnvValuePass } from './env-value-pass';

const PEM =
  '-----BEGIN TEST KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf\n-----END TEST KEY-----';

describe('createEnvValuePass', () => {
  it.each([
    ['nothing of the value', 'sk-live-123456', 'deploying shop\n', 0],
    ['a start of the value', 'sk-live-123456', 'key=sk-li', 'sk-li'.length],
    ['one character of it', 'sk-live-123456', 'key=s', 1],
    ['the whole value, which is masked and final', 'sk-live-123456', 'key=sk-live-123456', 0],
    ['the value with a character changed', 'sk-live-123456', 'key=sk-live-12X', 0],
    ['the longest start, past a shorter false start', 'abcabd', 'x abcabcab', 'abcab'.length],
    ['an occurrence whose end starts it again', 'abcab', 'x abcab', 'abcab'.length],
    ['a run of a repeated value, left to right', 'aaaaaa', 'x aaaaaaaaa', 'aaaaaaaaa'.length],
    ['a multi-line value open across lines', PEM, `key:\n${PEM.slice(0, 40)}`, 40],
    ['a multi-line value ending in a line break', PEM, `key:\n${PEM.split('\n')[0]}\n`, 25],
  ])('holds back %s', (_name, value, text, held) => {
    expect(createEnvValuePass(value).holdBack(text, 0)).toBe(held);
  });

  it('looks only at the new text, after `from`', () => {
    const pass = createEnvValuePass('sk-live-123456');
    expect(pass.holdBack('sk-live', 7)).toBe(0);
    expect(pass.holdBack('x sk-live', 1)).toBe('sk-live'.length);
  });

  it('masks every occurrence after `from`', () => {
    const pass = createEnvValuePass('sk-live-123456');
    expect(pass.mask('a sk-live-123456 b sk-live-123456', 1)).toBe(' *** b ***');
  });

  it('holds back the longest start of a long value that repeats itself', () => {
    const value = `${'a'.repeat(4000)}b`;
    expect(createEnvValuePass(value).holdBack('a'.repeat(200_000), 0)).toBe(4000);
  });
});
