import { buildPlan } from '../plan/build-plan';
import { makeConfig } from '../test-support/make-config';
import { describeOutcome } from './describe-outcome';

const devops = { qa_app: 'shop-qa', prod_app: 'shop', post_deploy_cmd: 'bin/rails db:migrate' };
const hintsOf = (extra: Record<string, unknown>) =>
  buildPlan(makeConfig({ stage: 'prepare', devops: { ...devops, ...extra } })).installHints;

describe('describeOutcome: a program that disappeared gets the install hint of its adapter', () => {
  it.each([
    [
      'the Heroku CLI, with the Heroku adapter',
      {},
      'heroku',
      'Command not found: heroku. Install the Heroku CLI (npm install -g heroku) and put it on PATH.',
    ],
    [
      'npm, with the npm publisher',
      {},
      'npm',
      'Command not found: npm. Install Node.js, which comes with npm, and put npm on the PATH the executor sees.',
    ],
    [
      'the program of a custom template',
      { platform: 'custom', custom: { argv: ['railway', 'run', '{argv}'] } },
      'railway',
      'Command not found: railway. Install railway, or change devops.custom.argv.',
    ],
    [
      'kubectl, with the Kubernetes adapter',
      { platform: 'kubernetes', kubernetes: { workload: 'deploy/web' } },
      'kubectl',
      'Command not found: kubectl. Install kubectl (https://kubernetes.io/docs/tasks/tools/) and put it on PATH.',
    ],
    [
      'a program no adapter knows',
      {},
      'gem',
      'Command not found: gem. Install gem, or fix the PATH the executor sees.',
    ],
    [
      'a path, which is looked up in the workspace',
      {},
      'bin/deploy',
      'Command not found: bin/deploy. There is no such file relative to the workspace root (commands run there).',
    ],
  ])('%s', (_name, extra, binary, advice) => {
    expect(describeOutcome({ kind: 'not_found', binary }, hintsOf(extra))).toEqual({
      status: 'failed',
      reason: `command not found: ${binary}`,
      exitCode: null,
      advice,
    });
  });

  it('tells how to make a script executable, as the check before a run does', () => {
    expect(describeOutcome({ kind: 'not_executable', binary: 'tools/deploy' }, [])).toMatchObject({
      advice:
        'Not executable: tools/deploy. Make it executable (chmod +x tools/deploy) and commit the mode (git update-index --chmod=+x tools/deploy), or run it through its interpreter (e.g. ["node", "tools/deploy"]).',
    });
  });
});
