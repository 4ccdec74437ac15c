import type { ExecutorContext, TaskGraph } from '@nx/devkit';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runBatch, type BatchTaskResult } from './run-batch';

const node = process.execPath;
// Each project's post-deploy records when it starts and ends, and fails for project "bad".
const migrate = [
  node,
  '-e',
  'console.log("start", Date.now()); setTimeout(() => { console.log("end", Date.now()); process.exit(process.env.RELEASE_APP === "bad-qa" ? 3 : 0) }, 300)',
];
const devops = (name: string) => ({
  platform: 'local',
  qa_app: `${name}-qa`,
  prod_app: name,
  post_deploy_cmd: migrate,
});

function makeGraph(names: string[], dependencies: Record<string, string[]> = {}): TaskGraph {
  const tasks = Object.fromEntries(
    names.map((name) => [
      `${name}:release-prepare`,
      {
        id: `${name}:release-prepare`,
        target: { project: name, target: 'release-prepare' },
        overrides: {},
        outputs: [],
      },
    ]),
  );
  const deps = Object.fromEntries(
    names.map((name) => [
      `${name}:release-prepare`,
      (dependencies[name] ?? []).map((dep) => ({ id: `${dep}:release-prepare` })),
    ]),
  );
  return {
    roots: [],
    tasks,
    dependencies: deps,
    continuousDependencies: {},
  } as unknown as TaskGraph;
}

// Where the batch streams live output; the tests read results, not the stream.
function sink(): PassThrough {
  const stream = new PassThrough();
  stream.resume();
  return stream;
}

// A stand-in for the job log: everything the batch streams, as text.
function jobLog(): { live: { stream: PassThrough; isLog: true }; read: () => string } {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString()));
  return { live: { stream, isLog: true }, read: () => text };
}

async function collect(iterable: AsyncIterable<BatchTaskResult>): Promise<BatchTaskResult[]> {
  const results: BatchTaskResult[] = [];
  for await (const result of iterable) results.push(result);
  return results;
}

function makeContext(root: string, parallel: number): ExecutorContext {
  return {
    root,
    cwd: root,
    isVerbose: false,
    nxJsonConfiguration: { parallel },
    projectsConfigurations: { version: 2, projects: {} },
  } as unknown as ExecutorContext;
}

describe('runBatch', () => {
  const inputs = (names: string[], extra: Record<string, unknown> = {}) =>
    Object.fromEntries(
      names.map((name) => [
        `${name}:release-prepare`,
        { devops: devops(name), releaseId: 'r1', ...extra },
      ]),
    );

  it('reports each task with its own result; a failure does not stop the others', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'nxrd-batch-'));
    const names = ['shop', 'bad', 'admin'];
    const results = await collect(
      runBatch(
        'prepare',
        makeGraph(names),
        inputs(names),
        makeContext(root, 3),
        { PATH: process.env.PATH },
        { stream: sink(), isLog: false },
      ),
    );
    const byTask = Object.fromEntries(results.map((result) => [result.task, result.result]));
    expect(Object.keys(byTask).sort()).toEqual([
      'admin:release-prepare',
      'bad:release-prepare',
      'shop:release-prepare',
    ]);
    expect([
      byTask['shop:release-prepare']?.success,
      byTask['bad:release-prepare']?.success,
      byTask['admin:release-prepare']?.success,
    ]).toEqual([true, false, true]);
    expect(byTask['bad:release-prepare']?.terminalOutput).toMatch(
      /^ABORTED: prepare of bad \(release r1\) stopped at step post_deploy on bad-qa: exit code 3/,
    );
    expect(byTask['shop:release-prepare']?.terminalOutput).toBe(
      'prepare of shop (release r1) succeeded: 1 ok. Ledger: dist/release/shop/prepare/checks_run.json\n',
    );
  });

  it('runs at most `parallel` real tasks at once', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'nxrd-batch-'));
    const names = ['a', 'b', 'c', 'd'];
    const results = await collect(
      runBatch(
        'prepare',
        makeGraph(names),
        inputs(names),
        makeContext(root, 2),
        { PATH: process.env.PATH },
        { stream: sink(), isLog: false },
      ),
    );
    expect(results.every((result) => result.result.success)).toBe(true);
    const spans = results.map(
      (result) => [result.result.startTime, result.result.endTime] as const,
    );
    const maxOverlap = Math.max(
      ...spans.map(([start]) => spans.filter(([s, e]) => s <= start && start < e).length),
    );
    expect(maxOverlap).toBe(2);
  });

  it('skips a task whose dependency in the batch failed', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'nxrd-batch-'));
    const names = ['bad', 'shop'];
    const results = await collect(
      runBatch(
        'prepare',
        makeGraph(names, { shop: ['bad'] }),
        inputs(names),
        makeContext(root, 3),
        { PATH: process.env.PATH },
        { stream: sink(), isLog: false },
      ),
    );
    expect(
      results.map((result) => [
        result.task,
        result.result.status ?? (result.result.success ? 'success' : 'failure'),
      ]),
    ).toEqual([
      ['bad:release-prepare', 'failure'],
      ['shop:release-prepare', 'skipped'],
    ]);
    expect(results[1]?.result.terminalOutput).toBe('Not run: bad:release-prepare failed.\n');
  });

  it('plans all dry runs at once and reports each plan', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'nxrd-batch-'));
    const names = Array.from({ length: 20 }, (_, index) => `app${index}`);
    const results = await collect(
      runBatch(
        'prepare',
        makeGraph(names),
        inputs(names, { dryRun: true }),
        makeContext(root, 1),
        { PATH: process.env.PATH },
        { stream: sink(), isLog: false },
      ),
    );
    expect(results).toHaveLength(20);
    expect(
      results.every(
        (result) =>
          result.result.success &&
          result.result.terminalOutput.includes('Dry run: 1 step planned, none run.'),
      ),
    ).toBe(true);
  });

  it('on the job log, a task that runs alone folds its steps and streams its closing line', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'nxrd-batch-'));
    const log = jobLog();
    const results = await collect(
      runBatch(
        'prepare',
        makeGraph(['shop']),
        inputs(['shop']),
        makeContext(root, 3),
        { PATH: process.env.PATH },
        log.live,
      ),
    );
    const closing =
      'prepare of shop (release r1) succeeded: 1 ok. Ledger: dist/release/shop/prepare/checks_run.json';
    const lines = log.read().split('\n');
    expect(lines.slice(0, 2)).toEqual([
      '::group::[1/1] post_deploy · qa · shop-qa',
      expect.stringMatching(/^ {2}\$ /),
    ]);
    expect(lines.slice(2, 6)).toEqual([
      expect.stringMatching(/^start \d+$/),
      expect.stringMatching(/^end \d+$/),
      '::endgroup::',
      expect.stringMatching(/^ {2}ok \(/),
    ]);
    expect(lines.at(-2)).toBe(closing);
    expect(results[0]?.result.terminalOutput).toBe(`${closing}\n`);
  });

  it('on the job log, tasks side by side keep their prefixes and fold nothing', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'nxrd-batch-'));
    const log = jobLog();
    await collect(
      runBatch(
        'prepare',
        makeGraph(['shop', 'bad']),
        inputs(['shop', 'bad']),
        makeContext(root, 3),
        { PATH: process.env.PATH },
        log.live,
      ),
    );
    const lines = log.read().split('\n').filter(Boolean);
    expect(lines.filter((line) => !/^\[(shop|bad)\] /.test(line))).toEqual([]);
    expect(lines).toContain('[shop] [1/1] post_deploy · qa · shop-qa');
    expect(lines).toContainEqual(expect.stringMatching(/^\[bad\] ABORTED: prepare of bad /));
    expect(lines).toContainEqual(
      expect.stringMatching(/^\[shop\] prepare of shop \(release r1\) succeeded/),
    );
  });
});
