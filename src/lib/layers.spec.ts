import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The layer order of src, bottom first (README "Develop", "Layers"): a file may import its own
 * folder and the layers below it, never one above. Folders in one entry are peers that may not
 * import each other. Specs follow the rule of their folder and may also import test helpers;
 * the helpers (any `test-support` folder) may import any layer, and no shipped file imports them.
 */
const LAYERS: readonly (readonly string[])[] = [
  ['lib/core'],
  ['lib/command'],
  ['lib/redact'],
  ['lib/io'],
  ['lib/platforms', 'lib/publishers'],
  ['lib/config'],
  ['lib/plan', 'lib/schema'],
  ['lib/ledger'],
  ['lib/lock'],
  ['lib/resume'],
  ['lib/report'],
  ['lib/run'],
  ['executors', 'generators'],
  ['index.ts'],
];

const SRC = path.join(__dirname, '..');
const ORDER = LAYERS.map((peers) => peers.join(' | ')).join(' < ');

interface Place {
  readonly folder: string;
  readonly rank: number;
}

// The layer a file of src (path relative to src, with forward slashes) belongs to.
function findPlace(file: string): Place | undefined {
  for (const [rank, peers] of LAYERS.entries()) {
    const folder = peers.find((peer) => file === peer || file.startsWith(`${peer}/`));
    if (folder) return { folder, rank };
  }
  return undefined;
}

const isSpec = (file: string) => file.endsWith('.spec.ts');
const isTestSupport = (file: string) => file.split('/').includes('test-support');

// Why `file` may not import `target` (both relative to src), or undefined when it may.
function checkImport(file: string, target: string): string | undefined {
  if (isTestSupport(file)) return undefined;
  if (isSpec(target) || isTestSupport(target)) {
    return isSpec(file) && !isSpec(target)
      ? undefined
      : 'only specs may import test helpers, and nothing imports a spec';
  }
  const own = findPlace(file);
  const imported = findPlace(target);
  if (!own || !imported) return `every file of src belongs to a layer (${ORDER})`;
  if (imported.rank < own.rank || imported.folder === own.folder) return undefined;
  const where = imported.rank === own.rank ? 'a peer of' : 'above';
  return `${imported.folder} is ${where} ${own.folder}; imports point down: ${ORDER}`;
}

function listSourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return listSourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const toSrcPath = (file: string) => path.relative(SRC, file).split(path.sep).join('/');

// Every import of src that runs back up: "file: import 'specifier': rule".
function findUpwardImports(): string[] {
  return listSourceFiles(SRC).flatMap((file) => {
    const from = toSrcPath(file);
    if (!isSpec(from) && !isTestSupport(from) && !findPlace(from)) {
      return [`src/${from}: every file of src belongs to a layer (${ORDER})`];
    }
    const imports = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true).importedFiles;
    return imports.flatMap(({ fileName: specifier }) => {
      if (!specifier.startsWith('.')) return [];
      const target = toSrcPath(path.resolve(path.dirname(file), specifier));
      if (target.startsWith('..')) return [];
      const resolved = fs.existsSync(path.join(SRC, `${target}.ts`)) ? `${target}.ts` : target;
      const problem = checkImport(from, resolved);
      return problem ? [`src/${from}: import '${specifier}': ${problem}`] : [];
    });
  });
}

describe('layers: every import of src points down the layer order', () => {
  it.each([
    ['lib/run/run-plan.ts', 'lib/ledger/ledger.ts', true],
    ['lib/ledger/file-store.ts', 'lib/run/run-plan.ts', false],
    ['lib/platforms/custom.ts', 'lib/config/release-config.ts', false],
    ['lib/publishers/npm.ts', 'lib/redact/token-shape-passes.ts', true],
    ['lib/publishers/custom.ts', 'lib/platforms/custom.ts', false],
    ['lib/config/resolve-devops.ts', 'lib/publishers/publishers.ts', true],
    ['lib/config/resolve-devops.ts', 'lib/config/parse-with-schema.ts', true],
    ['lib/config/resolve-devops.ts', 'lib/core/config-issue.ts', true],
    ['lib/core/style.ts', 'lib/command/command-spec.ts', false],
    ['executors/ship/executor.ts', 'lib/run/run-stage.ts', true],
    ['generators/init/generator.ts', 'executors/prepare/schema.ts', false],
    ['lib/plan/build-plan.spec.ts', 'lib/test-support/make-config.ts', true],
    ['lib/plan/build-plan.spec.ts', 'lib/run/run-plan.ts', false],
    ['lib/plan/build-plan.ts', 'lib/test-support/make-config.ts', false],
    ['lib/test-support/make-ledger.ts', 'lib/ledger/ledger.ts', true],
    ['lib/extra/new-thing.ts', 'lib/core/style.ts', false],
  ])('%s importing %s is allowed: %s', (file, target, allowed) => {
    expect(checkImport(file, target) === undefined).toBe(allowed);
  });

  it('finds no import of src that runs back up', () => {
    expect(findUpwardImports()).toEqual([]);
  });
});
