/**
 * Tokens for post_deploy_cmd arrays that a remote shell or a tool's option parser would read
 * as more than a word; every e2e that checks they arrive unchanged uses this one list.
 */
export const HOSTILE_TOKENS = [
  "it's",
  '$HOME',
  '--app=other',
  'a;b',
  '*',
  '`id`',
  '"q"',
  'back\\slash',
  'two\nlines',
  'héllo',
  '$(id)',
  '  spaced  ',
  '-oProxyCommand=id',
  '--',
];
