import { formatFiles, readNxJson, updateNxJson, writeJson, type Tree } from '@nx/devkit';
import { addGitignoreEntry } from './lib/add-gitignore-entry';
import { mergeTargetDefaults } from './lib/merge-target-defaults';
import type { InitGeneratorSchema } from './schema';

// nx-release-deploy:init, run by `nx add nx-release-deploy`: workspace defaults, never overwritten.
export default async function initGenerator(
  tree: Tree,
  options: InitGeneratorSchema = {},
): Promise<void> {
  const nxJson = readNxJson(tree);
  const targetDefaults = mergeTargetDefaults(nxJson?.targetDefaults);
  if (!nxJson) writeJson(tree, 'nx.json', { targetDefaults });
  else if (targetDefaults !== nxJson.targetDefaults)
    updateNxJson(tree, { ...nxJson, targetDefaults });
  if (tree.exists('.gitignore')) {
    const before = tree.read('.gitignore', 'utf-8') ?? '';
    const after = addGitignoreEntry(before);
    if (after !== before) tree.write('.gitignore', after);
  }
  if (!options.skipFormat) await formatFiles(tree);
}
