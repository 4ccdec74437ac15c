import path from 'node:path';
import type { Writable } from 'node:stream';
import type { ExecutorContext } from '@nx/devkit';
import { readReleaseConfig } from '../config/read-release-config';
import type { Stage } from '../config/release-config';
import { ReleaseError } from '../errors/release-error';
import { canRun } from '../io/find-program';
import { runProcess } from '../io/run-process';
import { checkPrerequisites } from '../plan/check-prerequisites';
import { fileStore } from '../ledger/file-store';
import { acquireStageLock } from '../lock/stage-lock';
import { readLedger, readRunRecord } from '../ledger/ledger-file';
import { buildPlan } from '../plan/build-plan';
import { formatDryRun } from '../plan/format-plan';
import { createRedactor } from '../redact/redact';
import { processOutput, writeClosing, type Output } from './output';
import { runPlan } from './run-plan';
import { chooseStyle } from './style';
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
  // Every line the plugin prints passes the redactor; it learns redact_env once config is read.
  let redact = createRedactor([], env);
  const raw = io.output ?? processOutput;
  const output: Output = {
    out: (text) => raw.out(redact(text)),
    err: (text) => raw.err(redact(text)),
    close: (text, stream) => writeClosing(raw, redact(text), stream),
  };
  try {
    const config = await readReleaseConfig(stage, options, context, env, io.readHead);
    redact = createRedactor(config.devops.redactEnv, env);
    const plan = buildPlan(config);
    if (config.dryRun) {
      output.out(formatDryRun(plan, redact));
      const notes = checkPrerequisites(plan, config.devops.platform, env, (program) =>
        canRun(program, config.workspaceRoot, env.PATH),
      );
      for (const note of notes) output.out(`Note: ${note}`);
      return { success: true };
    }
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
          outputDir: config.outputDir,
          resume: config.resume,
          output,
          style: chooseStyle(env, process.stdout.isTTY === true),
          store: fileStore,
          now: () => new Date(),
          ...(env.GITHUB_STEP_SUMMARY && { stepSummaryFile: env.GITHUB_STEP_SUMMARY }),
          step: {
            project: config.project,
            releaseId: config.releaseId,
            workspaceRoot: config.workspaceRoot,
            env,
            signal,
            force,
            stdout: io.stdout ?? process.stdout,
            stderr: io.stderr ?? process.stderr,
            redact,
            run: runProcess,
            readLedger,
            readRunRecord,
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
