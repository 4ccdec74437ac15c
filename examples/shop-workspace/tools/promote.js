// deploy_cmd.prod: promotes what QA runs to prod, as a pipeline promotion would.
const { pause, readRelease, writeRelease } = require('./platform');

const from = process.argv.find((arg) => arg.startsWith('--from=')).slice(7);
const to = process.argv.find((arg) => arg.startsWith('--to=')).slice(5);
const release = readRelease(from);
if (!release) {
  console.error(`${from} runs nothing yet: deploy it first.`);
  process.exit(1);
}
console.log(`Promoting ${release.slice(0, 7)} from ${from} to ${to}...`);
pause(300);
writeRelease(to, release);
console.log(`${to} now runs ${release.slice(0, 7)}.`);
