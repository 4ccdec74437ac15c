import { createLiveMasker } from './live-masker';
import { makeRedactor } from '../test-support/make-redactor';

const redact = makeRedactor([], {});

// What a quiet moment shows of a text, and what the end then adds.
function settle(text: string): { shown: string; rest: string } {
  const masker = createLiveMasker(redact);
  const shown = masker.write(text) + masker.settle();
  return { shown, rest: masker.end() };
}

// Token texts, each with what masking the whole of it gives.
const TOKENS: readonly (readonly [string, string])[] = [
  ['key HRKU-AAx9e1-longsecretvalue_0123456789 ok', 'key *** ok'],
  ['token 01234567-89ab-cdef-0123-456789abcdef ok', 'token *** ok'],
  ['npm_abcdefghijklmnopqrstuvwxyz0123456789\n', '***\n'],
  ['ghp_abcdefghijklmnopqrstuvwxyz0123456789AB done', '*** done'],
  ['Authorization: Bearer abc.def-ghi_jkl', 'Authorization: Bearer ***'],
  ['Authorization: basic\n  dXNlcjpwYXNzd29yZA==\n', 'Authorization: basic\n  ***\n'],
  ['FLY_API_TOKEN=FlyV1 fm2_lJPECAAAAAAAAMx,fm2_abcdef end', 'FLY_API_TOKEN=FlyV1 *** end'],
  ['//registry.npmjs.org/:_authToken=abcdef123456\n', '//registry.npmjs.org/:_authToken=***\n'],
  [
    'git push https://deploy:hunter22@git.example.com/x.git',
    'git push https://deploy:***@git.example.com/x.git',
  ],
  ['Bearer abc.Bearer  zzzzzzzzzz ok', 'Bearer ***  zzzzzzzzzz ok'],
];

describe('token shapes in a live stream', () => {
  it.each([
    ['a progress line', 'Downloading 45%', ''],
    ['a prompt', 'Password: ', ''],
    ['a plain line end', 'Migrating... ', ''],
    ['a word (no scheme is held for a URL)', 'Deploying shop', ''],
    ['a URL without a password', 'see https://example.com/x ', ''],
    ['a URL password still open', 'git push https://user:pa', '://user:pa'],
    ['a URL before its password', 'git push https://user', '://user'],
    ['a colon after a word (could start ://)', 'time 12:', ':'],
    ['a number (could start a UUID)', 'Progress 45', '45'],
    [
      'a whole UUID (a next hex digit would unmake it)',
      'id 01234567-89ab-cdef-0123-456789abcdef',
      '01234567-89ab-cdef-0123-456789abcdef',
    ],
    ['a Heroku key still open', 'key HRKU-AAx9e1-long', 'HRKU-AAx9e1-long'],
    ['the start of "HRKU-"', 'key HRK', 'HRK'],
    ['an npm token still short', 'npm_abcdefghij', 'npm_abcdefghij'],
    [
      'a GitHub token, which may go on',
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789',
    ],
    ['Bearer before its token', 'Authorization: Bearer ', 'Bearer '],
    ['a Bearer token that may go on', 'Authorization: Bearer abcdefgh', 'Bearer abcdefgh'],
    ['Basic before a line break (\\s+ spans it)', 'Authorization: Basic\n', 'Basic\n'],
    ['a Fly.io token', 'FlyV1 fm2_abc', 'FlyV1 fm2_abc'],
    ['an npmrc token', '//registry.npmjs.org/:_authToken=abc', '_authToken=abc'],
    ['a finished URL password', 'https://u:pw@host/x ', ''],
    ['a finished Bearer token', 'Bearer abcdefgh ok', ''],
  ])('after a quiet moment, holds back %s', (_name, text, held) => {
    const { shown, rest } = settle(text);
    expect(shown).toBe(redact(text.slice(0, text.length - held.length)));
    expect(shown + rest).toBe(redact(text));
  });

  it.each(TOKENS)(
    'masks %j as a whole text does, wherever one quiet gap cuts it',
    (text, masked) => {
      expect(redact(text)).toBe(masked);
      for (let at = 0; at <= text.length; at++) {
        const masker = createLiveMasker(redact);
        const out =
          masker.write(text.slice(0, at)) + masker.settle() + masker.write(text.slice(at));
        expect({ at, out: out + masker.end() }).toEqual({ at, out: masked });
      }
    },
  );

  it.each(TOKENS)(
    'masks %j as a whole text does, wherever two quiet gaps cut it',
    (text, masked) => {
      for (let first = 0; first <= text.length; first++) {
        for (let second = first; second <= text.length; second++) {
          const masker = createLiveMasker(redact);
          const out =
            masker.write(text.slice(0, first)) +
            masker.settle() +
            masker.write(text.slice(first, second)) +
            masker.settle() +
            masker.write(text.slice(second));
          expect({ first, second, out: out + masker.end() }).toEqual({
            first,
            second,
            out: masked,
          });
        }
      }
    },
  );

  it.each(TOKENS)(
    'masks %j as a whole text does, written one character at a time',
    (text, masked) => {
      const masker = createLiveMasker(redact);
      let out = '';
      for (const char of text) out += masker.write(char) + masker.settle();
      expect(out + masker.end()).toBe(masked);
    },
  );
});
