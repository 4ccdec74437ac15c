import path from 'node:path';
import type { Writable } from 'node:stream';
import type { ExecutorContext } from '@nx/devkit';
import { formatOutputProblem } from '../config/describe-output-problem';
import { readReleaseConfig } from './read-release-config';
import { KNOWN_SECRETS } from '../config/known-secrets';
import { readRedactNames } from '../config/read-redact-names';
import type { Stage } from '../config/release-config';
import { ReleaseError } from '../core/release-error';
import { checkOutputTree } from '../io/check-output-tree';
import { canRun, locateProgram } from '../io/find-program';
import { runProcess } from '../io/run-process';
import {
  checkPrerequisites,
  describeUnstartable,
  findUnstartable,
} from '../plan/check-prerequisites';
import { fileStore } from '../ledger/file-store';
import { acquireStageLock } from '../lock/stage-lock';
import { buildPlan } from '../plan/build-plan';
import { formatDryRun } from '../plan/format-plan';
import { createRedactor } from '../redact/redact';
import {
  processOutput,
  writeClosing,
  writeStepHeader,
  writeStepResult,
  type Output,
} from './output';
import { runPlan } from './run-plan';
import { chooseStyle } from '../core/style';
import { withInterrupts } from './with-interrupts';

// What the executors share: read, validate, plan, then print (dry-run) or run and record.
export async function runStage(
  stage: Stage,
  options: Record<string, unknown>,
  context: ExecutorContext,
  io: {
    output?: Output;
    env?: NodeJS.ProcessEnv;
    stdout?: Writable;
    stderr?: Writable;
    // How the commit checked out is read (a batch reads it once for all its tasks).
    readHead?: (root: string) => Promise<string | undefined>;
  } = {},
): Promise<{ success: boolean }> {
  const env = io.env ?? process.env;
  // Every line the plugin prints passes the redactor: it knows the redact_env names before the
  // config is validated (read leniently), so that a configuration error masks them too.
  let redact = createRedactor(
    readRedactNames({
      stage,
      target: context.targetName ?? `release-${stage}`,
      options,
      targets: context.projectsConfigurations?.projects[context.projectName ?? '']?.targets ?? {},
      configurationName: context.configurationName,
    }),
    env,
    KNOWN_SECRETS,
  );
  const raw = io.output ?? processOutput;
  const output: Output = {
    out: (text) => raw.out(redact(text)),
    err: (text) => raw.err(redact(text)),
    close: (text, stream) => writeClosing(raw, redact(text), stream),
    openStep: (text) => writeStepHeader(raw, redact(text)),
    closeStep: (text, failed) => writeStepResult(raw, redact(text), redact(failed)),
  };
  try {
    const config = await readReleaseConfig(stage, options, context, env, io.readHead);
    redact = createRedactor(config.devops.redactEnv, env, KNOWN_SECRETS);
    const plan = buildPlan(config);
    if (config.dryRun) {
      // A dry run writes nothing: it only looks at whether a run could write its files.
      const problem = await checkOutputTree(config.workspaceRoot, config.outputDir, {
        create: false,
      });
      output.out(formatDryRun(plan, redact));
      const notes = checkPrerequisites(plan, config.devops.platform, env, (program) =>
        canRun(program, config.workspaceRoot, env.PATH),
      );
      const stop = problem ? [`a run would stop: ${formatOutputProblem(config, problem)}`] : [];
      for (const note of [...notes, ...stop]) output.out(`Note: ${note}`);
      return { success: true };
    }
    // A real run starts nothing, and touches neither lock nor ledger, unless every program its
    // plan may start (rollback included) can be started.
    const unstartable = findUnstartable(plan, (program) =>
      locateProgram(program, config.workspaceRoot, env.PATH),
    );
    if (unstartable.length > 0) {
      throw new ReleaseError(
        describeUnstartable(`${config.project}:${config.target}`, unstartable, plan.installHints),
      );
    }
    // Before anything is written: no write may leave the workspace.
    const problem = await checkOutputTree(config.workspaceRoot, config.outputDir, { create: true });
    if (problem) throw new ReleaseError(formatOutputProblem(config, problem));
    const lockPath = `${config.outputDir}.lock`;
    const lock = await acquireStageLock(
      path.join(config.workspaceRoot, lockPath),
      `${config.project}:${config.target}`,
      (message) => output.err(message),
      lockPath,
    );
    try {
      return await withInterrupts(({ signal, force }) =>
        runPlan({
          plan,
          target: config.target,
          workspaceRoot: config.workspaceRoot,
          outputDir: config.outputDir,
          resume: config.resume,
          output,
          style: chooseStyle(env, process.stdout.isTTY === true),
          store: fileStore,
          redact,
          now: () => new Date(),
          ...(env.GITHUB_STEP_SUMMARY && { stepSummaryFile: env.GITHUB_STEP_SUMMARY }),
          step: {
            project: config.project,
            releaseId: config.releaseId,
            env,
            signal,
            force,
            stdout: io.stdout ?? process.stdout,
            stderr: io.stderr ?? process.stderr,
            run: runProcess,
            announce: output.out,
          },
        }),
      ).then((success) => ({ success }));
    } finally {
      await lock.release();
    }
  } catch (error) {
    writeClosing(output, describeFailure(error), 'err');
    return { success: false };
  }
}

// A ReleaseError is already a message for the user; anything else is a bug, said as one line.
function describeFailure(error: unknown): string {
  if (error instanceof ReleaseError) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return `nx-release-deploy failed unexpectedly: ${message}. This is a bug; please report it with the command you ran (run with NX_VERBOSE_LOGGING=true for the stack).`;
}
