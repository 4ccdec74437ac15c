import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import type { Stage } from '../config/release-config';
import { openNxStdout, readProcessArgv } from '../io/open-nx-stdout';
import { readGitHead } from '../io/read-git-head';
import { decideLiveRoute } from './decide-live-route';
import { createTaskOutput } from './task-output';
import { runStage } from './run-stage';

// One task's result as Nx's batch protocol expects it.
export interface BatchTaskResult {
  readonly task: string;
  readonly result: {
    readonly success: boolean;
    readonly terminalOutput: string;
    readonly startTime: number;
    readonly endTime: number;
    readonly status?: 'success' | 'failure' | 'skipped';
  };
}

// Where a batch streams its tasks' output as they run.
export interface BatchLive {
  readonly stream: NodeJS.WritableStream;
  // The stream is the job log itself, past Nx's own capture (see decideLiveRoute).
  readonly isLog: boolean;
}

const DEFAULT_PARALLEL = 3;

/**
 * Runs many projects' stages in one process (Nx `batchImplementation`), keeping every
 * per-task guarantee: each task is a full runStage with its own plan, ledger, lock, abort and
 * result, reported to Nx as it ends so caching and the run summary stay per task. A real run
 * streams its output live (see createTaskOutput); a task whose dependency in the batch failed
 * is skipped. Dry runs all go at once; real runs at most `parallel` at a time (NX_PARALLEL,
 * else nx.json `parallel`, else 3: Nx does not pass `--parallel` on to a batch). Where Nx holds
 * the batch's output back (GitHub Actions), it is written to Nx's own stdout instead.
 */
export async function* runBatch(
  stage: Stage,
  taskGraph: TaskGraph,
  inputs: Record<string, Record<string, unknown>>,
  context: ExecutorContext,
  env: NodeJS.ProcessEnv = process.env,
  given?: BatchLive,
): AsyncGenerator<BatchTaskResult> {
  const ids = Object.keys(taskGraph.tasks);
  const allDry = ids.every((id) => inputs[id]?.dryRun === true);
  const opened = given || allDry ? undefined : openJobLog(env);
  const live = given ?? opened ?? { stream: process.stdout, isLog: false };
  try {
    const limit = allDry ? ids.length : readParallel(env, context);
    yield* runTasks(stage, ids, limit, { taskGraph, inputs, context, env, live });
  } finally {
    if (opened) await endStream(opened.stream);
  }
}

async function* runTasks(
  stage: Stage,
  ids: readonly string[],
  limit: number,
  batch: {
    taskGraph: TaskGraph;
    inputs: Record<string, Record<string, unknown>>;
    context: ExecutorContext;
    env: NodeJS.ProcessEnv;
    live: BatchLive;
  },
): AsyncGenerator<BatchTaskResult> {
  const { taskGraph, inputs, context, env, live } = batch;
  const done = new Map<string, boolean>();
  const readHead = memoizeByKey(readGitHead);
  const finished: BatchTaskResult[] = [];
  const inFlight = new Map<string, Promise<void>>();
  let wake: () => void = () => undefined;
  const pending = [...ids];
  while (pending.length > 0 || inFlight.size > 0) {
    for (const id of [...pending]) {
      if (inFlight.size >= limit) break;
      const deps = listDependencies(taskGraph, id, ids);
      if (!deps.every((dep) => done.has(dep))) continue;
      pending.splice(pending.indexOf(id), 1);
      const failedDep = deps.find((dep) => done.get(dep) === false);
      if (failedDep) {
        done.set(id, false);
        finished.push(skip(id, failedDep));
        continue;
      }
      inFlight.set(
        id,
        runTask(
          stage,
          id,
          { taskGraph, inputs, context, env, live, readHead },
          limit > 1 && ids.length > 1,
        ).then((result) => {
          done.set(id, result.result.success);
          finished.push(result);
          inFlight.delete(id);
          wake();
        }),
      );
    }
    while (finished.length > 0) yield finished.shift() as BatchTaskResult;
    if (inFlight.size === 0 && pending.length > 0 && !canStartAny(pending, ids, taskGraph, done)) {
      // A cycle or a dependency outside the batch that never completes: nothing can start.
      for (const id of pending.splice(0)) yield skip(id, 'a task outside this batch');
    }
    if (inFlight.size > 0) await new Promise<void>((resolve) => (wake = resolve));
  }
  while (finished.length > 0) yield finished.shift() as BatchTaskResult;
}

async function runTask(
  stage: Stage,
  id: string,
  batch: {
    taskGraph: TaskGraph;
    inputs: Record<string, Record<string, unknown>>;
    context: ExecutorContext;
    env: NodeJS.ProcessEnv;
    live: BatchLive;
    readHead: (root: string) => Promise<string | undefined>;
  },
  sideBySide: boolean,
): Promise<BatchTaskResult> {
  const { taskGraph, inputs, context, env, live, readHead } = batch;
  const task = taskGraph.tasks[id];
  const startTime = Date.now();
  const options = inputs[id] ?? {};
  // GitHub folds cannot interleave: a task folds its steps only when it runs alone.
  const capture = createTaskOutput(
    options.dryRun === true
      ? {}
      : {
          live: live.stream,
          closingLive: live.isLog,
          foldSteps: live.isLog && !sideBySide,
          ...(sideBySide && { prefix: `[${task?.target.project}] ` }),
        },
  );
  const taskContext: ExecutorContext = {
    ...context,
    projectName: task?.target.project,
    targetName: task?.target.target,
    ...(task?.target.configuration && { configurationName: task.target.configuration }),
  };
  const { success } = await runStage(stage, options, taskContext, {
    output: capture.output,
    env,
    stdout: capture.stream,
    stderr: capture.stream,
    readHead,
  });
  await capture.flush();
  return {
    task: id,
    result: { success, terminalOutput: capture.report(), startTime, endTime: Date.now() },
  };
}

// Nx's own stdout when Nx holds the batch's output back and it can be reached; else undefined.
function openJobLog(env: NodeJS.ProcessEnv): BatchLive | undefined {
  const route = decideLiveRoute({
    env,
    platform: process.platform,
    ppid: process.ppid,
    nxArgv: process.platform === 'linux' ? readProcessArgv(process.ppid) : [],
  });
  const stream = route.kind === 'nx' ? openNxStdout(route.pid) : undefined;
  return stream && { stream, isLog: true };
}

function endStream(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    stream.once('error', () => resolve());
    stream.end(() => resolve());
  });
}

function skip(id: string, because: string): BatchTaskResult {
  const now = Date.now();
  return {
    task: id,
    result: {
      success: false,
      status: 'skipped',
      terminalOutput: `Not run: ${because} failed.\n`,
      startTime: now,
      endTime: now,
    },
  };
}

function canStartAny(
  pending: readonly string[],
  ids: readonly string[],
  taskGraph: TaskGraph,
  done: ReadonlyMap<string, boolean>,
): boolean {
  return pending.some((id) => listDependencies(taskGraph, id, ids).every((dep) => done.has(dep)));
}

// The batch tasks `id` waits for (Nx 24 lists edges { id }; earlier versions plain ids).
function listDependencies(taskGraph: TaskGraph, id: string, ids: readonly string[]): string[] {
  const edges = (taskGraph.dependencies[id] ?? []) as readonly (string | { id: string })[];
  return edges
    .map((edge) => (typeof edge === 'string' ? edge : edge.id))
    .filter((dep) => ids.includes(dep));
}

// One call per key for the whole batch: 200 tasks of one workspace ask git for HEAD once.
function memoizeByKey<T>(read: (key: string) => Promise<T>): (key: string) => Promise<T> {
  const seen = new Map<string, Promise<T>>();
  return (key) => {
    const known = seen.get(key);
    if (known) return known;
    const pending = read(key);
    seen.set(key, pending);
    return pending;
  };
}

function readParallel(env: NodeJS.ProcessEnv, context: ExecutorContext): number {
  const fromEnv = Number(env.NX_PARALLEL);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  const fromNxJson = Number(context.nxJsonConfiguration?.parallel);
  return Number.isInteger(fromNxJson) && fromNxJson > 0 ? fromNxJson : DEFAULT_PARALLEL;
}
