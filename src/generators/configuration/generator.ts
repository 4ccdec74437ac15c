import {
  formatFiles,
  getProjects,
  readNxJson,
  updateProjectConfiguration,
  type Tree,
} from '@nx/devkit';
import { isDeepStrictEqual } from 'node:util';
import { checkReleaseOptions } from './lib/check-release-options';
import { describeUnknownProject } from './lib/describe-unknown-project';
import { findProvidedKeys } from './lib/find-provided-keys';
import { mergeReleaseTargets } from './lib/merge-release-targets';
import type { ConfigurationGeneratorSchema } from './schema';

// nx g nx-release-deploy:configuration: decide in pure modules, refuse before writing anything.
export default async function configurationGenerator(
  tree: Tree,
  options: ConfigurationGeneratorSchema,
): Promise<void> {
  const projects = getProjects(tree);
  const project = projects.get(options.project);
  if (!project) throw new Error(describeUnknownProject(options.project, [...projects.keys()]));
  const targets = project.targets ?? {};
  const targetDefaults = readNxJson(tree)?.targetDefaults;
  const merged = mergeReleaseTargets(options.project, targets, options, {
    prepare: findProvidedKeys(targetDefaults, 'prepare'),
    ship: findProvidedKeys(targetDefaults, 'ship'),
  });
  if ('refusal' in merged) throw new Error(merged.refusal);
  const problem = checkReleaseOptions(options.project, merged.targets);
  if (problem) throw new Error(problem);
  if (isDeepStrictEqual(merged.targets, targets)) return;
  updateProjectConfiguration(tree, options.project, { ...project, targets: merged.targets });
  if (!options.skipFormat) await formatFiles(tree);
}
