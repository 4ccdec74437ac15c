import { formatFiles, getProjects, updateProjectConfiguration, type Tree } from '@nx/devkit';
import { isDeepStrictEqual } from 'node:util';
import { RELEASE_TARGETS } from '../lib/release-targets';
import { checkPrepareOptions } from './lib/check-prepare-options';
import { describeUnknownProject } from './lib/describe-unknown-project';
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
  const merged = mergeReleaseTargets(options.project, targets, options);
  if ('conflict' in merged) throw new Error(merged.conflict);
  const prepareOptions = merged.targets[RELEASE_TARGETS.prepare]?.options ?? {};
  const problem = checkPrepareOptions(options.project, prepareOptions);
  if (problem) throw new Error(problem);
  if (isDeepStrictEqual(merged.targets, targets)) return;
  updateProjectConfiguration(tree, options.project, { ...project, targets: merged.targets });
  if (!options.skipFormat) await formatFiles(tree);
}
