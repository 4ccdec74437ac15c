import path from 'node:path';
import type { Writable } from 'node:stream';
import type { CommandSpec, ProgramHint } from '../command/command-spec';
import { keepTail } from '../io/keep-tail';
import { DEFAULT_TAIL_BYTES, type ProcessResult, type RunOptions } from '../io/run-process';
import type { Stage } from '../config/release-config';
import { chooseNewestRun } from '../ledger/choose-newest-run';
import type { CheckStatus } from '../ledger/ledger';
import type { LedgerRead } from '../ledger/parse-ledger';
import { locateRunRecord, type RunRecordRead } from '../ledger/run-record';
import { formatCommand } from '../plan/format-plan';
import { listStepCommands } from '../plan/list-commands';
import type { RollbackStep, Step } from '../plan/plan';
import { decideLive } from '../publishers/decide-live';
import { digestArgv } from '../redact/digest-argv';
import type { Redact } from '../redact/redact';
import { evaluateGate, findProvenCheck } from '../resume/evaluate-gate';
import { describeCommandNow } from './describe-command-now';
import { describeOutcome } from './describe-outcome';
import { formatHeartbeat, formatOutputHeld } from './format-run';

const HEARTBEAT_MS = 30_000;

// What a step needs from the outside world; tests pass their own.
export interface StepContext {
  readonly project: string;
  readonly releaseId: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly signal: AbortSignal;
  // Aborted by a second signal: the running command is killed at once.
  readonly force?: AbortSignal;
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly run: (command: CommandSpec, options: RunOptions) => Promise<ProcessResult>;
  // Prints a line of the plugin's own (a command about to run) between the commands' output.
  readonly announce: (line: string) => void;
  // How long a command may stay silent before a heartbeat line is printed (default 30 s).
  readonly heartbeatMs?: number;
}

// How the gate reads a stage's ledger and run record, named by workspace-relative paths.
export type ReadStageRun = (
  paths: { readonly ledgerPath: string; readonly recordPath: string },
  owner: { readonly project: string; readonly stage: Stage },
) => Promise<{ readonly restored: LedgerRead; readonly record: RunRecordRead }>;

// What the runner adds to every step: the workspace root stays with the runner, which gives a
// step only the directory its commands run in, its redactor, and the gate's reader.
export interface StepScope {
  readonly cwd: string;
  readonly redact: Redact;
  readonly readStageRun: ReadStageRun;
}

// What executeStep is given: the outside world and what the runner adds.
export type StepRun = StepContext & StepScope;

// How a step ended, ready to be recorded: what ran (redacted) and its verdict.
export interface StepResult {
  readonly status: Exclude<CheckStatus, 'running'>;
  readonly reason: string | null;
  readonly exitCode: number | null;
  readonly outputTail: string;
  readonly argv: readonly string[];
  // Of the real argv, when masking changed it.
  readonly argvDigest?: string;
  readonly command: string;
  readonly advice?: string;
}

// The argv and command line a step records before it has run (what it is about to run).
export function describeStepCommand(
  step: Step | RollbackStep,
  redact: Redact,
): { argv: string[]; command: string } {
  const [first] = listStepCommands(step);
  return first ? recordCommand(first, redact) : { argv: [], command: '' };
}

function recordCommand(spec: CommandSpec, redact: Redact): { argv: string[]; command: string } {
  return { argv: spec.argv.map(redact), command: formatCommand(spec, redact) };
}

// Runs one step of a plan to its end; never throws for a step that fails. `installHints` (the
// plan's) say how to install a program that turns out to be missing.
export async function executeStep(
  step: Step | RollbackStep,
  context: StepRun,
  installHints: readonly ProgramHint[],
): Promise<StepResult> {
  const run = { ...context, installHints };
  switch (step.kind) {
    case 'gate':
      return checkGate(step, context);
    case 'publish':
      return publishPackage(step, run);
    case 'deploy':
    case 'rollback':
      return runCommand(step.command, run);
    case 'post_deploy':
      return runCommand(step.command, run, step.timeoutMs);
  }
}

// The step context and the plan's install hints, for a step that starts commands.
type RunContext = StepRun & { readonly installHints: readonly ProgramHint[] };

// The gate reads the newest prepare run of the project: the ledger in prepare's outputs (which
// Nx may have restored from an earlier run), or the newer run in prepare's run record.
async function checkGate(
  step: Extract<Step, { kind: 'gate' }>,
  context: StepRun,
): Promise<StepResult> {
  const recordPath = locateRunRecord(path.posix.dirname(step.target));
  const owner = { project: context.project, stage: 'prepare' as const };
  const { restored, record } = await context.readStageRun(
    { ledgerPath: step.target, recordPath },
    owner,
  );
  const newest = chooseNewestRun({ restored, record, ...owner, releaseId: context.releaseId });
  const proven =
    step.provenPostDeploy &&
    (await describeCommandNow(step.provenPostDeploy, context.redact, [
      newest.read.kind === 'ok' ? findProvenCheck(newest.read.ledger) : undefined,
    ]));
  const verdict = evaluateGate(newest.read, {
    project: context.project,
    releaseId: context.releaseId,
    prepareTarget: step.prepareTarget,
    ...(proven && { proven }),
    ...(newest.from === 'record' && { recordPath }),
  });
  return {
    status: verdict.ok ? 'ok' : 'failed',
    reason: context.redact(verdict.reason),
    exitCode: null,
    outputTail: '',
    argv: [],
    command: '',
  };
}

async function publishPackage(
  step: Extract<Step, { kind: 'publish' }>,
  context: RunContext,
): Promise<StepResult> {
  const checked = await runAndRecord(step.check, context);
  if (checked.result.outcome.kind !== 'exited') return checked.record;
  const verdict = decideLive(step.package, checked.result);
  if (verdict.kind === 'live')
    return { ...checked.record, status: 'skipped', reason: 'already live' };
  if (verdict.kind === 'unknown')
    return { ...checked.record, status: 'failed', reason: verdict.reason };
  const published = (await runAndRecord(step.publish, context)).record;
  // The ledger records the publish command; its output tail shows both commands and what they said.
  const both = `$ ${checked.record.command}\n${checked.record.outputTail}$ ${published.command}\n${published.outputTail}`;
  return { ...published, outputTail: keepTail(Buffer.from(both, 'utf8'), DEFAULT_TAIL_BYTES) };
}

async function runCommand(
  spec: CommandSpec,
  context: RunContext,
  timeoutMs?: number,
): Promise<StepResult> {
  return (await runAndRecord(spec, context, timeoutMs)).record;
}

async function runAndRecord(
  spec: CommandSpec,
  context: RunContext,
  timeoutMs?: number,
): Promise<{ result: ProcessResult; record: StepResult }> {
  const recorded = recordCommand(spec, context.redact);
  context.announce(`  $ ${recorded.command}`);
  // The digest (an scrypt) is computed while the command runs: it adds no time to the step.
  const secret = recorded.argv.some((word, index) => word !== spec.argv[index]);
  const digest = secret ? digestArgv(spec.argv) : undefined;
  const result = await context.run(spec, {
    ...processOptions(context),
    ...(timeoutMs !== undefined && { timeoutMs }),
  });
  const outcome = describeOutcome(result.outcome, context.installHints);
  const record: StepResult = {
    status: outcome.status,
    reason: outcome.reason,
    exitCode: outcome.exitCode,
    outputTail: result.outputTail,
    ...recorded,
    ...(digest && { argvDigest: await digest }),
    ...(outcome.advice && { advice: outcome.advice }),
  };
  return { result, record };
}

function processOptions(context: StepRun): RunOptions {
  return {
    cwd: context.cwd,
    env: context.env,
    signal: context.signal,
    ...(context.force && { force: context.force }),
    stdout: context.stdout,
    stderr: context.stderr,
    redact: context.redact,
    heartbeat: {
      intervalMs: context.heartbeatMs ?? HEARTBEAT_MS,
      onQuiet: (elapsedMs) => context.announce(formatHeartbeat(elapsedMs)),
    },
    onOutputHeld: (running) => context.announce(formatOutputHeld(running)),
  };
}
