import { addProjectConfiguration, readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { PLATFORM_NAMES } from '../../lib/platforms/platforms';
import configurationGenerator from './generator';
import type { ConfigurationGeneratorSchema } from './schema';
import schema from './schema.json';

const OPTIONS: ConfigurationGeneratorSchema = {
  project: 'shop',
  qaApp: 'shop-qa',
  prodApp: 'shop',
  postDeployCmd: 'bin/rails db:migrate',
};
const INPUTS = ['default', '^default', { runtime: 'git rev-parse HEAD' }, { env: 'NX_RELEASE_ID' }];
const PROJECT_JSON = 'apps/shop/project.json';

// A workspace with the shop app and, unless told otherwise, a build target of its own.
function createShopTree(targets: Record<string, object> = { build: { command: 'make' } }): Tree {
  const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
  addProjectConfiguration(tree, 'shop', { root: 'apps/shop', targets });
  return tree;
}

// Every file the tree holds, as text: equal snapshots mean nothing was written.
function snapshotTree(tree: Tree): Record<string, string | null> {
  return Object.fromEntries(
    tree.listChanges().map((change) => [change.path, change.content?.toString('utf8') ?? null]),
  );
}

async function captureRefusal(tree: Tree, options: ConfigurationGeneratorSchema): Promise<string> {
  const before = snapshotTree(tree);
  const error = await configurationGenerator(tree, options).then(
    () => new Error('the generator did not refuse'),
    (refusal: unknown) => refusal as Error,
  );
  expect(snapshotTree(tree)).toEqual(before);
  return error.message;
}

describe('nx-release-deploy:configuration', () => {
  it("adds both targets exactly as the README's Configure section, keeping the project's own", async () => {
    const tree = createShopTree();

    await configurationGenerator(tree, OPTIONS);

    expect(readJson(tree, PROJECT_JSON).targets).toEqual({
      build: { command: 'make' },
      'release-prepare': {
        executor: 'nx-release-deploy:prepare',
        cache: true,
        inputs: INPUTS,
        outputs: [
          '{workspaceRoot}/dist/release/{projectName}/{options.dryRun ?? options.dry-run ?? prepare}',
        ],
        options: {
          devops: { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: 'bin/rails db:migrate' },
        },
      },
      'release-ship': {
        executor: 'nx-release-deploy:ship',
        cache: true,
        dependsOn: [{ target: 'release-prepare', params: 'forward' }],
        inputs: INPUTS,
        outputs: [
          '{workspaceRoot}/dist/release/{projectName}/{options.dryRun ?? options.dry-run ?? ship}',
        ],
        options: {},
      },
    });
  });

  it('writes the optional devops keys only when given', async () => {
    const tree = createShopTree();

    await configurationGenerator(tree, {
      ...OPTIONS,
      platform: 'heroku',
      postDeployTimeout: 1800,
      deployCmdQa: 'git push --force https://git.heroku.com/{app}.git {sha}:refs/heads/main',
      deployCmdProd: 'heroku pipelines:promote --app={qa_app} --to={prod_app}',
    });

    expect(readJson(tree, PROJECT_JSON).targets['release-prepare'].options.devops).toEqual({
      platform: 'heroku',
      qa_app: 'shop-qa',
      prod_app: 'shop',
      post_deploy_cmd: 'bin/rails db:migrate',
      post_deploy_timeout: 1800,
      deploy_cmd: {
        qa: 'git push --force https://git.heroku.com/{app}.git {sha}:refs/heads/main',
        prod: 'heroku pipelines:promote --app={qa_app} --to={prod_app}',
      },
    });
  });

  it('changes nothing when run again with the same options', async () => {
    const tree = createShopTree();
    await configurationGenerator(tree, OPTIONS);
    const before = snapshotTree(tree);
    const write = jest.spyOn(tree, 'write');

    await configurationGenerator(tree, OPTIONS);

    expect(write).not.toHaveBeenCalled();
    expect(snapshotTree(tree)).toEqual(before);
  });

  it('run again with other values: updates those devops keys and keeps everything the user added', async () => {
    const tree = createShopTree();
    await configurationGenerator(tree, OPTIONS);
    const project = readJson(tree, PROJECT_JSON);
    const prepare = project.targets['release-prepare'];
    prepare.options.devops.publish = ['packages/shop-sdk'];
    prepare.options.outputPath = 'dist/release/{projectName}';
    prepare.configurations = { eu: { releaseId: 'eu-1' } };
    project.targets['release-ship'].options.requirePrepared = false;
    project.tags = ['deployed'];
    tree.write(PROJECT_JSON, JSON.stringify(project, null, 2));

    await configurationGenerator(tree, { ...OPTIONS, qaApp: 'shop-staging', platform: 'local' });

    const after = readJson(tree, PROJECT_JSON);
    expect(after.tags).toEqual(['deployed']);
    expect(after.targets.build).toEqual({ command: 'make' });
    expect(after.targets['release-ship'].options).toEqual({ requirePrepared: false });
    expect(after.targets['release-prepare'].configurations).toEqual({ eu: { releaseId: 'eu-1' } });
    expect(after.targets['release-prepare'].options).toEqual({
      devops: {
        qa_app: 'shop-staging',
        prod_app: 'shop',
        post_deploy_cmd: 'bin/rails db:migrate',
        publish: ['packages/shop-sdk'],
        platform: 'local',
      },
      outputPath: 'dist/release/{projectName}',
    });
  });

  it.each<[string, Partial<ConfigurationGeneratorSchema>, string]>([
    [
      'a bad Heroku app name',
      { qaApp: 'Shop_QA' },
      'Invalid configuration for shop:release-prepare: devops.qa_app "Shop_QA" is not a valid Heroku app name. Use 2 to 30 lowercase letters, digits and dashes, starting with a letter.',
    ],
    [
      'the same app for QA and prod',
      { prodApp: 'shop-qa' },
      'Invalid configuration for shop:release-prepare: devops.prod_app is the same app as devops.qa_app ("shop-qa"). Give QA and prod different apps, so that a release is proven on QA before it reaches prod.',
    ],
    [
      'a shell operator in the command',
      { postDeployCmd: 'rake a && rake b' },
      "Invalid configuration for shop:release-prepare: devops.post_deploy_cmd contains a shell operator `&&` at character 8. Put the commands in a script in your app and call that script, or quote it ('...') if it is meant literally.",
    ],
    [
      'a fractional timeout',
      { postDeployTimeout: 1.5 },
      'Invalid configuration for shop:release-prepare: devops.post_deploy_timeout must be a whole number of seconds from 1 to 604800 (7 days), not 1.5. Give the limit in seconds, e.g. 1800 for 30 minutes, or remove it for no limit.',
    ],
    [
      'two problems at once',
      { qaApp: 'Shop_QA', postDeployCmd: 'rake $TASK' },
      [
        'Invalid configuration for shop:release-prepare (2 problems):',
        '  - devops.qa_app "Shop_QA" is not a valid Heroku app name. Use 2 to 30 lowercase letters, digits and dashes, starting with a letter.',
        "  - devops.post_deploy_cmd contains a variable expansion `$` at character 6. Set values in the app's environment, or quote a literal dollar sign ('$').",
      ].join('\n'),
    ],
  ])('refuses %s with the executor message and writes nothing', async (_name, bad, message) => {
    const tree = createShopTree();

    expect(await captureRefusal(tree, { ...OPTIONS, ...bad })).toBe(message);
  });

  it('refuses a bad value on an existing configuration and leaves it as it was', async () => {
    const tree = createShopTree();
    await configurationGenerator(tree, OPTIONS);

    expect(await captureRefusal(tree, { ...OPTIONS, prodApp: 'Shop' })).toBe(
      'Invalid configuration for shop:release-prepare: devops.prod_app "Shop" is not a valid Heroku app name. Use 2 to 30 lowercase letters, digits and dashes, starting with a letter.',
    );
  });

  it('refuses an unknown project, naming the closest one', async () => {
    const tree = createShopTree();

    expect(await captureRefusal(tree, { ...OPTIONS, project: 'shopp' })).toBe(
      'Cannot add the release targets: project "shopp" was not found in this workspace. Did you mean "shop"? Pass the name of an existing project as --project (nx show projects lists them).',
    );
  });

  it('refuses to take over a release-prepare target run by another executor', async () => {
    const tree = createShopTree({ 'release-prepare': { command: 'deploy.sh' } });

    expect(await captureRefusal(tree, OPTIONS)).toBe(
      'Cannot add the release targets to shop: its target "release-prepare" runs nx:run-commands, not nx-release-deploy:prepare. Rename or remove that target, then run the generator again.',
    );
  });
});

describe('configuration schema.json', () => {
  it('offers exactly the platforms the executors know', () => {
    expect(schema.properties.platform.enum).toEqual(PLATFORM_NAMES);
  });

  it('requires and prompts for the options every configuration needs', () => {
    const prompted = Object.entries(schema.properties)
      .filter(([, property]) => 'x-prompt' in property)
      .map(([name]) => name);

    expect(schema.required).toEqual(['project', 'qaApp', 'prodApp', 'postDeployCmd']);
    expect(prompted).toEqual(schema.required);
  });

  it('describes every option for Nx Console', () => {
    const undescribed = Object.entries(schema.properties).filter(
      ([, property]) => !property.description,
    );

    expect(undescribed).toEqual([]);
  });
});
