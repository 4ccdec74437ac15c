import { formatTempName, isTempName } from './temp-name';

describe('temp file names', () => {
  it('formats a hidden name beside the file it replaces', () => {
    expect(formatTempName('checks_run.json', '0123456789abcdef')).toBe(
      '.checks_run.json.0123456789abcdef.tmp',
    );
  });

  it.each<[string, boolean]>([
    ['.checks_run.json.0123456789abcdef.tmp', true],
    ['.prepare.lock.fedcba9876543210.tmp', true],
    ['.junit.xml.0123456789abcdef.tmp', true],
    // Names earlier versions wrote.
    ['.checks_run.json.4242.1764412800000.tmp', true],
    ['prepare.lock.4242.tmp', true],
    ['prepare.lock.takeover.4242.tmp', true],
    // Anything else is the user's, or a live file of the run.
    ['checks_run.json', false],
    ['junit.xml', false],
    ['prepare.lock', false],
    ['prepare.lock.takeover', false],
    ['checks_run.json.damaged-2026-11-29T10-00-00-123Z', false],
    ['.checks_run.json.0123456789ABCDEF.tmp', false],
    ['.checks_run.json.0123456789abcde.tmp', false],
    ['notes.tmp', false],
    ['.tmp', false],
  ])('%s is a temp file of this plugin: %s', (name, expected) => {
    expect(isTempName(name)).toBe(expected);
  });
});
