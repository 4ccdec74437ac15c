import { npmPublisher, type NpmTarget } from './npm';

const target: NpmTarget = { kind: 'npm', dir: 'packages/sdk', name: '@acme/sdk', version: '1.4.0' };

describe('npmPublisher', () => {
  it.each<[string, NpmTarget, ReturnType<typeof npmPublisher.buildCommands>]>([
    [
      'views then publishes the directory',
      target,
      {
        id: 'publish:@acme/sdk@1.4.0',
        target: 'npm',
        check: { argv: ['npm', 'view', '@acme/sdk@1.4.0', 'version'] },
        publish: { argv: ['npm', 'publish', './packages/sdk'] },
      },
    ],
    [
      "asks the package's registry, and tags a prerelease",
      {
        ...target,
        version: '2.0.0-rc.1',
        registry: 'https://npm.acme.dev/',
        prereleaseTag: 'next',
      },
      {
        id: 'publish:@acme/sdk@2.0.0-rc.1',
        target: 'https://npm.acme.dev/',
        check: {
          argv: [
            'npm',
            'view',
            '@acme/sdk@2.0.0-rc.1',
            'version',
            '--registry=https://npm.acme.dev/',
          ],
        },
        publish: { argv: ['npm', 'publish', './packages/sdk', '--tag=next'] },
      },
    ],
  ])('%s', (_name, input, commands) => {
    expect(npmPublisher.buildCommands(input)).toEqual(commands);
  });

  it.each([
    ['a path with a backslash and a trailing slash', 'packages\\sdk/', 'packages/sdk'],
    ['a path with dots inside the workspace', 'packages/../sdk', 'sdk'],
  ])('reads %s as a directory of the workspace', (_name, input, dir) => {
    expect(npmPublisher.readEntry(input, 'devops.publish[0]')).toEqual({
      entry: { kind: 'npm', dir },
    });
  });

  it.each(['', '/abs/sdk', '..', '../sdk', 'a/../../sdk'])('refuses %j', (input) => {
    expect(npmPublisher.readEntry(input, 'devops.publish[0]')).toEqual({
      issues: [expect.objectContaining({ path: 'devops.publish[0]' })],
    });
  });

  it('asks for the package.json of its directory', () => {
    expect(npmPublisher.locateManifest?.({ kind: 'npm', dir: 'packages/sdk' })).toBe(
      'packages/sdk',
    );
  });
});
