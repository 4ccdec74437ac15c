import { isSameCommand, type CommandNow } from './same-command';

const masked = ['psql', 'postgres://app:***@db/shop'];
const digest = 'scrypt:N=32768,r=8,p=1:salt:hash';
const now = (argv: string[], secret: boolean, verified: string[] = []): CommandNow => ({
  argv,
  secret,
  verifiedDigests: new Set(verified),
});

describe('isSameCommand', () => {
  it.each<[string, { argv: string[]; argvDigest?: string }, CommandNow, boolean]>([
    ['the same plain argv', { argv: ['deploy', 'shop'] }, now(['deploy', 'shop'], false), true],
    ['another plain argv', { argv: ['deploy', 'shop'] }, now(['deploy', 'admin'], false), false],
    ['a longer argv', { argv: ['deploy'] }, now(['deploy', 'shop'], false), false],
    [
      'a secret whose digest verified',
      { argv: masked, argvDigest: digest },
      now(masked, true, [digest]),
      true,
    ],
    [
      'a secret whose digest did not verify',
      { argv: masked, argvDigest: digest },
      now(masked, true),
      false,
    ],
    [
      'a digest against a command without secret',
      { argv: masked, argvDigest: digest },
      now(masked, false),
      false,
    ],
    ['a secret against a check without digest', { argv: masked }, now(masked, true), false],
    [
      'a verified digest but another masked argv',
      { argv: ['psql'], argvDigest: digest },
      now(masked, true, [digest]),
      false,
    ],
  ])('%s', (_name, check, command, same) => {
    expect(isSameCommand(check, command)).toBe(same);
  });
});
