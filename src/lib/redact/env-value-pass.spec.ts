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
    expect(createEnvValuePass(value).holdBack(text, '', '')).toBe(held);
  });

  it.each([
    ['that still fits', 'sk-live-123456', 'key=sk-li', 've-1', 'sk-li'.length],
    ['that completes the value', 'sk-live-123456', 'key=sk-li', 've-123456 ok', 'sk-li'.length],
    ['that contradicts it', 'sk-live-123456', 'key=sk-li', 'ghtly', 0],
    ['that leaves a shorter start open', 'abcabd', 'x abcab', 'c', 'ab'.length],
    [
      'for a value with a mask character in it (a mask could continue it)',
      'ab***c',
      'x ab',
      'zz',
      2,
    ],
  ])('lets what follows decide a start: text %s', (_name, value, text, after, held) => {
    expect(createEnvValuePass(value).holdBack(text, '', after)).toBe(held);
  });

  it('masks every occurrence', () => {
    const pass = createEnvValuePass('sk-live-123456');
    expect(pass.mask('a sk-live-123456 b sk-live-123456', 'x')).toBe('a *** b ***');
  });

  it('holds back the longest start of a long value that repeats itself', () => {
    const value = `${'a'.repeat(4000)}b`;
    expect(createEnvValuePass(value).holdBack('a'.repeat(200_000), '', '')).toBe(4000);
  });
});
