// deploy_cmd.qa: puts a commit on an app (here: records it in .platform/<app>/release).
const { pause, readRelease, writeRelease } = require('./platform');

const [app, sha] = process.argv.slice(2);
if (readRelease(app) === sha) {
  console.log(`${app} already runs ${sha.slice(0, 7)}: nothing to deploy.`);
} else {
  console.log(`Deploying ${sha.slice(0, 7)} to ${app}...`);
  pause(300);
  writeRelease(app, sha);
  console.log(`${app} now runs ${sha.slice(0, 7)}.`);
}
