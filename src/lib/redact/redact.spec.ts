import { createRedactor } from './redact';

describe('createRedactor', () => {
  const redact = createRedactor(['DATABASE_URL'], {
    DATABASE_URL: 'postgres://app:s3cr3t-pw@db.internal/app',
    HEROKU_API_KEY: 'HRKU-AAx9e1-longsecretvalue_0123456789',
    SHORT: 'abc',
  });

  it.each([
    ['a configured env value', 'url=postgres://app:s3cr3t-pw@db.internal/app', 'url=***'],
    ['a default credential variable', 'key HRKU-AAx9e1-longsecretvalue_0123456789', 'key ***'],
    [
      'a legacy Heroku API key (UUID)',
      'token 01234567-89ab-cdef-0123-456789abcdef ok',
      'token *** ok',
    ],
    ['an npm token', 'npm_abcdefghijklmnopqrstuvwxyz0123456789', '***'],
    ['a GitHub token', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789AB', '***'],
    ['a bearer token', 'Authorization: Bearer abc.def-ghi_jkl', 'Authorization: Bearer ***'],
    [
      'a Fly.io token',
      'FLY_API_TOKEN=FlyV1 fm2_lJPECAAAAAAAAMx,fm2_abcdef',
      'FLY_API_TOKEN=FlyV1 ***',
    ],
    [
      'an npmrc auth token',
      '//registry.npmjs.org/:_authToken=abcdef123456',
      '//registry.npmjs.org/:_authToken=***',
    ],
    [
      'a bearer token after a line break, keeping the whitespace',
      'Authorization: Bearer\n\tabc.def-ghi_jkl',
      'Authorization: Bearer\n\t***',
    ],
    [
      'a password in a URL, the scheme aside',
      'git+ssh://git:s3cret@host/x',
      'git+ssh://git:***@host/x',
    ],
    [
      'a password in a URL',
      'git push https://deploy:hunter22@git.example.com/x.git',
      'git push https://deploy:***@git.example.com/x.git',
    ],
  ])('masks %s', (_name, text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it('leaves ordinary text, commit SHAs and short env values alone', () => {
    const text =
      'release 6989c6764e9644430af988110eafcbdc31a861ef abc https://git.example.com/x.git';
    expect(redact(text)).toBe(text);
  });
});
