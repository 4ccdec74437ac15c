import { FOLD_END, formatFailedOutput, formatFoldStart } from './format-fold';

describe('formatFoldStart', () => {
  it.each([
    ['a plain step header', '[1/2] deploy · qa · shop-qa', '::group::[1/2] deploy · qa · shop-qa'],
    [
      'a bold header loses its colour codes',
      '\u001b[1m[2/2] post_deploy · qa · shop-qa\u001b[22m',
      '::group::[2/2] post_deploy · qa · shop-qa',
    ],
    ['a title stays one line', 'a\nb\r\nc', '::group::a b c'],
  ])('%s', (_name, title, expected) => {
    expect(formatFoldStart(title)).toBe(expected);
  });

  it('closes with the workflow command GitHub expects', () => {
    expect(FOLD_END).toBe('::endgroup::');
  });
});

describe('formatFailedOutput', () => {
  it.each([
    ['nothing for a step that printed nothing', '', ''],
    [
      'the tail under a label, ending with a newline',
      'migrating\nerror: column exists',
      '  Last output of the step (also in its group above):\nmigrating\nerror: column exists\n',
    ],
    [
      'a tail that ends with a newline gets no second one',
      'boom\n',
      '  Last output of the step (also in its group above):\nboom\n',
    ],
  ])('%s', (_name, tail, expected) => {
    expect(formatFailedOutput(tail)).toBe(expected);
  });
});
