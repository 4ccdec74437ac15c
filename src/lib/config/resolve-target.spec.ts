import { formatConfigError } from './format-config-error';
import { resolveTarget, type PrepareTargetInput } from './resolve-target';

const base = { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: 'bin/rails db:migrate' };

// The message a user sees for a stage's options, or 'OK'.
function describeProblems(
  stage: 'prepare' | 'ship',
  options: Record<string, unknown>,
  prepare?: PrepareTargetInput,
): string {
  const target = `release-${stage}`;
  const result = resolveTarget({
    stage,
    project: 'shop',
    target,
    options,
    ...(prepare && { prepare }),
  });
  return 'problems' in result ? formatConfigError('shop', result.problems) : 'OK';
}

describe('configuration errors (README "Errors"): one message naming project, target, option and fix', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'no devops',
      {},
      'Invalid configuration for shop:release-prepare: devops is required. Add a devops block with at least qa_app and prod_app (see the README).',
    ],
    [
      'devops not an object',
      { devops: 'x' },
      'Invalid configuration for shop:release-prepare: devops must be an object, not "x". Set it to an object.',
    ],
    [
      'missing qa_app',
      { devops: { prod_app: 'shop' } },
      'Invalid configuration for shop:release-prepare: devops.qa_app is required. Set it to a string.',
    ],
    [
      'qa_app a number',
      { devops: { qa_app: 5, prod_app: 'shop', post_deploy_cmd: 'bin/rails db:migrate' } },
      'Invalid configuration for shop:release-prepare: devops.qa_app must be a string, not 5. Set it to a string.',
    ],
    [
      'bad Heroku app name',
      { devops: { qa_app: 'Shop_QA', prod_app: 'shop', post_deploy_cmd: 'bin/rails db:migrate' } },
      'Invalid configuration for shop:release-prepare: devops.qa_app "Shop_QA" is not a valid Heroku app name. Use 2 to 30 lowercase letters, digits and dashes, starting with a letter.',
    ],
    [
      'Heroku app name too long',
      {
        devops: {
          qa_app: 'shop-qa',
          prod_app: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
          post_deploy_cmd: 'bin/rails db:migrate',
        },
      },
      'Invalid configuration for shop:release-prepare: devops.prod_app "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" is not a valid Heroku app name. Use 2 to 30 lowercase letters, digits and dashes, starting with a letter.',
    ],
    [
      'same app for QA and prod',
      {
        devops: { qa_app: 'shop-qa', prod_app: 'shop-qa', post_deploy_cmd: 'bin/rails db:migrate' },
      },
      'Invalid configuration for shop:release-prepare: devops.prod_app is the same app as devops.qa_app ("shop-qa"). Give QA and prod different apps, so that a release is proven on QA before it reaches prod.',
    ],
    [
      'unknown platform',
      {
        devops: {
          qa_app: 'shop-qa',
          prod_app: 'shop',
          post_deploy_cmd: 'bin/rails db:migrate',
          platform: 'herok',
        },
      },
      'Invalid configuration for shop:release-prepare: devops.platform "herok" is not supported. Use one of: heroku, local, kubernetes, docker-compose, fly, ssh, custom.',
    ],
    [
      'typo in a devops key',
      {
        devops: {
          qa_app: 'shop-qa',
          prod_app: 'shop',
          post_deploy_cmd: 'bin/rails db:migrate',
          post_deploy_cmdd: 'x',
        },
      },
      'Invalid configuration for shop:release-prepare: devops.post_deploy_cmdd is not a known option. Did you mean "post_deploy_cmd"?',
    ],
    [
      'typo in an executor option',
      {
        devops: { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: 'bin/rails db:migrate' },
        dryrun: true,
      },
      'Invalid configuration for shop:release-prepare: dryrun is not a known option. Did you mean "dryRun"?',
    ],
    [
      'dryRun not a boolean',
      {
        devops: { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: 'bin/rails db:migrate' },
        dryRun: 'yes',
      },
      'Invalid configuration for shop:release-prepare: dryRun must be true or false, not "yes". Set it to true or false.',
    ],
    [
      'post_deploy_cmd a number',
      { devops: { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: 5 } },
      'Invalid configuration for shop:release-prepare: devops.post_deploy_cmd must be a command string or an array of strings. See the README for the accepted forms.',
    ],
    [
      'post_deploy_cmd with an operator',
      { devops: { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: 'rake a && rake b' } },
      "Invalid configuration for shop:release-prepare: devops.post_deploy_cmd contains a shell operator `&&` at character 8. Put the commands in a script in your app and call that script, or quote it ('...') if it is meant literally.",
    ],
    [
      'post_deploy_cmd with a variable',
      { devops: { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: 'rake $TASK' } },
      "Invalid configuration for shop:release-prepare: devops.post_deploy_cmd contains a variable expansion `$` at character 6. Set values in the app's environment, or quote a literal dollar sign ('$').",
    ],
    [
      'post_deploy_cmd with an unbalanced quote',
      { devops: { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: "rake 'db:migrate" } },
      "Invalid configuration for shop:release-prepare: devops.post_deploy_cmd contains an unbalanced quote (' never closed) at character 6. Close the '.",
    ],
    [
      'post_deploy_cmd with a right-to-left override',
      {
        devops: {
          qa_app: 'shop-qa',
          prod_app: 'shop',
          post_deploy_cmd: "bin/notify '\u202egnp.exe'",
        },
      },
      "Invalid configuration for shop:release-prepare: devops.post_deploy_cmd contains a text direction character U+202E RIGHT-TO-LEFT OVERRIDE at character 13. Remove it, or if the command really needs it, give the command as an array of arguments (the dry run then shows it escaped, as $'\\xe2\\x80\\xae').",
    ],
    [
      'deploy_cmd.qa with an escape sequence inside double quotes',
      {
        devops: {
          qa_app: 'shop-qa',
          prod_app: 'shop',
          deploy_cmd: { qa: 'bin/deploy "\x1b[2Jok"' },
        },
      },
      "Invalid configuration for shop:release-prepare: devops.deploy_cmd.qa contains a control character U+001B ESCAPE at character 13. Remove it, or if the command really needs it, give the command as an array of arguments (the dry run then shows it escaped, as $'\\e').",
    ],
    [
      'post_deploy_cmd an array with a NUL',
      { devops: { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: ['rake', 'a\0b'] } },
      'Invalid configuration for shop:release-prepare: devops.post_deploy_cmd contains a control character U+0000 NULL in argument 2. Remove it: no program can receive a NUL in an argument.',
    ],
    [
      'post_deploy_cmd an array holding ESC and U+202E (taken as is, shown escaped)',
      {
        devops: {
          qa_app: 'shop-qa',
          prod_app: 'shop',
          post_deploy_cmd: ['bin/notify', '\x1b[2J', '\u202egnp.exe'],
        },
      },
      'OK',
    ],
    [
      'post_deploy_cmd an empty array',
      { devops: { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: [] } },
      'Invalid configuration for shop:release-prepare: devops.post_deploy_cmd is empty. Give the command to run.',
    ],
    [
      'post_deploy_cmd an array with an empty element',
      { devops: { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: ['rake', ''] } },
      'Invalid configuration for shop:release-prepare: devops.post_deploy_cmd contains an empty argument at position 2. Remove it.',
    ],
    [
      'post_deploy_cmd an array with a number',
      { devops: { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: ['rake', 1] } },
      'Invalid configuration for shop:release-prepare: devops.post_deploy_cmd[1] must be a string, not 1. Set it to a string.',
    ],
    [
      'post_deploy_cmd with an env assignment',
      {
        devops: {
          qa_app: 'shop-qa',
          prod_app: 'shop',
          post_deploy_cmd: 'RAILS_ENV=production rake db:migrate',
        },
      },
      "Invalid configuration for shop:release-prepare: devops.post_deploy_cmd contains an environment assignment `RAILS_ENV=...` before the command. Start with `env RAILS_ENV=...`, or set RAILS_ENV in the app's environment.",
    ],
    [
      'post_deploy_cmd with a placeholder',
      { devops: { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: 'migrate {app}' } },
      'Invalid configuration for shop:release-prepare: devops.post_deploy_cmd uses the placeholder {app}, but the post-deploy command must be the same on QA and prod. Read the app from the environment inside the command (RELEASE_APP on the local platform), or drop the placeholder.',
    ],
    [
      'negative timeout',
      {
        devops: {
          qa_app: 'shop-qa',
          prod_app: 'shop',
          post_deploy_cmd: 'bin/rails db:migrate',
          post_deploy_timeout: -1,
        },
      },
      'Invalid configuration for shop:release-prepare: devops.post_deploy_timeout must be a whole number of seconds from 1 to 604800 (7 days), not -1. Give the limit in seconds, e.g. 1800 for 30 minutes, or remove it for no limit.',
    ],
    [
      'fractional timeout',
      {
        devops: {
          qa_app: 'shop-qa',
          prod_app: 'shop',
          post_deploy_cmd: 'bin/rails db:migrate',
          post_deploy_timeout: 1.5,
        },
      },
      'Invalid configuration for shop:release-prepare: devops.post_deploy_timeout must be a whole number of seconds from 1 to 604800 (7 days), not 1.5. Give the limit in seconds, e.g. 1800 for 30 minutes, or remove it for no limit.',
    ],
    [
      'timeout as a string',
      {
        devops: {
          qa_app: 'shop-qa',
          prod_app: 'shop',
          post_deploy_cmd: 'bin/rails db:migrate',
          post_deploy_timeout: '30',
        },
      },
      'Invalid configuration for shop:release-prepare: devops.post_deploy_timeout must be a number, not "30". Set it to a number.',
    ],
    [
      'deploy_cmd for an unknown environment',
      {
        devops: {
          qa_app: 'shop-qa',
          prod_app: 'shop',
          post_deploy_cmd: 'bin/rails db:migrate',
          deploy_cmd: { staging: 'x' },
        },
      },
      'Invalid configuration for shop:release-prepare: devops.deploy_cmd.staging is not a known option. Remove it (known: qa, prod).',
    ],
    [
      'deploy_cmd with an unknown placeholder',
      {
        devops: {
          qa_app: 'shop-qa',
          prod_app: 'shop',
          post_deploy_cmd: 'bin/rails db:migrate',
          deploy_cmd: { qa: 'git push {ap}' },
        },
      },
      'Invalid configuration for shop:release-prepare: devops.deploy_cmd.qa uses unknown placeholder {ap}. Use only {app}, {env}, {sha}, {qa_app}, {prod_app}.',
    ],
    [
      'deploy_cmd with a glob',
      {
        devops: {
          qa_app: 'shop-qa',
          prod_app: 'shop',
          post_deploy_cmd: 'bin/rails db:migrate',
          deploy_cmd: { prod: 'scp build/* host:' },
        },
      },
      "Invalid configuration for shop:release-prepare: devops.deploy_cmd.prod contains a glob pattern `*` at character 11. Quote it ('...') if it is meant literally.",
    ],
    [
      'publish an absolute path',
      {
        devops: {
          qa_app: 'shop-qa',
          prod_app: 'shop',
          post_deploy_cmd: 'bin/rails db:migrate',
          publish: ['/abs'],
        },
      },
      'Invalid configuration for shop:release-prepare: devops.publish[0] "/abs" is not a directory inside the workspace. Give the package directory relative to the workspace root, e.g. "packages/shop-sdk".',
    ],
    [
      'publish outside the workspace',
      {
        devops: {
          qa_app: 'shop-qa',
          prod_app: 'shop',
          post_deploy_cmd: 'bin/rails db:migrate',
          publish: ['../x'],
        },
      },
      'Invalid configuration for shop:release-prepare: devops.publish[0] "../x" is not a directory inside the workspace. Give the package directory relative to the workspace root, e.g. "packages/shop-sdk".',
    ],
    [
      'publish object missing commands',
      {
        devops: {
          qa_app: 'shop-qa',
          prod_app: 'shop',
          post_deploy_cmd: 'bin/rails db:migrate',
          publish: [{ name: 'x' }],
        },
      },
      'Invalid configuration for shop:release-prepare (2 problems):\n  - devops.publish[0].check_cmd is required. Set it to a command string or an array of strings.\n  - devops.publish[0].publish_cmd is required. Set it to a command string or an array of strings.',
    ],
    [
      'publish entry a number',
      {
        devops: {
          qa_app: 'shop-qa',
          prod_app: 'shop',
          post_deploy_cmd: 'bin/rails db:migrate',
          publish: [5],
        },
      },
      'Invalid configuration for shop:release-prepare: devops.publish[0] must be a package directory or an object { name, check_cmd, publish_cmd }. See the README for the accepted forms.',
    ],
    [
      'publish the same directory twice',
      {
        devops: {
          qa_app: 'shop-qa',
          prod_app: 'shop',
          post_deploy_cmd: 'bin/rails db:migrate',
          publish: ['a', 'a/'],
        },
      },
      'Invalid configuration for shop:release-prepare: devops.publish[1] repeats devops.publish[0]. List each package once.',
    ],
    [
      'publish check_cmd with a pipe',
      {
        devops: {
          qa_app: 'shop-qa',
          prod_app: 'shop',
          post_deploy_cmd: 'bin/rails db:migrate',
          publish: [{ name: 'gem', check_cmd: 'gem list | grep x', publish_cmd: ['gem', 'push'] }],
        },
      },
      "Invalid configuration for shop:release-prepare: devops.publish[0].check_cmd contains a shell operator `|` at character 10. Put the commands in a script in your app and call that script, or quote it ('...') if it is meant literally.",
    ],
    [
      'redact_env with a bad name',
      {
        devops: {
          qa_app: 'shop-qa',
          prod_app: 'shop',
          post_deploy_cmd: 'bin/rails db:migrate',
          redact_env: ['1X'],
        },
      },
      'Invalid configuration for shop:release-prepare: devops.redact_env[0] "1X" is not a valid environment variable name. Use letters, digits and underscores, not starting with a digit.',
    ],
    [
      'releaseId that looks like a flag',
      {
        devops: { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: 'bin/rails db:migrate' },
        releaseId: '--upload-pack=x',
      },
      'Invalid configuration for shop:release-prepare: releaseId "--upload-pack=x" is not a valid release id. Use 1 to 128 letters, digits, dots, dashes and underscores, starting with a letter or digit (normally the commit SHA).',
    ],
    [
      'outputPath outside the workspace',
      {
        devops: { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: 'bin/rails db:migrate' },
        outputPath: '../out',
      },
      'Invalid configuration for shop:release-prepare: outputPath "../out" is not a directory inside the workspace. Give a path relative to the workspace root, such as "dist/release/{projectName}", and list it in the target\'s outputs.',
    ],
    [
      'outputPath with a NUL character',
      {
        devops: { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: 'bin/rails db:migrate' },
        outputPath: 'dist/\u0000/shop',
      },
      'Invalid configuration for shop:release-prepare: outputPath "dist/\\u0000/shop" contains a NUL character. Remove it: give a path relative to the workspace root, such as "dist/release/{projectName}".',
    ],
    [
      'outputPath with a name over 255 bytes',
      {
        devops: { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: 'bin/rails db:migrate' },
        outputPath: `dist/${'é'.repeat(128)}/{projectName}`,
      },
      `Invalid configuration for shop:release-prepare: outputPath "dist/${'é'.repeat(52)}..." has a name of 256 bytes ("${'é'.repeat(57)}..."), longer than the 255 a file system allows. Shorten each directory name in it to at most 255 bytes.`,
    ],
    [
      'outputPath whose project name makes a name over 255 bytes',
      {
        devops: { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: 'bin/rails db:migrate' },
        outputPath: `dist/${'x'.repeat(252)}{projectName}`,
      },
      `Invalid configuration for shop:release-prepare: outputPath "dist/${'x'.repeat(52)}..." has a name of 256 bytes ("${'x'.repeat(57)}..."), longer than the 255 a file system allows. Shorten each directory name in it to at most 255 bytes.`,
    ],
    [
      'local app name with a space',
      {
        devops: {
          qa_app: 'a b',
          prod_app: 'shop',
          post_deploy_cmd: 'bin/rails db:migrate',
          platform: 'local',
        },
      },
      'Invalid configuration for shop:release-prepare: devops.qa_app "a b" is not a valid local app name. Use up to 63 letters, digits, dots, dashes and underscores, starting with a letter or digit.',
    ],
    [
      'two problems at once',
      { devops: { qa_app: 'Bad', prod_app: 'shop', post_deploy_cmd: 'a;b' } },
      'Invalid configuration for shop:release-prepare (2 problems):\n  - devops.qa_app "Bad" is not a valid Heroku app name. Use 2 to 30 lowercase letters, digits and dashes, starting with a letter.\n  - devops.post_deploy_cmd contains a shell operator `;` at character 2. Put the commands in a script in your app and call that script, or quote it (\'...\') if it is meant literally.',
    ],
    [
      'rollback without a deploy to undo',
      { devops: { ...base, rollback_cmd: { qa: 'heroku rollback --app={app}' } } },
      'Invalid configuration for shop:release-prepare: devops.rollback_cmd.qa is set, but devops.deploy_cmd.qa is not: there is no deploy to undo. Set devops.deploy_cmd.qa, or remove devops.rollback_cmd.qa.',
    ],
    [
      'rollback with an unknown placeholder',
      {
        devops: {
          ...base,
          deploy_cmd: { qa: 'deploy {app}' },
          rollback_cmd: { qa: 'heroku rollback --app={ap}' },
        },
      },
      'Invalid configuration for shop:release-prepare: devops.rollback_cmd.qa uses unknown placeholder {ap}. Use only {app}, {env}, {sha}, {qa_app}, {prod_app}.',
    ],
    [
      'prepare with nothing to do',
      { devops: { qa_app: 'shop-qa', prod_app: 'shop', deploy_cmd: { prod: 'deploy' } } },
      'Invalid configuration for shop:release-prepare: devops gives release-prepare nothing to do. Set devops.post_deploy_cmd (or devops.deploy_cmd.qa).',
    ],
  ])('%s', (_name, options, message) => {
    expect(describeProblems('prepare', options)).toBe(message);
  });

  it.each<[string, Record<string, unknown>, PrepareTargetInput, string]>([
    [
      'ship without a prepare target',
      {},
      { found: false, name: 'release-prepare', available: ['build'] },
      'Invalid configuration for shop:release-ship: prepareTarget project shop has no target "release-prepare" (its targets: build). Add the release-prepare target, or set prepareTarget to the name of its nx-release-deploy:prepare target.',
    ],
    [
      'ship inheriting a bad value names the prepare target, where the fix goes',
      {},
      { found: true, name: 'release-prepare', options: { devops: { ...base, qa_app: 'X' } } },
      'Invalid configuration for shop:release-prepare: devops.qa_app "X" is not a valid Heroku app name. Use 2 to 30 lowercase letters, digits and dashes, starting with a letter.',
    ],
    [
      'ship overriding a key badly names the ship target',
      { devops: { prod_app: 'P' } },
      { found: true, name: 'release-prepare', options: { devops: base } },
      'Invalid configuration for shop:release-ship: devops.prod_app "P" is not a valid Heroku app name. Use 2 to 30 lowercase letters, digits and dashes, starting with a letter.',
    ],
    [
      'ship with requirePrepared not a boolean',
      { requirePrepared: 'no' },
      { found: true, name: 'release-prepare', options: { devops: base } },
      'Invalid configuration for shop:release-ship: requirePrepared must be true or false, not "no". Set it to true or false.',
    ],
    [
      'ship with a prepare outputPath outside the workspace',
      {},
      { found: true, name: 'release-prepare', options: { devops: base, outputPath: '/tmp/x' } },
      'Invalid configuration for shop:release-prepare: outputPath "/tmp/x" is not a directory inside the workspace. Give a path relative to the workspace root, such as "dist/release/{projectName}", and list it in the target\'s outputs.',
    ],
    [
      'ship with an outputPath of its own holding a NUL character',
      { outputPath: 'dist/\u0000' },
      { found: true, name: 'release-prepare', options: { devops: base } },
      'Invalid configuration for shop:release-ship: outputPath "dist/\\u0000" contains a NUL character. Remove it: give a path relative to the workspace root, such as "dist/release/{projectName}".',
    ],
    [
      'ship with nothing to do',
      {},
      {
        found: true,
        name: 'release-prepare',
        options: { devops: { qa_app: 'shop-qa', prod_app: 'shop', deploy_cmd: { qa: 'deploy' } } },
      },
      'Invalid configuration for shop:release-prepare: devops gives release-ship nothing to do. Set devops.post_deploy_cmd (or devops.deploy_cmd.prod, devops.publish).',
    ],
  ])('%s', (_name, options, prepare, message) => {
    expect(describeProblems('ship', options, prepare)).toBe(message);
  });

  it('accepts a full devops block and resolves the ledger paths', () => {
    const result = resolveTarget({
      stage: 'ship',
      project: 'shop',
      target: 'release-ship',
      options: { devops: { post_deploy_timeout: 60 } },
      prepare: {
        found: true,
        name: 'release-prepare',
        options: {
          devops: { ...base, deploy_cmd: { qa: 'git push {app}' }, publish: ['packages/sdk'] },
        },
      },
    });
    expect(result).toEqual({
      target: expect.objectContaining({
        outputDir: 'dist/release/shop/ship',
        gate: {
          prepareTarget: 'release-prepare',
          ledgerPath: 'dist/release/shop/prepare/checks_run.json',
        },
        devops: expect.objectContaining({
          apps: { qa: 'shop-qa', prod: 'shop' },
          postDeploy: ['bin/rails', 'db:migrate'],
          postDeployTimeoutMs: 60_000,
          deploy: { qa: ['git', 'push', '{app}'] },
          publish: [{ kind: 'npm', dir: 'packages/sdk' }],
        }),
      }),
    });
  });

  it('turns the gate off with requirePrepared: false', () => {
    const result = resolveTarget({
      stage: 'ship',
      project: 'shop',
      target: 'release-ship',
      options: { requirePrepared: false },
      prepare: { found: true, name: 'release-prepare', options: { devops: base } },
    });
    expect('target' in result && result.target.gate).toBe(undefined);
  });
});

describe('platform blocks (devops.<platform>)', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'a block for a platform other than the default heroku',
      { devops: { ...base, kubernetes: { namespace: 'shop' } } },
      'Invalid configuration for shop:release-prepare: devops.kubernetes configures the kubernetes platform, but devops.platform is heroku (the default). Set devops.platform to kubernetes, or remove devops.kubernetes.',
    ],
    [
      'a block for another platform than the one chosen',
      { devops: { ...base, platform: 'local', 'docker-compose': { service: 'web' } } },
      'Invalid configuration for shop:release-prepare: devops.docker-compose configures the docker-compose platform, but devops.platform is local. Set devops.platform to docker-compose, or remove devops.docker-compose.',
    ],
    [
      'a typo in a platform block name',
      { devops: { ...base, platform: 'kubernetes', kubernets: {} } },
      'Invalid configuration for shop:release-prepare: devops.kubernets is not a known option. Did you mean "kubernetes"?',
    ],
    [
      'an invalid app name is reported once, not again through {app} in the settings',
      {
        devops: { ...base, platform: 'ssh', qa_app: 'shop qa', ssh: { host: '{app}.example.com' } },
      },
      'Invalid configuration for shop:release-prepare: devops.qa_app "shop qa" is not a valid SSH app name. Use up to 63 letters, digits, dots, dashes and underscores, starting with a letter or digit.',
    ],
  ])('%s', (_name, options, message) => {
    expect(describeProblems('prepare', options)).toBe(message);
  });

  const kubernetesDevops = {
    ...base,
    platform: 'kubernetes',
    kubernetes: { context: { qa: 'staging-cluster', prod: 'prod-cluster' }, namespace: 'shop' },
  };

  it.each<[string, Record<string, unknown>, PrepareTargetInput, string]>([
    [
      'ship overriding the block badly names the ship target',
      { devops: { kubernetes: { namespace: 'Shop' } } },
      { found: true, name: 'release-prepare', options: { devops: kubernetesDevops } },
      'Invalid configuration for shop:release-ship: devops.kubernetes.namespace "Shop" is not a valid Kubernetes namespace. Use up to 63 lowercase letters, digits and dashes, starting and ending with a letter or digit.',
    ],
    [
      'ship inheriting a bad block names the prepare target',
      {},
      {
        found: true,
        name: 'release-prepare',
        options: { devops: { ...kubernetesDevops, kubernetes: { container: 'Web' } } },
      },
      'Invalid configuration for shop:release-prepare: devops.kubernetes.container "Web" is not a valid container name. Use up to 63 lowercase letters, digits and dashes, starting and ending with a letter or digit.',
    ],
  ])('%s', (_name, options, prepare, message) => {
    expect(describeProblems('ship', options, prepare)).toBe(message);
  });

  it('binds the settings of each environment into the platform the planner calls', () => {
    const result = resolveTarget({
      stage: 'ship',
      project: 'shop',
      target: 'release-ship',
      options: {},
      prepare: { found: true, name: 'release-prepare', options: { devops: kubernetesDevops } },
    });
    if (!('target' in result)) throw new Error(JSON.stringify(result.problems));
    const { platform, apps, postDeploy = [] } = result.target.devops;
    const build = (env: 'qa' | 'prod') =>
      platform.buildPostDeploy({ app: apps[env], env, releaseId: 'a1b2c3d' }, postDeploy).argv;
    expect([platform.name, platform.remote, platform.binary?.name]).toEqual([
      'kubernetes',
      'argv',
      'kubectl',
    ]);
    expect(build('qa')).toEqual([
      'kubectl',
      'exec',
      '--context=staging-cluster',
      '--namespace=shop',
      'deployment/shop-qa',
      '--',
      'bin/rails',
      'db:migrate',
    ]);
    expect(build('prod')).toEqual([
      'kubectl',
      'exec',
      '--context=prod-cluster',
      '--namespace=shop',
      'deployment/shop',
      '--',
      'bin/rails',
      'db:migrate',
    ]);
  });
});

describe('releaseId as Nx hands it over', () => {
  const devops = base;

  it.each<[string, unknown, string]>([
    [
      'a bare --releaseId (true)',
      true,
      'Invalid configuration for shop:release-prepare: releaseId has no value. Pass it as --releaseId=<id> (normally the commit SHA).',
    ],
    [
      'a repeated --releaseId (an array)',
      ['r1', 'r2'],
      'Invalid configuration for shop:release-prepare: releaseId is given 2 times ("r1", "r2"). Pass --releaseId once.',
    ],
    [
      'a number whose text is lost',
      1.5,
      'Invalid configuration for shop:release-prepare: releaseId is the number 1.5, which no longer says how it was written. Write it as a string, e.g. "releaseId": "1.50" in project.json, or pass --releaseId=<id>.',
    ],
    [
      'a negative number',
      -3,
      'Invalid configuration for shop:release-prepare: releaseId is the number -3, which no longer says how it was written. Write it as a string, e.g. "releaseId": "1.50" in project.json, or pass --releaseId=<id>.',
    ],
    [
      'false (--no-releaseId)',
      false,
      'Invalid configuration for shop:release-prepare: releaseId must be a string, not false. Set it to a string.',
    ],
  ])('refuses %s', (_name, releaseId, message) => {
    expect(describeProblems('prepare', { devops, releaseId })).toBe(message);
  });

  it('lists a bad releaseId with the other problems of the target', () => {
    expect(describeProblems('prepare', { devops, releaseId: ['a', 'b'], resume: 'yes' })).toBe(
      'Invalid configuration for shop:release-prepare (2 problems):\n' +
        '  - releaseId is given 2 times ("a", "b"). Pass --releaseId once.\n' +
        '  - resume must be true or false, not "yes". Set it to true or false.',
    );
  });

  it.each([
    [20261201, '20261201'],
    [0, '0'],
    ['20261201', '20261201'],
  ])('takes the whole number %j as the id %j', (releaseId, id) => {
    const result = resolveTarget({
      stage: 'prepare',
      project: 'shop',
      target: 'release-prepare',
      options: { devops, releaseId },
    });
    expect('target' in result && result.target.releaseId).toBe(id);
  });
});

describe('a ship devops that no prepare can prove (the gate is on)', () => {
  const prepare = (devops: Record<string, unknown>): PrepareTargetInput => ({
    found: true,
    name: 'release-prepare',
    options: { devops },
  });

  it.each<[string, Record<string, unknown>, Record<string, unknown>, string]>([
    [
      "a ship-level post_deploy_cmd that differs from prepare's",
      { devops: { post_deploy_cmd: 'bin/rails db:seed' } },
      base,
      "Invalid configuration for shop:release-ship: devops.post_deploy_cmd differs from release-prepare's, so the gate can never pass (it requires the command ship runs to have succeeded on QA). The post-deploy command belongs in release-prepare's devops (release-ship inherits it): change it there, and remove it from release-ship.",
    ],
    [
      'the same command written as an argv differs only in form: the tokens are compared',
      { devops: { post_deploy_cmd: ['bin/rails', 'db:migrate'] } },
      base,
      'OK',
    ],
    [
      'a ship-level post_deploy_cmd where prepare has none',
      { devops: { post_deploy_cmd: 'bin/rails db:migrate' } },
      { qa_app: 'shop-qa', prod_app: 'shop', deploy_cmd: { qa: 'deploy {app}' } },
      "Invalid configuration for shop:release-ship: devops.post_deploy_cmd is set in release-ship but not in release-prepare, so QA never runs it and the gate can never pass. The post-deploy command belongs in release-prepare's devops (release-ship inherits it): move it there.",
    ],
    [
      'a ship-level qa_app changes the QA command the gate looks for',
      { devops: { qa_app: 'shop-staging' } },
      base,
      "Invalid configuration for shop:release-ship: devops.qa_app changes the QA post-deploy command from the one release-prepare runs, so the gate can never pass. Set it in release-prepare's devops (release-ship inherits it), or remove it from release-ship.",
    ],
    [
      'a ship-level platform block that changes only prod is fine',
      {
        devops: { ssh: { host: { qa: 'deploy@qa.example.com', prod: 'deploy@new.example.com' } } },
      },
      {
        ...base,
        platform: 'ssh',
        ssh: { host: { qa: 'deploy@qa.example.com', prod: 'deploy@prod.example.com' } },
      },
      'OK',
    ],
    [
      'a ship-level platform block that changes QA too',
      { devops: { ssh: { host: 'deploy@{app}.example.com' } } },
      {
        ...base,
        platform: 'ssh',
        ssh: { host: { qa: 'deploy@qa.example.com', prod: 'deploy@prod.example.com' } },
      },
      "Invalid configuration for shop:release-ship: devops.ssh changes the QA post-deploy command from the one release-prepare runs, so the gate can never pass. Set it in release-prepare's devops (release-ship inherits it), or remove it from release-ship.",
    ],
    [
      'with the gate off, ship may run its own command',
      { devops: { post_deploy_cmd: 'bin/rails db:seed' }, requirePrepared: false },
      base,
      'OK',
    ],
  ])('%s', (_name, options, devops, message) => {
    expect(describeProblems('ship', options, prepare(devops))).toBe(message);
  });
});
