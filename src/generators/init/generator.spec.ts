import { readJson, writeJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import initGenerator from './generator';

const INPUTS = ['default', '^default', { runtime: 'git rev-parse HEAD' }, { env: 'NX_RELEASE_ID' }];
const RELEASE_DEFAULTS = {
  'nx-release-deploy:prepare': {
    cache: true,
    inputs: INPUTS,
    outputs: [
      '{workspaceRoot}/dist/release/{projectName}/{options.dryRun ?? options.dry-run ?? prepare}',
    ],
  },
  'nx-release-deploy:ship': {
    cache: true,
    inputs: INPUTS,
    outputs: [
      '{workspaceRoot}/dist/release/{projectName}/{options.dryRun ?? options.dry-run ?? ship}',
    ],
  },
};

function snapshotTree(tree: Tree): Record<string, string | null> {
  return Object.fromEntries(
    tree.listChanges().map((change) => [change.path, change.content?.toString('utf8') ?? null]),
  );
}

describe('nx-release-deploy:init', () => {
  it('adds targetDefaults for both executors and keeps the workspace settings', async () => {
    const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });

    await initGenerator(tree, {});

    expect(readJson(tree, 'nx.json')).toEqual({
      affected: { defaultBase: 'main' },
      targetDefaults: { build: { cache: true }, lint: { cache: true }, ...RELEASE_DEFAULTS },
    });
  });

  it('changes nothing when run again', async () => {
    const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
    tree.write('.gitignore', 'node_modules\n');
    await initGenerator(tree, {});
    const before = snapshotTree(tree);
    const write = jest.spyOn(tree, 'write');

    await initGenerator(tree, {});

    expect(write).not.toHaveBeenCalled();
    expect(snapshotTree(tree)).toEqual(before);
  });

  it('leaves a default the workspace already set for an executor', async () => {
    const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
    const nxJson = readJson(tree, 'nx.json');
    nxJson.targetDefaults['nx-release-deploy:prepare'] = { cache: false };
    writeJson(tree, 'nx.json', nxJson);

    await initGenerator(tree, {});

    expect(readJson(tree, 'nx.json').targetDefaults).toEqual({
      build: { cache: true },
      lint: { cache: true },
      'nx-release-deploy:prepare': { cache: false },
      'nx-release-deploy:ship': RELEASE_DEFAULTS['nx-release-deploy:ship'],
    });
  });

  it.each<[string, string, string]>([
    [
      'ignores the ledgers when nothing ignores dist',
      'node_modules\n',
      'node_modules\n/dist/release\n',
    ],
    [
      'leaves a .gitignore that ignores dist already',
      'node_modules\n/dist\n',
      'node_modules\n/dist\n',
    ],
  ])('%s', async (_name, before, after) => {
    const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
    tree.write('.gitignore', before);

    await initGenerator(tree, {});

    expect(tree.read('.gitignore', 'utf-8')).toBe(after);
  });

  it('creates no .gitignore in a workspace without one', async () => {
    const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });

    await initGenerator(tree, {});

    expect(tree.exists('.gitignore')).toBe(false);
  });

  it('creates nx.json with the defaults in a workspace without one', async () => {
    const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
    tree.delete('nx.json');

    await initGenerator(tree, {});

    expect(readJson(tree, 'nx.json')).toEqual({ targetDefaults: RELEASE_DEFAULTS });
  });
});
