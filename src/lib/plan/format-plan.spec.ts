import { findHiddenCharacter } from '../command/hidden-characters';
import { readArgvWithBash } from '../test-support/bash-argv';
import { makeConfig } from '../test-support/make-config';
import { buildPlan } from './build-plan';
import { formatCommand, formatDryRun } from './format-plan';

const keep = (text: string) => text;
// Clears the screen, then shows "deployed"; and a name that reads "exe.png" backwards.
const TOKENS = ['./notify', '\x1b[2J\x1b[1;1Hdeployed', '\u202egnp.exe'];
const devops = {
  qa_app: 'shop-qa',
  prod_app: 'shop',
  post_deploy_cmd: TOKENS,
  deploy_cmd: { qa: ['git', 'push', 'origin', 'x\rdone'] },
};
const NOTE = '    (\\xe2\\x80\\xae is U+202E RIGHT-TO-LEFT OVERRIDE)';

describe('formatDryRun of commands holding characters that do not show as themselves', () => {
  const plan = buildPlan(makeConfig({ stage: 'prepare', devops }));
  const lines = formatDryRun(plan, keep).split('\n');

  it('prints each in a visible escape, and names the byte escapes under the line', () => {
    expect(lines.slice(1)).toEqual([
      '[1/2] deploy · qa · shop-qa',
      "  $ git push origin $'x\\rdone'",
      '[2/2] post_deploy · qa · shop-qa',
      "  $ heroku run --exit-code --no-tty --no-notify --app=shop-qa -- $'./notify \\'\\e[2J\\e[1;1Hdeployed\\' \\'\\xe2\\x80\\xaegnp.exe\\''",
      NOTE,
      'Dry run: 2 steps planned, none run.',
    ]);
    expect(lines.filter((line) => findHiddenCharacter(line) !== -1)).toEqual([]);
  });

  it('prints lines that bash reads back as the argv, and the remote string as the tokens', () => {
    const [deploy, postDeploy] = plan.steps.map((step) =>
      'command' in step ? step.command.argv : [],
    );
    const printed = lines.filter((line) => line.startsWith('  $ ')).map((line) => line.slice(4));
    expect(readArgvWithBash(printed[0] as string, 'git')).toEqual(deploy);
    expect(readArgvWithBash(printed[1] as string, 'heroku')).toEqual(postDeploy);
    const remote = postDeploy?.at(-1) as string;
    expect(readArgvWithBash(remote, './notify')).toEqual(TOKENS);
  });

  it('names the escapes of the proven command in the ship gate too', () => {
    const ship = buildPlan(makeConfig({ stage: 'ship', devops }));
    const gate = formatDryRun(ship, keep).split('\n').slice(2, 5);
    expect(gate[1]).toMatch(/^ {2}\$ heroku run .* -- \$'\.\/notify \\'\\e\[2J/);
    expect(gate[2]).toBe(NOTE);
  });
});

describe('formatCommand (the `$` line of a run and the ledger command)', () => {
  it('shows hidden characters as escapes, env values too, and still masks secrets', () => {
    const redact = (text: string) => text.split('s3cr3t-value').join('***');
    expect(
      formatCommand(
        { argv: ['./notify', 'token=s3cr3t-value\x1b]0;title\x07'], env: { NOTE: 'a\u2066b' } },
        redact,
      ),
    ).toBe("NOTE=$'a\\xe2\\x81\\xa6b' ./notify $'token=***\\e]0;title\\a'");
  });

  it('masks a secret that itself holds a character printed as an escape', () => {
    const redact = (text: string) => text.split('pass\x1bword').join('***');
    expect(formatCommand({ argv: ['login', '--password=pass\x1bword'] }, redact)).toBe(
      "login '--password=***'",
    );
  });

  it('prints a plain command as before', () => {
    expect(formatCommand({ argv: ['bin/rails', 'db:migrate', 'a b'] }, keep)).toBe(
      "bin/rails db:migrate 'a b'",
    );
  });
});
