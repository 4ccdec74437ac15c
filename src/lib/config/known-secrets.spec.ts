import { createRedactor } from '../redact/redact';
import { KNOWN_SECRETS } from './known-secrets';

// The secrets the adapters declare are masked whatever the platform: the redactor of a run.
describe('KNOWN_SECRETS: the adapters declare their credential variables and token shapes', () => {
  const env = {
    HEROKU_API_KEY: 'heroku-key-from-env-0123',
    NPM_TOKEN: 'npm-token-from-env-4567',
    NODE_AUTH_TOKEN: 'node-auth-from-env-89ab',
    FLY_API_TOKEN: 'fly-api-from-env-cdef',
    FLY_ACCESS_TOKEN: 'fly-access-from-env-0123',
  };
  const redact = createRedactor([], env, KNOWN_SECRETS);

  it.each(Object.entries(env))('masks the value of %s', (_name, value) => {
    expect(redact(`value ${value} end`)).toBe('value *** end');
  });

  it.each([
    ['a Heroku API key', 'key HRKU-AAx9e1-longsecretvalue_0123456789', 'key ***'],
    [
      'a legacy Heroku API key (UUID)',
      'token 01234567-89ab-cdef-0123-456789abcdef ok',
      'token *** ok',
    ],
    ['an npm token', 'npm_abcdefghijklmnopqrstuvwxyz0123456789', '***'],
    [
      'an npmrc auth token',
      '//registry.npmjs.org/:_authToken=abcdef123456',
      '//registry.npmjs.org/:_authToken=***',
    ],
    [
      'a Fly.io token',
      'FLY_API_TOKEN=FlyV1 fm2_lJPECAAAAAAAAMx,fm2_abcdef',
      'FLY_API_TOKEN=FlyV1 ***',
    ],
  ])('masks %s', (_name, text, expected) => {
    expect(redact(text)).toBe(expected);
  });
});
