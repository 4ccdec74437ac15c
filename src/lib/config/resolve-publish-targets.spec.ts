import { formatConfigError } from './format-config-error';
import { resolvePublishTargets } from './resolve-publish-targets';

const npm = (dir: string) => ({ kind: 'npm' as const, dir });
const read = (manifest: object) => ({ manifest });

describe('resolvePublishTargets', () => {
  it('reads name, version, registry and a prerelease dist-tag from each package.json', () => {
    const result = resolvePublishTargets(
      [npm('packages/sdk'), npm('packages/beta'), npm('packages/rc')],
      new Map([
        [
          'packages/sdk',
          read({
            name: '@acme/sdk',
            version: '1.4.0',
            publishConfig: { registry: 'https://npm.acme.dev/' },
          }),
        ],
        [
          'packages/beta',
          read({ name: 'beta', version: '2.0.0-beta.1', publishConfig: { tag: 'beta' } }),
        ],
        ['packages/rc', read({ name: 'rc', version: '3.0.0-rc.1' })],
      ]),
    );
    expect(result).toEqual({
      targets: [
        {
          kind: 'npm',
          dir: 'packages/sdk',
          name: '@acme/sdk',
          version: '1.4.0',
          registry: 'https://npm.acme.dev/',
        },
        {
          kind: 'npm',
          dir: 'packages/beta',
          name: 'beta',
          version: '2.0.0-beta.1',
          prereleaseTag: 'beta',
        },
        {
          kind: 'npm',
          dir: 'packages/rc',
          name: 'rc',
          version: '3.0.0-rc.1',
          prereleaseTag: 'next',
        },
      ],
    });
  });

  it.each([
    [
      { reason: 'has no package.json' },
      'devops.publish[0] "packages/x" has no package.json. Point it at an npm package directory (with a package.json).',
    ],
    [
      read({ version: '1.0.0' }),
      'devops.publish[0] "packages/x/package.json" has no valid "name". Give the package an npm name.',
    ],
    [
      read({ name: 'x', version: 'v1' }),
      'devops.publish[0] "packages/x/package.json" has no valid "version". Give the package a semver version such as "1.2.3".',
    ],
    [
      read({ name: 'x', version: '1.0.0', private: true }),
      'devops.publish[0] "packages/x/package.json" is marked "private": true, so npm will not publish it. Remove it from devops.publish, or drop "private".',
    ],
    [
      read({ name: 'x', version: '1.0.0', publishConfig: { registry: 'ftp://x' } }),
      'devops.publish[0] "packages/x/package.json" has a publishConfig.registry that is not an http(s) URL. Fix publishConfig.registry.',
    ],
  ])('refuses %j', (manifest, line) => {
    const result = resolvePublishTargets([npm('packages/x')], new Map([['packages/x', manifest]]));
    if (!('issues' in result)) throw new Error('expected issues');
    expect(formatConfigError('shop', [{ target: 'release-prepare', issues: result.issues }])).toBe(
      `Invalid configuration for shop:release-prepare: ${line}`,
    );
  });
});
