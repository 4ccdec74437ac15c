import type { DevopsGeneratorOptions } from './build-devops';

const GENERATOR = 'nx g nx-release-deploy:configuration';
const EXAMPLE_POST_DEPLOY_CMD = 'bin/rails db:migrate';

// The flags on the command line, in the order the README writes them.
const FLAGS = [
  ['qaApp', '--qa-app'],
  ['prodApp', '--prod-app'],
  ['postDeployCmd', '--post-deploy-cmd'],
  ['platform', '--platform'],
  ['postDeployTimeout', '--post-deploy-timeout'],
  ['deployCmdQa', '--deploy-cmd-qa'],
  ['deployCmdProd', '--deploy-cmd-prod'],
] as const;

/**
 * A new configuration needs both apps (an existing release-prepare already has them in its
 * devops, so an update may leave them out). The refusal names the missing flags as they are
 * typed and shows a complete command to copy: the values given, plus an example for each
 * missing one (and a post-deploy command when nothing else would give both stages work).
 */
export function describeMissingApps(
  project: string,
  options: DevopsGeneratorOptions,
): string | undefined {
  const missing = FLAGS.slice(0, 2).filter(([option]) => options[option] === undefined);
  if (missing.length === 0) return undefined;
  const names = missing.map(([, flag]) => flag);
  const listed = names.length === 1 ? `${names[0]} is` : `${names.join(' and ')} are`;
  return (
    `Cannot add the release targets to ${project}: ${listed} required for a new configuration. ` +
    `Example: ${formatExample(project, options)}`
  );
}

function formatExample(project: string, options: DevopsGeneratorOptions): string {
  const base = toAppName(project);
  const qaApp =
    options.qaApp ?? (options.prodApp === `${base}-qa` ? `${base}-staging` : `${base}-qa`);
  const prodApp = options.prodApp ?? (qaApp === base ? `${base}-prod` : base);
  const hasWork = options.deployCmdQa !== undefined && options.deployCmdProd !== undefined;
  const example: DevopsGeneratorOptions = {
    ...options,
    qaApp,
    prodApp,
    postDeployCmd: options.postDeployCmd ?? (hasWork ? undefined : EXAMPLE_POST_DEPLOY_CMD),
  };
  const flags = FLAGS.flatMap(([option, flag]) =>
    example[option] === undefined ? [] : [`${flag}=${quoteForShell(String(example[option]))}`],
  );
  return [GENERATOR, `--project=${quoteForShell(project)}`, ...flags].join(' ');
}

// An app name in the usual platforms' rules, made from the project's name: `@acme/web` -> `web`.
function toAppName(project: string): string {
  const name = (project.split('/').pop() ?? '')
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+|-+$/g, '')
    .slice(0, 24)
    .replace(/-+$/, '');
  return name.length >= 2 ? name : 'my-app';
}

// Plain when safe, else double quotes (as the README writes them), or single quotes when the
// value holds a character double quotes would still expand.
function quoteForShell(value: string): string {
  if (/^[A-Za-z0-9_@%+=:./-]+$/.test(value)) return value;
  if (!/[$`"\\!]/.test(value)) return `"${value}"`;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}
