// Copies the executors' and generators' schema files next to their compiled code, where executors.json and generators.json point.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
for (const kind of ['executors', 'generators']) {
  for (const name of fs.readdirSync(path.join(root, 'src', kind))) {
    for (const file of ['schema.json', 'schema.d.ts']) {
      const from = path.join(root, 'src', kind, name, file);
      if (fs.existsSync(from)) fs.copyFileSync(from, path.join(root, 'dist', kind, name, file));
    }
  }
}
