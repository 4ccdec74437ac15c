import { formatCommandLine } from '../command/quote-command';
import type { Platform } from './platform';

/**
 * `heroku run` (CLI 11) sends one argument after `--` to the dyno's bash verbatim, but re-joins
 * several with a rule that breaks on ' $ ` \ ; so the tokens travel as ONE POSIX-quoted string.
 * `--app=` cannot be re-ordered into the command the way `-a app` can; `--` ends the CLI's flags
 * so a token such as `--app=other` stays in the command; `--exit-code` makes the CLI exit with
 * the remote status (without it, it exits 0 whatever the command did).
 */
export const herokuPlatform: Platform = {
  name: 'heroku',
  label: 'Heroku',
  remote: 'shell-string',
  appName: {
    pattern: /^[a-z][a-z0-9-]{1,29}$/,
    rule: 'use 2 to 30 lowercase letters, digits and dashes, starting with a letter',
  },
  binary: {
    name: 'heroku',
    install: 'install the Heroku CLI (npm install -g heroku) and put it on PATH',
  },
  buildPostDeploy: ({ app }, tokens) => ({
    argv: [
      'heroku',
      'run',
      '--exit-code',
      '--no-tty',
      '--no-notify',
      `--app=${app}`,
      '--',
      formatCommandLine(tokens),
    ],
  }),
};
