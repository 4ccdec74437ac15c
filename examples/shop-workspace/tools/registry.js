// publish check_cmd / publish_cmd: a folder registry (.registry/<name>@<version>) for the demo.
const fs = require('node:fs');
const path = require('node:path');

const [action, dir] = process.argv.slice(2);
const { name, version } = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
const entry = path.join(__dirname, '..', '.registry', `${name}@${version}`);
if (action === 'check') {
  const live = fs.existsSync(entry);
  console.log(live ? `${name}@${version} is live.` : `${name}@${version} is not published yet.`);
  process.exit(live ? 0 : 1);
}
fs.mkdirSync(path.dirname(entry), { recursive: true });
fs.writeFileSync(entry, new Date().toISOString());
console.log(`Published ${name}@${version}.`);
