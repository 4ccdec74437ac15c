/**
 * Runs one target of a workspace made by createWorkspace through the PACKED plugin's executor,
 * in this process, without Nx: what Nx's run-executor does for a custom executor (read the
 * project configurations, apply the schema defaults, call the implementation with the options
 * and a context, exit by its result), minus Nx's ~1 s of start-up. Fault-injection tests start
 * it many times and SIGKILL it.
 *
 * Usage: node run-executor.js <workspace root> <project>:<target> [overrides as JSON]
 * Exit status: 0 when the executor returns { success: true }, 1 otherwise (as Nx's is).
 *
 * What it does not model: Nx's option parsing from the command line, configurations, the task
 * graph and output capture; `projectsConfigurations` holds only apps/<name>/project.json.
 */
'use strict';
const { readFileSync, readdirSync, existsSync } = require('node:fs');
const path = require('node:path');

function readProjects(root) {
  const appsDir = path.join(root, 'apps');
  const projects = {};
  for (const dir of readdirSync(appsDir)) {
    const file = path.join(appsDir, dir, 'project.json');
    if (!existsSync(file)) continue;
    const project = JSON.parse(readFileSync(file, 'utf8'));
    projects[project.name] = { root: project.root ?? `apps/${dir}`, targets: project.targets };
  }
  return projects;
}

// "<package>:<name>" -> the implementation and schema the package's executors.json declares,
// resolved from the workspace (so it is the installed, packed plugin, not this repo's dist/).
function resolveExecutor(root, executor) {
  const [packageName, name] = executor.split(':');
  const manifest = require.resolve(`${packageName}/package.json`, { paths: [root] });
  const packageDir = path.dirname(manifest);
  const executorsFile = JSON.parse(readFileSync(manifest, 'utf8')).executors;
  const entry = JSON.parse(readFileSync(path.join(packageDir, executorsFile), 'utf8')).executors[
    name
  ];
  if (!entry) throw new Error(`${packageName} declares no executor "${name}"`);
  return {
    implementation: require.resolve(path.join(packageDir, entry.implementation)),
    schema: JSON.parse(readFileSync(path.join(packageDir, entry.schema), 'utf8')),
  };
}

function applySchemaDefaults(schema, options) {
  const withDefaults = { ...options };
  for (const [key, property] of Object.entries(schema.properties ?? {})) {
    if (withDefaults[key] === undefined && property.default !== undefined)
      withDefaults[key] = property.default;
  }
  return withDefaults;
}

async function runTarget(root, projectAndTarget, overrides) {
  const [projectName, targetName] = projectAndTarget.split(':');
  const projects = readProjects(root);
  const target = projects[projectName]?.targets?.[targetName];
  if (!target) throw new Error(`No target ${projectAndTarget} in ${root}/apps`);
  const { implementation, schema } = resolveExecutor(root, target.executor);
  const options = applySchemaDefaults(schema, { ...(target.options ?? {}), ...overrides });
  const context = {
    root,
    cwd: root,
    projectName,
    targetName,
    isVerbose: false,
    projectsConfigurations: { version: 2, projects },
    nxJsonConfiguration: {},
  };
  const executor = require(implementation).default;
  return executor(options, context);
}

const [root, projectAndTarget, overridesJson = '{}'] = process.argv.slice(2);
if (!root || !projectAndTarget) {
  console.error('Usage: node run-executor.js <workspace root> <project>:<target> [overrides JSON]');
  process.exit(2);
}
process.chdir(root);
runTarget(root, projectAndTarget, JSON.parse(overridesJson)).then(
  (result) => process.exit(result && result.success ? 0 : 1),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
