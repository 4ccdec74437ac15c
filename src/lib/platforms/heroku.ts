import { formatCommandLine } from '../command/quote-command';
import { MASK } from '../redact/mask-pass';
import { chainParts, partialOf, spellParts, type TokenShape } from '../redact/token-shape-passes';
import type { Platform } from './platform';

const HEX = '[0-9a-fA-F]';

// Every start of a UUID: 8-4-4-4-12 hex digits, each group open only once the one before is full.
function uuidStarts(): string {
  const groups = [8, 4, 4, 4, 12];
  return groups
    .map((size, index) => {
      const full = groups.slice(0, index).map((g) => `${HEX}{${g}}-`);
      return `${full.join('')}${HEX}{${index === 0 ? 1 : 0},${size}}`;
    })
    .join('|');
}

// Heroku API keys: `HRKU-...`, and the legacy ones, which are UUIDs.
const TOKEN_SHAPES: readonly TokenShape[] = [
  {
    pattern: /\bHRKU-[A-Za-z0-9_-]{20,}/g,
    replace: () => MASK,
    needs: 'HRKU-',
    runs: [/[A-Za-z0-9_-]/],
    partial: partialOf(`\\b${chainParts(spellParts('HRKU', '-[A-Za-z0-9_-]*'))}`),
  },
  {
    pattern: /\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b/g,
    replace: () => MASK,
    needs: '-',
    runs: [/[0-9a-fA-F-]/],
    partial: partialOf(`\\b(?:${uuidStarts()})`),
  },
];

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
  credential: {
    env: 'HEROKU_API_KEY',
    unset: 'the Heroku CLI would need a stored login (heroku login)',
  },
  secrets: { env: ['HEROKU_API_KEY'], tokenShapes: TOKEN_SHAPES },
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
