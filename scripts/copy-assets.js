// Copies the executors' schema.json files next to their compiled code, where executors.json points.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
for (const name of fs.readdirSync(path.join(root, 'src/executors'))) {
  for (const file of ['schema.json', 'schema.d.ts']) {
    const from = path.join(root, 'src/executors', name, file);
    if (fs.existsSync(from)) fs.copyFileSync(from, path.join(root, 'dist/executors', name, file));
  }
}
