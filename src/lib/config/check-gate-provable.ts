import { BLOCK_PLATFORM_NAMES } from '../platforms/platforms';
import type { ConfigIssue } from '../core/config-issue';
import type { Devops } from './devops';

// Any id builds the same argv for the comparison: the release id reaches no platform's argv.
const SAMPLE_RELEASE = 'compare';

// The keys of ship's own devops that can change the QA post-deploy argv the gate compares.
export const QA_COMMAND_KEYS: readonly string[] = [
  'post_deploy_cmd',
  'platform',
  'qa_app',
  ...BLOCK_PLATFORM_NAMES,
];

/**
 * The gate passes only when the prepare ledger shows, ok on QA, exactly the post-deploy argv
 * ship builds for QA. Prepare runs its own devops; ship runs it overlaid by its own keys. When
 * ship's keys change that QA argv, no prepare can ever prove it: refused here, with where the
 * setting belongs, instead of after QA was deployed for nothing.
 */
export function checkGateProvable(input: {
  readonly prepare: Devops;
  readonly ship: Devops;
  readonly ownKeys: readonly string[];
  readonly prepareTarget: string;
  readonly shipTarget: string;
}): ConfigIssue[] {
  const { prepare, ship, ownKeys, prepareTarget, shipTarget } = input;
  if (!ship.postDeploy) return [];
  const belongs = `the post-deploy command belongs in ${prepareTarget}'s devops (${shipTarget} inherits it)`;
  if (ownKeys.includes('post_deploy_cmd')) {
    if (!prepare.postDeploy) {
      return [
        {
          path: 'devops.post_deploy_cmd',
          problem: `is set in ${shipTarget} but not in ${prepareTarget}, so QA never runs it and the gate can never pass`,
          fix: `${belongs}: move it there`,
        },
      ];
    }
    if (!isSameArgv(prepare.postDeploy, ship.postDeploy)) {
      return [
        {
          path: 'devops.post_deploy_cmd',
          problem: `differs from ${prepareTarget}'s, so the gate can never pass (it requires the command ship runs to have succeeded on QA)`,
          fix: `${belongs}: change it there, and remove it from ${shipTarget}`,
        },
      ];
    }
  }
  if (!prepare.postDeploy || isSameArgv(buildQaArgv(prepare), buildQaArgv(ship))) return [];
  const changing = QA_COMMAND_KEYS.filter(
    (key) => key !== 'post_deploy_cmd' && ownKeys.includes(key),
  );
  return changing.map((key) => ({
    path: `devops.${key}`,
    problem: `changes the QA post-deploy command from the one ${prepareTarget} runs, so the gate can never pass`,
    fix: `set it in ${prepareTarget}'s devops (${shipTarget} inherits it), or remove it from ${shipTarget}`,
  }));
}

function buildQaArgv(devops: Devops): readonly string[] {
  return devops.platform.buildPostDeploy(
    { app: devops.apps.qa, env: 'qa', releaseId: SAMPLE_RELEASE },
    devops.postDeploy ?? [],
  ).argv;
}

function isSameArgv(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((word, index) => word === b[index]);
}
