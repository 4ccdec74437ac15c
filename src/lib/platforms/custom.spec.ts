import fc from 'fast-check';
import { readArgvWithBash } from '../test-support/bash-argv';
import { buildCustomCommand } from './custom';
import { HOSTILE_TOKENS, generateArgv } from '../test-support/hostile-tokens';
import { buildPostDeployFor, describeDevopsProblems } from './test-support/resolve-for-test';

const target = { app: 'shop-qa', env: 'qa', releaseId: 'a1b2c3d' } as const;
const base = {
  platform: 'custom',
  qa_app: 'shop-qa',
  prod_app: 'shop',
  post_deploy_cmd: 'bin/rails db:migrate',
};
const PREFIX = 'Invalid configuration for shop:release-prepare';

describe('buildCustomCommand: {argv} spreads the tokens, {cmd} quotes them into one string', () => {
  it.each<[string, readonly string[], readonly string[], readonly string[]]>([
    [
      '{argv} as the last elements',
      ['railway', 'run', '--service=shop-qa', '--', '{argv}'],
      ['bin/rails', 'db:migrate'],
      ['railway', 'run', '--service=shop-qa', '--', 'bin/rails', 'db:migrate'],
    ],
    [
      '{argv} in the middle',
      ['tool', 'exec', '{argv}', '--wait'],
      ['./migrate', 'up'],
      ['tool', 'exec', './migrate', 'up', '--wait'],
    ],
    [
      '{cmd} as an element of its own',
      ['render-ssh', 'shop-qa', '{cmd}'],
      ['./migrate', "it's", '$HOME'],
      ['render-ssh', 'shop-qa', "./migrate 'it'\\''s' '$HOME'"],
    ],
    [
      '{cmd} inside a flag value',
      ['tool', '--app=shop-qa', '--command={cmd}'],
      ['./migrate', 'a;b', '--app=other'],
      ['tool', '--app=shop-qa', "--command=./migrate 'a;b' --app=other"],
    ],
    [
      'hostile tokens through {argv} stay separate words',
      ['tool', '--', '{argv}'],
      ["it's", '$HOME', '--app=other', 'a;b', '*', '`id`', '{cmd}', '{argv}'],
      ['tool', '--', "it's", '$HOME', '--app=other', 'a;b', '*', '`id`', '{cmd}', '{argv}'],
    ],
  ])('%s', (_name, template, tokens, argv) => {
    expect(buildCustomCommand(target, { argv: template }, tokens)).toEqual({ argv });
  });

  it('is what the resolver binds, with {app} and {env} filled in per environment', () => {
    const devops = {
      ...base,
      custom: {
        argv: ['railway', 'run', '--service={app}', '--environment={env}', '--', '{argv}'],
      },
    };
    expect(buildPostDeployFor(devops, 'prod', ['bin/rails', 'db:migrate'])).toEqual({
      argv: [
        'railway',
        'run',
        '--service=shop',
        '--environment=prod',
        '--',
        'bin/rails',
        'db:migrate',
      ],
    });
  });
});

// The {cmd} string read back by a real bash gives the tokens: the shell-string promise.
describe('the custom {cmd} string', () => {
  const remoteOf = (tokens: readonly string[]) =>
    buildCustomCommand(target, { argv: ['tool', '{cmd}'] }, tokens).argv.at(-1) ?? '';

  it.each(HOSTILE_TOKENS.map((token) => [token]))('carries %j unchanged through bash', (token) => {
    const tokens = ['cmd', token, `x${token}y`];
    expect(readArgvWithBash(remoteOf(tokens), 'cmd')).toEqual(tokens);
  });

  it('carries generated argv unchanged through bash', () => {
    fc.assert(
      fc.property(generateArgv(), (args) => {
        const tokens = ['cmd', ...args];
        expect(readArgvWithBash(remoteOf(tokens), 'cmd')).toEqual(tokens);
      }),
      { numRuns: 300 },
    );
  });
});

describe('custom configuration errors', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'no block',
      {},
      `${PREFIX}: devops.custom is required when devops.platform is custom. Add "custom": { "argv": ["mytool", "exec", "--app={app}", "--", "{argv}"] }.`,
    ],
    [
      'a string instead of an array',
      { custom: { argv: 'tool {cmd}' } },
      `${PREFIX}: devops.custom.argv must be an array of strings, or { "qa": ..., "prod": ... } with one for each environment. See the README for the accepted forms.`,
    ],
    [
      'an empty template',
      { custom: { argv: [] } },
      `${PREFIX}: devops.custom.argv is empty. Give the program and its arguments, with "{argv}" or "{cmd}" where the command goes.`,
    ],
    [
      'a NUL in the template',
      { custom: { argv: ['tool', 'run\0', '{argv}'] } },
      `${PREFIX}: devops.custom.argv[1] contains a NUL character, which no command argument can hold. Remove it.`,
    ],
    [
      'no place for the command',
      { custom: { argv: ['tool', 'run', '{app}'] } },
      `${PREFIX}: devops.custom.argv has no {argv} or {cmd}. Put "{argv}" (the tokens as separate arguments) or "{cmd}" (the tokens as one quoted string) exactly once where the command goes.`,
    ],
    [
      'the command twice',
      { custom: { argv: ['tool', '{cmd}', '--then={cmd}'] } },
      `${PREFIX}: devops.custom.argv uses {cmd} 2 times. Put "{argv}" (the tokens as separate arguments) or "{cmd}" (the tokens as one quoted string) exactly once where the command goes.`,
    ],
    [
      'both forms',
      { custom: { argv: ['tool', '{cmd}', '{argv}'] } },
      `${PREFIX}: devops.custom.argv uses both {argv} and {cmd}. Put "{argv}" (the tokens as separate arguments) or "{cmd}" (the tokens as one quoted string) exactly once where the command goes.`,
    ],
    [
      'a flag as the program, {argv} inside text, an empty element',
      { custom: { argv: ['--tool', '--args={argv}', '', '{cmd}'] } },
      `${PREFIX} (3 problems):\n  - devops.custom.argv[0] "--tool" is not a program name. Start the template with the program to run, e.g. "railway".\n  - devops.custom.argv[1] has {argv} inside other text. Make "{argv}" an element of its own (it becomes one element per token), or use {cmd}.\n  - devops.custom.argv[2] is empty. Remove it.`,
    ],
    [
      'an unknown placeholder',
      { custom: { argv: ['tool', '--sha={sha}', '{argv}'] } },
      `${PREFIX}: devops.custom.argv[1] uses unknown placeholder {sha}. Use only {app}, {env}, {cmd}, {argv}.`,
    ],
    [
      'different forms on QA and prod',
      { custom: { argv: { qa: ['tool', '{cmd}'], prod: ['tool', '--', '{argv}'] } } },
      `${PREFIX}: devops.custom.argv.prod puts the command in {argv}, but devops.custom.argv.qa in {cmd}. Use the same one for both environments, so that QA proves what prod runs.`,
    ],
  ])('%s', (_name, block, message) => {
    expect(describeDevopsProblems({ ...base, ...block })).toBe(message);
  });
});
