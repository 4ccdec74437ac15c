import { addProjectConfiguration, readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { ALL_PLATFORM_NAMES } from '../../lib/platforms/platforms';
import initGenerator from '../init/generator';
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
const DEVOPS = { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: 'bin/rails db:migrate' };

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

describe('nx-release-deploy:configuration without a post-deploy command', () => {
  it('writes a deploy-only configuration: deploy commands give both stages work', async () => {
    const tree = createShopTree();

    await configurationGenerator(tree, {
      project: 'shop',
      qaApp: 'shop-qa',
      prodApp: 'shop',
      deployCmdQa: 'git push --force https://git.heroku.com/{app}.git {sha}:refs/heads/main',
      deployCmdProd: 'heroku pipelines:promote --app={qa_app} --to={prod_app}',
    });

    expect(readJson(tree, PROJECT_JSON).targets['release-prepare'].options.devops).toEqual({
      qa_app: 'shop-qa',
      prod_app: 'shop',
      deploy_cmd: {
        qa: 'git push --force https://git.heroku.com/{app}.git {sha}:refs/heads/main',
        prod: 'heroku pipelines:promote --app={qa_app} --to={prod_app}',
      },
    });
  });

  it.each<[string, Partial<ConfigurationGeneratorSchema>, string]>([
    [
      'nothing for release-prepare to do',
      {},
      'Invalid configuration for shop:release-prepare: devops gives release-prepare nothing to do. Set devops.post_deploy_cmd (or devops.deploy_cmd.qa).',
    ],
    [
      'a QA deploy only, leaving release-ship nothing to do',
      { deployCmdQa: 'deploy-qa {app}' },
      'Invalid configuration for shop:release-prepare: devops gives release-ship nothing to do. Set devops.post_deploy_cmd (or devops.deploy_cmd.prod, devops.publish).',
    ],
  ])('refuses %s with the executor message and writes nothing', async (_name, given, message) => {
    const tree = createShopTree();

    expect(
      await captureRefusal(tree, { project: 'shop', qaApp: 'shop-qa', prodApp: 'shop', ...given }),
    ).toBe(message);
  });
});

describe('nx-release-deploy:configuration on an existing configuration', () => {
  it('changes one value given alone; the apps and command come from the existing devops', async () => {
    const tree = createShopTree();
    await configurationGenerator(tree, OPTIONS);

    await configurationGenerator(tree, { project: 'shop', postDeployTimeout: 1800 });

    expect(readJson(tree, PROJECT_JSON).targets['release-prepare'].options.devops).toEqual({
      ...DEVOPS,
      post_deploy_timeout: 1800,
    });
  });

  it('takes the apps from a hand-written release-prepare and adds release-ship', async () => {
    const tree = createShopTree({
      'release-prepare': { executor: 'nx-release-deploy:prepare', options: { devops: DEVOPS } },
    });

    await configurationGenerator(tree, { project: 'shop' });

    const targets = readJson(tree, PROJECT_JSON).targets;
    expect(targets['release-prepare']).toEqual({
      executor: 'nx-release-deploy:prepare',
      options: { devops: DEVOPS },
    });
    expect(targets['release-ship'].executor).toBe('nx-release-deploy:ship');
  });

  it.each<[string, Partial<ConfigurationGeneratorSchema>, string]>([
    [
      'both apps',
      { postDeployCmd: 'bin/rails db:migrate' },
      'Cannot add the release targets to shop: --qa-app and --prod-app are required for a new configuration. Example: nx g nx-release-deploy:configuration --project=shop --qa-app=shop-qa --prod-app=shop --post-deploy-cmd="bin/rails db:migrate"',
    ],
    [
      'the prod app, keeping the values given in the example',
      {
        qaApp: 'shop-staging',
        platform: 'local',
        deployCmdQa: 'git push --force https://git.heroku.com/{app}.git {sha}:refs/heads/main',
      },
      'Cannot add the release targets to shop: --prod-app is required for a new configuration. Example: nx g nx-release-deploy:configuration --project=shop --qa-app=shop-staging --prod-app=shop --post-deploy-cmd="bin/rails db:migrate" --platform=local --deploy-cmd-qa="git push --force https://git.heroku.com/{app}.git {sha}:refs/heads/main"',
    ],
    [
      'the QA app, with deploy commands instead of a post-deploy command',
      { prodApp: 'shop', deployCmdQa: 'deploy qa', deployCmdProd: 'deploy prod' },
      'Cannot add the release targets to shop: --qa-app is required for a new configuration. Example: nx g nx-release-deploy:configuration --project=shop --qa-app=shop-qa --prod-app=shop --deploy-cmd-qa="deploy qa" --deploy-cmd-prod="deploy prod"',
    ],
  ])('refuses a new configuration without %s, naming the flags', async (_name, given, message) => {
    const tree = createShopTree();

    expect(await captureRefusal(tree, { project: 'shop', ...given })).toBe(message);
  });

  it('asks for the apps when only release-ship exists', async () => {
    const tree = createShopTree({
      'release-ship': { executor: 'nx-release-deploy:ship', options: {} },
    });

    expect(await captureRefusal(tree, { project: 'shop' })).toBe(
      'Cannot add the release targets to shop: --qa-app and --prod-app are required for a new configuration. Example: nx g nx-release-deploy:configuration --project=shop --qa-app=shop-qa --prod-app=shop --post-deploy-cmd="bin/rails db:migrate"',
    );
  });
});

describe('nx-release-deploy:configuration with the targetDefaults of init', () => {
  async function createInitTree(): Promise<Tree> {
    const tree = createShopTree();
    await initGenerator(tree, { skipFormat: true });
    return tree;
  }

  it('leaves cache, inputs and outputs to nx.json; release-ship keeps its dependsOn', async () => {
    const tree = await createInitTree();

    await configurationGenerator(tree, OPTIONS);

    expect(readJson(tree, PROJECT_JSON).targets).toEqual({
      build: { command: 'make' },
      'release-prepare': { executor: 'nx-release-deploy:prepare', options: { devops: DEVOPS } },
      'release-ship': {
        executor: 'nx-release-deploy:ship',
        dependsOn: [{ target: 'release-prepare', params: 'forward' }],
        options: {},
      },
    });
  });

  it('leaves dependsOn to nx.json too when its default for ship gives the same', async () => {
    const tree = await createInitTree();
    const nxJson = readJson(tree, 'nx.json');
    nxJson.targetDefaults['nx-release-deploy:ship'].dependsOn = [
      { target: 'release-prepare', params: 'forward' },
    ];
    tree.write('nx.json', JSON.stringify(nxJson));

    await configurationGenerator(tree, OPTIONS);

    expect(readJson(tree, PROJECT_JSON).targets['release-ship']).toEqual({
      executor: 'nx-release-deploy:ship',
      options: {},
    });
  });

  it('writes a key in full when the default for it differs from the recommended value', async () => {
    const tree = await createInitTree();
    const nxJson = readJson(tree, 'nx.json');
    nxJson.targetDefaults['nx-release-deploy:prepare'].inputs = ['default'];
    tree.write('nx.json', JSON.stringify(nxJson));

    await configurationGenerator(tree, OPTIONS);

    expect(readJson(tree, PROJECT_JSON).targets['release-prepare']).toEqual({
      executor: 'nx-release-deploy:prepare',
      inputs: INPUTS,
      options: { devops: DEVOPS },
    });
  });

  it('never strips an existing target of its keys', async () => {
    const tree = createShopTree();
    await configurationGenerator(tree, OPTIONS);
    const before = readJson(tree, PROJECT_JSON).targets;
    await initGenerator(tree, { skipFormat: true });

    await configurationGenerator(tree, { project: 'shop', qaApp: 'shop-staging' });

    const after = readJson(tree, PROJECT_JSON).targets;
    expect(after['release-ship']).toEqual(before['release-ship']);
    expect(after['release-prepare']).toEqual({
      ...before['release-prepare'],
      options: { devops: { ...DEVOPS, qa_app: 'shop-staging' } },
    });
  });
});

describe('configuration schema.json', () => {
  it('offers exactly the platforms the executors know', () => {
    expect(schema.properties.platform.enum).toEqual(ALL_PLATFORM_NAMES);
  });

  // Nx 24 prompts for every option with an x-prompt that is not given, required or not, before
  // the generator runs: a prompt on the apps would stop every update in a terminal.
  it('requires and prompts only for the project: an update needs nothing else', () => {
    const prompted = Object.entries(schema.properties)
      .filter(([, property]) => 'x-prompt' in property)
      .map(([name]) => name);

    expect(schema.required).toEqual(['project']);
    expect(prompted).toEqual(['project']);
  });

  // --help can only list the camelCase property names: each description starts with the flag.
  it('starts every option description with its kebab-case flag', () => {
    const unnamed = Object.entries(schema.properties)
      .filter(([name, property]) => !property.description.startsWith(`--${toKebabCase(name)}`))
      .map(([name]) => name);

    expect(unnamed).toEqual([]);
  });

  it('shows kebab-case examples in --help', () => {
    expect(schema.examples.map((example) => example.command)).toEqual([
      'nx g nx-release-deploy:configuration --project=shop --qa-app=shop-qa --prod-app=shop --post-deploy-cmd="bin/rails db:migrate"',
      'nx g nx-release-deploy:configuration shop --post-deploy-timeout=1800',
    ]);
  });

  it('describes every option for Nx Console', () => {
    const undescribed = Object.entries(schema.properties).filter(
      ([, property]) => !property.description,
    );

    expect(undescribed).toEqual([]);
  });
});

function toKebabCase(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
