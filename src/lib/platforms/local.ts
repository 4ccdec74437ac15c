import type { Platform } from './platform';

// Runs the command on this machine, as argv without a shell, with the release described in
// RELEASE_APP, RELEASE_ENV and RELEASE_ID: the embedded default for demos and tests.
export const localPlatform: Platform = {
  name: 'local',
  label: 'local',
  remote: 'argv',
  appName: {
    pattern: /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/,
    rule: 'use up to 63 letters, digits, dots, dashes and underscores, starting with a letter or digit',
  },
  buildPostDeploy: ({ app, env, releaseId }, tokens) => ({
    argv: [...tokens],
    env: { RELEASE_APP: app, RELEASE_ENV: env, RELEASE_ID: releaseId },
  }),
};
