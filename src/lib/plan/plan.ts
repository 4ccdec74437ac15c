import type { CommandSpec, ProgramHint } from '../command/command-spec';
import type { Stage } from '../config/release-config';
import type { PublishTarget } from '../publishers/publishers';

export type Env = 'qa' | 'prod';

// One step of a stage, as data: the planner builds it, dry-run prints it, the runner executes it.
export type Step =
  | {
      readonly kind: 'gate';
      readonly id: 'gate';
      readonly env: Env;
      readonly target: string;
      readonly prepareTarget: string;
      // The QA post-deploy command the prepare ledger must show as ok, when one is configured.
      readonly provenPostDeploy?: CommandSpec;
    }
  | {
      readonly kind: 'publish';
      readonly id: string;
      readonly env: Env;
      readonly target: string;
      readonly check: CommandSpec;
      readonly publish: CommandSpec;
      // The package as its publisher resolved it: the publisher judges the check's result by it.
      readonly package: PublishTarget;
    }
  | {
      readonly kind: 'deploy';
      readonly id: 'deploy';
      readonly env: Env;
      readonly target: string;
      readonly command: CommandSpec;
    }
  | {
      readonly kind: 'post_deploy';
      readonly id: 'post_deploy';
      readonly env: Env;
      readonly target: string;
      readonly command: CommandSpec;
      readonly timeoutMs?: number;
    };

// The command that undoes a deploy: run only when a later step of the same run fails.
export interface RollbackStep {
  readonly kind: 'rollback';
  readonly id: 'rollback';
  readonly env: Env;
  readonly target: string;
  readonly command: CommandSpec;
}

export type StepKind = Step['kind'] | RollbackStep['kind'];

// A stage's steps in order, and what they are for.
export interface Plan {
  readonly project: string;
  readonly stage: Stage;
  readonly env: Env;
  readonly app: string;
  readonly releaseId: string;
  readonly steps: readonly Step[];
  // Runs after a failure of a step after `deploy`, when `deploy` ran in this run.
  readonly rollback?: RollbackStep;
  // Whether an interrupted step also triggers the rollback (devops.rollback_on_interrupt).
  readonly rollbackOnInterrupt: boolean;
  // How to install the programs the adapters know (the platform's CLI, the publishers'), for a
  // message about one that cannot be started, before a run or during it.
  readonly installHints: readonly ProgramHint[];
}
