// The demo's stand-in for a hosting platform: apps are folders under .platform/.
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..', '.platform');

exports.readRelease = (app) => {
  const file = path.join(root, app, 'release');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined;
};

exports.writeRelease = (app, release) => {
  fs.mkdirSync(path.join(root, app), { recursive: true });
  fs.writeFileSync(path.join(root, app, 'release'), `${release}\n`);
};

exports.pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
