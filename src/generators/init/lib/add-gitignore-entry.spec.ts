import { addGitignoreEntry } from './add-gitignore-entry';

describe('addGitignoreEntry', () => {
  it.each<[string, string, string]>([
    ['empty file', '', '/dist/release\n'],
    ['no dist entry', 'node_modules\n', 'node_modules\n/dist/release\n'],
    ['no final newline', 'node_modules', 'node_modules\n/dist/release\n'],
    ['CRLF file without dist', 'node_modules\r\n', 'node_modules\r\n/dist/release\n'],
    [
      'a line that only mentions dist',
      '# dist is built\ndistribution\n',
      '# dist is built\ndistribution\n/dist/release\n',
    ],
    ['a deeper dist only', 'apps/dist\n', 'apps/dist\n/dist/release\n'],
  ])('adds /dist/release: %s', (_name, before, after) => {
    expect(addGitignoreEntry(before)).toBe(after);
  });

  it.each([
    '/dist',
    'dist',
    'dist/',
    '/dist/',
    'dist/*',
    '/dist/**',
    '  /dist  ',
    'dist/release',
    '/dist/release/',
    'node_modules\r\n/dist\r\n',
  ])('leaves a file that already ignores it: %j', (text) => {
    expect(addGitignoreEntry(text)).toBe(text);
  });
});
