// Writes both executors' schema.json and schema.d.ts from the zod schemas (npm run schema, after a
// build: the generator is read from dist/). src/executors/schema-files.spec.ts fails until the
// files written here are committed.
const fs = require('node:fs');
const path = require('node:path');
const prettier = require('prettier');

const root = path.join(__dirname, '..');

async function main() {
  const { renderSchemaFiles } = require(
    path.join(root, 'dist', 'lib', 'schema', 'render-schema-files'),
  );
  for (const file of renderSchemaFiles()) {
    const target = path.join(root, file.path);
    const options = await prettier.resolveConfig(target);
    fs.writeFileSync(target, await prettier.format(file.text, { ...options, filepath: target }));
    console.log(`wrote ${file.path}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
