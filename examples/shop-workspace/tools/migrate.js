// post_deploy_cmd: the "migration" run on the app after each deploy. It reads the app from
// RELEASE_APP / RELEASE_ENV (set by the local platform) and fails while .demo-fail-<env> exists,
// so the demo can show an abort and a resume.
const fs = require('node:fs');
const path = require('node:path');
const { pause, readRelease } = require('./platform');

const app = process.env.RELEASE_APP;
const env = process.env.RELEASE_ENV;
console.log(
  `Migrating ${app} (${env}) at release ${String(readRelease(app)).slice(0, 7)} ${process.argv.slice(2).join(' ')}`,
);
for (const migration of ['0041_add_orders_index', '0042_backfill_totals']) {
  pause(200);
  if (
    migration === '0042_backfill_totals' &&
    fs.existsSync(path.join(__dirname, '..', `.demo-fail-${env}`))
  ) {
    console.error(`  ${migration}: ERROR: column "total_cents" is locked (demo failure)`);
    process.exit(3);
  }
  console.log(`  ${migration}: done`);
}
