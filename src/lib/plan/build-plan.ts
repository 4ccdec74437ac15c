import type { CommandSpec, ProgramHint } from '../command/command-spec';
import { substitutePlaceholders, type PlaceholderValues } from '../command/substitute-placeholders';
import type { ReleaseConfig } from '../config/release-config';
import type { Platform } from '../platforms/platform';
import { PUBLISHERS, type PublishTarget } from '../publishers/publishers';
import type { Env, Plan, Step } from './plan';

// The one place that turns a validated config into the exact commands a stage runs.
export function buildPlan(config: ReleaseConfig): Plan {
  const env: Env = config.stage === 'prepare' ? 'qa' : 'prod';
  const { devops, releaseId } = config;
  const app = devops.apps[env];
  const steps: Step[] = [];
  if (config.stage === 'ship' && config.gate) {
    steps.push({
      kind: 'gate',
      id: 'gate',
      env,
      target: config.gate.ledgerPath,
      prepareTarget: config.gate.prepareTarget,
      ...(devops.postDeploy && { provenPostDeploy: buildPostDeployCommand(config, 'qa') }),
    });
  }
  if (config.stage === 'ship')
    steps.push(...config.publish.map((target) => buildPublishStep(target, env)));
  const deploy = devops.deploy[env];
  if (deploy) {
    steps.push({
      kind: 'deploy',
      id: 'deploy',
      env,
      target: app,
      command: { argv: substitutePlaceholders(deploy, placeholderValues(config, env)) },
    });
  }
  if (devops.postDeploy) {
    steps.push({
      kind: 'post_deploy',
      id: 'post_deploy',
      env,
      target: app,
      command: buildPostDeployCommand(config, env),
      ...(devops.postDeployTimeoutMs !== undefined && { timeoutMs: devops.postDeployTimeoutMs }),
    });
  }
  const rollback = devops.rollback[env];
  return {
    project: config.project,
    stage: config.stage,
    env,
    app,
    releaseId,
    steps,
    ...(rollback &&
      deploy && {
        rollback: {
          kind: 'rollback',
          id: 'rollback',
          env,
          target: app,
          command: { argv: substitutePlaceholders(rollback, placeholderValues(config, env)) },
        },
      }),
    rollbackOnInterrupt: devops.rollbackOnInterrupt,
    installHints: listInstallHints(devops.platform),
  };
}

// The platform's CLI, then each publisher's program; a name is given one hint, the first.
function listInstallHints(platform: Platform): ProgramHint[] {
  const hints: ProgramHint[] = [];
  for (const hint of [platform.binary, ...Object.values(PUBLISHERS).map((p) => p.binary)]) {
    if (hint && !hints.some((known) => known.name === hint.name)) hints.push(hint);
  }
  return hints;
}

// The values of {app}, {env}, {sha}, {qa_app} and {prod_app} in one environment's commands.
function placeholderValues(config: ReleaseConfig, env: Env): PlaceholderValues {
  const { apps } = config.devops;
  return { app: apps[env], env, sha: config.releaseId, qa_app: apps.qa, prod_app: apps.prod };
}

// The post-deploy command for one environment; the ship gate rebuilds QA's to compare.
export function buildPostDeployCommand(config: ReleaseConfig, env: Env): CommandSpec {
  const { devops } = config;
  return devops.platform.buildPostDeploy(
    { app: devops.apps[env], env, releaseId: config.releaseId },
    devops.postDeploy ?? [],
  );
}

function buildPublishStep(target: PublishTarget, env: Env): Step {
  return {
    kind: 'publish',
    env,
    ...PUBLISHERS[target.kind].buildCommands(target),
    package: target,
  };
}
