import { MASK } from './mask-pass';
import { createRedactor, type KnownSecrets } from './redact';
import { chainParts, partialOf, spellParts } from './token-shape-passes';

// An adapter's declaration: the variable of its credential and the shape of its tokens.
const DECLARED: KnownSecrets = {
  env: ['ACME_DEPLOY_KEY'],
  tokenShapes: [
    {
      pattern: /\bacme_[a-z0-9]{12}\b/g,
      replace: () => MASK,
      needs: 'acme_',
      runs: [/\w/],
      partial: partialOf(`\\b${chainParts(spellParts('acme', '_[a-z0-9]{0,12}'))}`),
    },
  ],
  keywordShapes: [
    {
      pattern: /\b(AcmeKey\s+)[a-z0-9]{8,}/g,
      replace: (match) => `${match[1] ?? ''}${MASK}`,
      needs: 'AcmeKey',
      runs: [/[a-z0-9]/, /\s/, /[A-Za-z]/],
      partial: partialOf(`\\b${chainParts(spellParts('AcmeKey', '\\s+[a-z0-9]*'))}`),
    },
  ],
};

describe('createRedactor', () => {
  const env = {
    DATABASE_URL: 'postgres://app:s3cr3t-pw@db.internal/app',
    GITHUB_TOKEN: 'token-from-the-ci-0123456789',
    ACME_DEPLOY_KEY: 'acme-deploy-key-0123456789',
    SHORT: 'abc',
  };
  const redact = createRedactor(['DATABASE_URL'], env, [DECLARED]);

  it.each([
    ['a configured env value', 'url=postgres://app:s3cr3t-pw@db.internal/app', 'url=***'],
    ['a usual credential variable', 'token token-from-the-ci-0123456789', 'token ***'],
    ['a credential variable an adapter declares', 'key acme-deploy-key-0123456789', 'key ***'],
    ['a token shape an adapter declares', 'token acme_0123456789ab ok', 'token *** ok'],
    [
      'a keyword an adapter declares, keeping it',
      'auth AcmeKey abcdef0123 ok',
      'auth AcmeKey *** ok',
    ],
    ['a GitHub token', 'ghp_abcdefghijklmnopqrstuvwxyz0123456789AB', '***'],
    ['a bearer token', 'Authorization: Bearer abc.def-ghi_jkl', 'Authorization: Bearer ***'],
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

  it('masks only what is declared: without the declaration, its variable and shape stay', () => {
    const bare = createRedactor([], env, []);
    const text = 'key acme-deploy-key-0123456789 token acme_0123456789ab AcmeKey abcdef0123';
    expect(bare(text)).toBe(text);
    expect(redact(text)).toBe('key *** token *** AcmeKey ***');
  });

  it('leaves ordinary text, commit SHAs and short env values alone', () => {
    const text =
      'release 6989c6764e9644430af988110eafcbdc31a861ef abc https://git.example.com/x.git';
    expect(redact(text)).toBe(text);
  });
});
