import { describeUnknownProject } from './describe-unknown-project';

describe('describeUnknownProject', () => {
  it.each<[string, string[], string]>([
    [
      'shopp',
      ['shop', 'admin'],
      'Cannot add the release targets: project "shopp" was not found in this workspace. Did you mean "shop"? Pass the name of an existing project as --project (nx show projects lists them).',
    ],
    [
      'billing',
      ['shop', 'admin'],
      'Cannot add the release targets: project "billing" was not found in this workspace. Pass the name of an existing project as --project (nx show projects lists them).',
    ],
  ])('%s among %j', (name, known, message) => {
    expect(describeUnknownProject(name, known)).toBe(message);
  });
});
