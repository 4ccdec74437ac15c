// `npm run bench`: measures the plugin against its performance targets (README "Performance") on
// this machine. Not part of the test suite (timings are never asserted in tests). It builds
// throw-away Nx workspaces in a temp dir, runs nx for real (no daemon, no cache answers), and
// prints a Markdown table of medians of interleaved runs (A, B, A, B, ...) with each target's
// pass/miss.
//
// Options: --keep (keep the temp workspaces), --rows=1,2,3,4,5 (a subset), --quick (fewer runs).
'use strict';
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { performance } = require('node:perf_hooks');
const { setInterval, clearInterval } = require('node:timers');

const repo = path.join(__dirname, '..');
const argv = process.argv.slice(2);
const keep = argv.includes('--keep');
const quick = argv.includes('--quick');
const rowsArg = argv.find((arg) => arg.startsWith('--rows='));
const ROWS = new Set(
  rowsArg ? rowsArg.slice('--rows='.length).split(',').map(Number) : [1, 2, 3, 4, 5],
);

// Run counts, chosen so the whole bench stays under ~10 minutes on a 2-core machine.
const RUNS = quick
  ? { single: 3, many: 3, manyUnbatched: 1, big: 1, load: 5, heroku: 3 }
  : { single: 11, many: 7, manyUnbatched: 3, big: 3, load: 15, heroku: 7 };
const PROJECTS = 200;
const BIG_MIB = 500;
const SAMPLE_MS = 25;

const NX_ENV = {
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_TUI: 'false',
  NX_DEFAULT_OUTPUT_STYLE: 'static',
};

// Everything started here leads its own process group, so a failure can end whole trees.
const live = new Set();
const cleanups = [];
let tempRoot;

function killGroup(child, signal = 'SIGKILL') {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

function killAll() {
  for (const child of live) killGroup(child);
  live.clear();
}

async function cleanUp() {
  killAll();
  for (const fn of cleanups.splice(0).reverse()) {
    try {
      await fn();
    } catch {
      // Best effort.
    }
  }
  if (tempRoot && !keep) fs.rmSync(tempRoot, { recursive: true, force: true });
  else if (tempRoot) console.log(`\nKept the bench workspaces in ${tempRoot}`);
}

process.on('uncaughtException', (error) => {
  console.error(`\nbench failed: ${error.stack ?? error}`);
  void cleanUp().finally(() => process.exit(1));
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => {
    console.error(`\nbench: ${signal}, stopping every process it started`);
    void cleanUp().finally(() => process.exit(130));
  });
}

// ---------------------------------------------------------------------------------------------
// Processes

// Runs a command to its end. stdout: 'capture' (kept, bounded) or 'null' (/dev/null).
// Time is from spawn to the process's exit. onStart(child) runs right after spawn.
function run(file, args, options = {}) {
  const {
    cwd = repo,
    env = process.env,
    stdout = 'capture',
    timeoutMs = 180_000,
    onStart,
  } = options;
  return new Promise((resolve, reject) => {
    const devNull = stdout === 'null' ? fs.openSync('/dev/null', 'w') : undefined;
    const started = performance.now();
    const child = spawn(file, args, {
      cwd,
      env,
      detached: true,
      stdio: ['ignore', devNull ?? 'pipe', 'pipe'],
    });
    if (devNull !== undefined) fs.closeSync(devNull);
    live.add(child);
    let out = '';
    let err = '';
    const keepText = (text, chunk) => (text + chunk).slice(-1_000_000);
    child.stdout?.setEncoding('utf8').on('data', (chunk) => (out = keepText(out, chunk)));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (err = keepText(err, chunk)));
    const timer = setTimeout(() => {
      killGroup(child);
      reject(new Error(`timed out after ${timeoutMs} ms: ${file} ${args.join(' ')}`));
    }, timeoutMs);
    let exit;
    child.on('error', (error) => {
      clearTimeout(timer);
      live.delete(child);
      reject(error);
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal, ms: performance.now() - started };
      // Output pipes may be held by a grandchild; do not wait for them for long.
      setTimeout(finish, 2000).unref();
    });
    child.on('close', () => finish());
    let done = false;
    function finish() {
      if (done || !exit) return;
      done = true;
      clearTimeout(timer);
      live.delete(child);
      killGroup(child); // nothing it started may outlive it
      resolve({ ...exit, out, err });
    }
    if (onStart) onStart(child);
  });
}

function must(result, what, expect) {
  const ok = result.code === 0 && (!expect || expect.test(result.out + result.err));
  if (!ok) {
    const tail = (result.out + '\n' + result.err).split('\n').slice(-40).join('\n');
    throw new Error(`${what} failed (exit ${result.code ?? result.signal}):\n${tail}`);
  }
  return result;
}

function git(cwd, args) {
  const result = spawnSync('git', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  if (result.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${result.stderr}`);
}

// ---------------------------------------------------------------------------------------------
// /proc sampling: peak RSS of nx's main process and of the executor process it forks.

function readStatusKb(pid, field) {
  try {
    const text = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) : 0;
  } catch {
    return 0;
  }
}

function listChildrenByParent() {
  const byParent = new Map();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // The comm field may contain spaces and parentheses: ppid is the 2nd field after the last ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (!byParent.has(ppid)) byParent.set(ppid, []);
    byParent.get(ppid).push(Number(name));
  }
  return byParent;
}

function readCmdline(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return [];
  }
}

// Nx forks its executor process as `node .../run-batch.js` (batch) or `node .../run-executor.js`.
const EXECUTOR_SCRIPT = /[/\\](run-batch|run-executor)\.js$/;

function startSampler(rootPid) {
  const state = { nxHwmKb: 0, executors: new Map(), samples: 0 };
  let lastScan = 0;
  const sample = () => {
    state.samples += 1;
    state.nxHwmKb = Math.max(state.nxHwmKb, readStatusKb(rootPid, 'VmHWM'));
    const now = performance.now();
    // Look for new descendants on every sample until an executor is found, then every 200 ms.
    if (state.executors.size === 0 || now - lastScan > 200) {
      lastScan = now;
      const byParent = listChildrenByParent();
      const queue = [...(byParent.get(rootPid) ?? [])];
      while (queue.length > 0) {
        const pid = queue.shift();
        // Below an executor are its commands; one just forked still shows the executor's
        // cmdline until it execs, so the executor's subtree is not searched.
        if (state.executors.has(pid)) continue;
        const script = readCmdline(pid)[1] ?? '';
        if (EXECUTOR_SCRIPT.test(script)) state.executors.set(pid, { script, hwmKb: 0 });
        else queue.push(...(byParent.get(pid) ?? []));
      }
    }
    for (const [pid, info] of state.executors) {
      info.hwmKb = Math.max(info.hwmKb, readStatusKb(pid, 'VmHWM'));
    }
  };
  const timer = setInterval(sample, SAMPLE_MS);
  return {
    stop() {
      clearInterval(timer);
      const executors = [...state.executors.values()];
      const executorHwmKb = Math.max(0, ...executors.map((info) => info.hwmKb));
      return {
        nxHwmKb: state.nxHwmKb,
        executorHwmKb,
        executorKinds: [...new Set(executors.map((info) => path.basename(info.script)))],
        samples: state.samples,
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Workspaces

function linkNodeModules(root) {
  const modules = path.join(root, 'node_modules');
  fs.mkdirSync(modules);
  for (const entry of fs.readdirSync(path.join(repo, 'node_modules'))) {
    if (entry === 'nx-release-deploy') continue;
    fs.symlinkSync(path.join(repo, 'node_modules', entry), path.join(modules, entry));
  }
  // The plugin as a registry would install it: package.json, executors.json, generators.json,
  // dist/. A snapshot copy, not a symlink to the repo: other work in the repo may run
  // `npm run build` (rm -rf dist) while the bench runs.
  const plugin = path.join(modules, 'nx-release-deploy');
  fs.mkdirSync(plugin);
  for (const entry of ['package.json', 'executors.json', 'generators.json', 'dist']) {
    fs.cpSync(path.join(repo, entry), path.join(plugin, entry), { recursive: true });
  }
  for (const file of [
    'dist/executors/prepare/executor.js',
    'dist/executors/prepare/batch.js',
    'dist/executors/prepare/schema.json',
    'dist/executors/ship/executor.js',
    'dist/executors/ship/batch.js',
  ]) {
    if (!fs.existsSync(path.join(plugin, file)))
      throw new Error(`bench: ${file} is missing from the plugin snapshot; run npm run build`);
  }
}

const LOCAL_TOOLS = {
  'tools/executors/package.json': JSON.stringify({
    name: 'bench-executors',
    version: '0.0.0',
    private: true,
    executors: './executors.json',
  }),
  'tools/executors/executors.json': JSON.stringify(
    {
      executors: {
        noop: {
          implementation: './noop/executor.js',
          schema: './schema.json',
          description: 'Does nothing: the floor of a custom executor (forked run-executor.js).',
        },
        'noop-batch': {
          implementation: './noop/executor.js',
          batchImplementation: './noop/batch.js',
          preferBatch: true,
          schema: './schema.json',
          description: 'Does nothing, with a batchImplementation: the floor of a batch worker.',
        },
        inherit: {
          implementation: './inherit/executor.js',
          schema: './schema.json',
          description: 'Runs options.command (argv) with stdio inherited.',
        },
      },
    },
    null,
    2,
  ),
  'tools/executors/schema.json': JSON.stringify({
    type: 'object',
    properties: { command: { type: 'array', items: { type: 'string' } } },
    additionalProperties: true,
  }),
  'tools/executors/noop/executor.js': `'use strict';
module.exports = async function noop() {
  return { success: true };
};
`,
  'tools/executors/noop/batch.js': `'use strict';
module.exports = async function* noopBatch(taskGraph) {
  for (const task of Object.keys(taskGraph.tasks)) {
    const now = Date.now();
    yield { task, result: { success: true, terminalOutput: '', startTime: now, endTime: now } };
  }
};
`,
  'tools/executors/inherit/executor.js': `'use strict';
const { spawn } = require('node:child_process');
module.exports = function inherit(options, context) {
  const [file, ...args] = options.command;
  return new Promise((resolve) => {
    const child = spawn(file, args, { cwd: context.root, stdio: 'inherit' });
    child.on('error', () => resolve({ success: false }));
    child.on('exit', (code) => resolve({ success: code === 0 }));
  });
};
`,
  // Prints <MiB> MiB of 64-byte lines, 1 MiB per write, waiting for 'drain' when asked to.
  'tools/print-mib.js': `'use strict';
const total = Number(process.argv[2]);
const line = 'x'.repeat(63) + '\\n';
const chunk = Buffer.from(line.repeat((1024 * 1024) / 64));
let written = 0;
function pump() {
  while (written < total) {
    written += 1;
    if (!process.stdout.write(chunk)) {
      process.stdout.once('drain', pump);
      return;
    }
  }
}
pump();
`,
};

function writeFiles(root, files) {
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), text.endsWith('\n') ? text : `${text}\n`);
  }
}

function localDevops(app, postDeploy) {
  return {
    platform: 'local',
    qa_app: `${app}-qa`,
    prod_app: app,
    post_deploy_cmd: postDeploy,
  };
}

function createWorkspace(name, projects) {
  const root = path.join(tempRoot, name);
  fs.mkdirSync(root);
  const files = {
    'package.json': JSON.stringify({ name: `bench-${name}`, private: true }),
    'nx.json': JSON.stringify(
      {
        analytics: false,
        neverConnectToCloud: true,
        namedInputs: { default: ['{projectRoot}/**/*'] },
      },
      null,
      2,
    ),
    '.gitignore': 'node_modules\n.nx\ndist\n',
    ...LOCAL_TOOLS,
  };
  for (const [project, config] of Object.entries(projects)) {
    files[`${config.root}/project.json`] = JSON.stringify({ name: project, ...config }, null, 2);
  }
  writeFiles(root, files);
  linkNodeModules(root);
  git(root, ['init', '--quiet', '--initial-branch=main']);
  git(root, ['add', '.']);
  git(root, [
    '-c',
    'user.name=Bench',
    '-c',
    'user.email=bench@example.com',
    'commit',
    '--quiet',
    '-m',
    'bench',
  ]);
  return root;
}

function singleWorkspace() {
  const big = ['node', 'tools/print-mib.js', String(BIG_MIB)];
  return createWorkspace('single', {
    app: {
      root: 'apps/app',
      targets: {
        'release-prepare': {
          executor: 'nx-release-deploy:prepare',
          options: { devops: localDevops('app', ['true']) },
        },
        noop: { executor: './tools/executors:noop', options: {} },
        'noop-batch': { executor: './tools/executors:noop-batch', options: {} },
        'run-true': { executor: 'nx:run-commands', options: { command: 'true' } },
      },
    },
    big: {
      root: 'apps/big',
      targets: {
        'release-prepare': {
          executor: 'nx-release-deploy:prepare',
          options: { devops: localDevops('big', big) },
        },
        inherit: { executor: './tools/executors:inherit', options: { command: big } },
      },
    },
    shop: {
      root: 'apps/shop',
      targets: {
        'release-prepare': {
          executor: 'nx-release-deploy:prepare',
          options: {
            devops: {
              platform: 'heroku',
              qa_app: 'shop-qa',
              prod_app: 'shop',
              post_deploy_cmd: 'echo ok',
            },
          },
        },
      },
    },
  });
}

function manyWorkspace() {
  const projects = {};
  for (let i = 0; i < PROJECTS; i += 1) {
    const name = `p${String(i).padStart(3, '0')}`;
    projects[name] = {
      root: `libs/${name}`,
      targets: {
        'release-prepare': {
          executor: 'nx-release-deploy:prepare',
          options: { devops: localDevops(name, ['true']) },
        },
        echo: { executor: 'nx:run-commands', options: { command: `echo ${name}` } },
        'noop-batch': { executor: './tools/executors:noop-batch', options: {} },
      },
    };
  }
  return createWorkspace('many', projects);
}

// ---------------------------------------------------------------------------------------------
// Measuring

const nxBin = () => require.resolve('nx/bin/nx', { paths: [repo] });

function nxEnv(root, extra = {}) {
  return {
    ...process.env,
    ...NX_ENV,
    NX_CACHE_DIRECTORY: path.join(root, '.nx', 'cache'),
    ...extra,
  };
}

function nx(root, args, options = {}) {
  return run(process.execPath, [nxBin(), ...args, '--skip-nx-cache'], {
    ...options,
    cwd: root,
    env: nxEnv(root, options.env),
  });
}

// Runs each variant once unmeasured (unless warm: false), then `rounds` rounds of every variant
// in turn. A variant is { name, run: () => Promise<{ ms, ... }>, rounds?, warm? } (a variant may
// run in fewer rounds). `warmUp` runs first when given (e.g. to compute nx's project graph).
async function interleave(label, variants, rounds, warmUp) {
  const results = Object.fromEntries(variants.map((variant) => [variant.name, []]));
  process.stdout.write(`  ${label}: warm-up`);
  if (warmUp) await warmUp();
  for (const variant of variants) if (variant.warm !== false) await variant.run();
  for (let round = 0; round < rounds; round += 1) {
    process.stdout.write(` ${round + 1}`);
    for (const variant of variants) {
      if (round >= (variant.rounds ?? rounds)) continue;
      results[variant.name].push(await variant.run());
    }
  }
  process.stdout.write('\n');
  return results;
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const stats = (samples, pick = (sample) => sample.ms) => {
  const values = samples.map(pick);
  return {
    median: median(values),
    min: Math.min(...values),
    max: Math.max(...values),
    n: values.length,
  };
};

const fmtMs = (ms) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms)} ms`);
const fmtStat = (s, fmt = fmtMs) => `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)}, n=${s.n})`;
const mb = (kb) => (kb * 1024) / 1e6;
const fmtMb = (value) => `${Math.round(value)} MB`;

const rows = [];
const notes = [];

async function row1(root) {
  const expectPlugin = /prepare of app .* succeeded/;
  const results = await interleave(
    'row 1, one task',
    [
      {
        name: 'plugin',
        run: async () =>
          must(await nx(root, ['run', 'app:release-prepare']), 'release-prepare', expectPlugin),
      },
      { name: 'noop', run: async () => must(await nx(root, ['run', 'app:noop']), 'noop') },
      {
        name: 'runCommands',
        run: async () => must(await nx(root, ['run', 'app:run-true']), 'run-true'),
      },
      {
        name: 'noopBatch',
        run: async () => must(await nx(root, ['run', 'app:noop-batch']), 'noop-batch'),
      },
    ],
    RUNS.single,
  );
  const plugin = stats(results.plugin);
  const noop = stats(results.noop);
  const rc = stats(results.runCommands);
  const noopBatch = stats(results.noopBatch);
  rows.push(
    {
      id: '1',
      what: '`nx run app:release-prepare` (local, `["true"]`)',
      value: fmtStat(plugin),
      reference: `do-nothing custom executor: ${fmtStat(noop)}`,
      ratio: plugin.median / noop.median,
      target: '≤ 1.10',
      pass: plugin.median / noop.median <= 1.1,
    },
    {
      id: '1b',
      what: 'same',
      value: fmtMs(plugin.median),
      reference: `\`nx:run-commands\` \`true\`: ${fmtStat(rc)}`,
      ratio: plugin.median / rc.median,
      target: 'report',
    },
    {
      id: '1c',
      what: 'do-nothing executor with `batchImplementation` + `preferBatch` (context)',
      value: fmtStat(noopBatch),
      reference: `do-nothing custom executor: ${fmtMs(noop.median)}`,
      ratio: noopBatch.median / noop.median,
      target: 'context',
    },
  );
}

async function row2(root) {
  const count = new RegExp(
    `Successfully ran target (release-prepare|echo|noop-batch) for ${PROJECTS} projects`,
  );
  const results = await interleave(
    `row 2, run-many over ${PROJECTS} projects`,
    [
      {
        name: 'plugin',
        run: async () =>
          must(
            await nx(root, ['run-many', '-t', 'release-prepare', '--dry-run']),
            'run-many release-prepare',
            count,
          ),
      },
      {
        name: 'echo',
        run: async () => must(await nx(root, ['run-many', '-t', 'echo']), 'run-many echo', count),
      },
      {
        name: 'noopBatch',
        run: async () =>
          must(await nx(root, ['run-many', '-t', 'noop-batch']), 'run-many noop-batch', count),
      },
      {
        name: 'unbatched',
        rounds: RUNS.manyUnbatched,
        warm: false, // ~20-60 s a run; the batched variants above already warmed the graph
        run: async () =>
          must(
            await nx(root, ['run-many', '-t', 'release-prepare', '--dry-run', '--batch=false'], {
              timeoutMs: 600_000,
            }),
            'run-many release-prepare --batch=false',
            count,
          ),
      },
    ],
    RUNS.many,
  );
  const plugin = stats(results.plugin);
  const echo = stats(results.echo);
  const noopBatch = stats(results.noopBatch);
  const unbatched = stats(results.unbatched);
  rows.push(
    {
      id: '2',
      what: `\`nx run-many -t release-prepare --dry-run\`, ${PROJECTS} projects (batch)`,
      value: fmtStat(plugin),
      reference: `\`nx:run-commands\` \`echo\`: ${fmtStat(echo)}`,
      ratio: plugin.median / echo.median,
      target: '≤ 1.0',
      pass: plugin.median / echo.median <= 1.0,
    },
    {
      id: '2b',
      what: 'same with `--batch=false` (one forked process per task)',
      value: fmtStat(unbatched),
      reference: `\`echo\`: ${fmtMs(echo.median)}`,
      ratio: unbatched.median / echo.median,
      target: 'contrast',
    },
    {
      id: '2c',
      what: `do-nothing batch executor, ${PROJECTS} projects (context)`,
      value: fmtStat(noopBatch),
      reference: `\`echo\`: ${fmtMs(echo.median)}`,
      ratio: noopBatch.median / echo.median,
      target: 'context',
    },
  );
}

async function row3(root) {
  const measured = async (args, what, expect) => {
    let sampler;
    const result = await nx(root, args, {
      stdout: 'null',
      timeoutMs: 600_000,
      onStart: (child) => (sampler = startSampler(child.pid)),
    });
    const memory = sampler.stop();
    must({ ...result, out: '' }, what, expect);
    if (memory.executorHwmKb === 0)
      throw new Error(`${what}: no executor process was seen under nx`);
    return { ...result, ...memory };
  };
  const results = await interleave(
    `row 3, post-deploy printing ${BIG_MIB} MiB`,
    [
      {
        name: 'batch',
        warm: false,
        run: () => measured(['run', 'big:release-prepare'], 'big:release-prepare', undefined),
      },
      {
        name: 'inherit',
        warm: false,
        run: () => measured(['run', 'big:inherit'], 'big:inherit', undefined),
      },
      {
        name: 'unbatched',
        warm: false,
        run: () =>
          measured(
            ['run', 'big:release-prepare', '--batch=false'],
            'big:release-prepare --batch=false',
            undefined,
          ),
      },
    ],
    RUNS.big,
    async () => must(await nx(root, ['run', 'app:noop']), 'noop'),
  );
  const peak = (samples, key) => Math.max(...samples.map((sample) => mb(sample[key])));
  const batch = stats(results.batch);
  const inherit = stats(results.inherit);
  const unbatched = stats(results.unbatched);
  const batchRss = peak(results.batch, 'executorHwmKb');
  const unbatchedRss = peak(results.unbatched, 'executorHwmKb');
  const inheritRss = peak(results.inherit, 'executorHwmKb');
  const kinds = (samples) =>
    [...new Set(samples.flatMap((sample) => sample.executorKinds))].join(', ');
  rows.push(
    {
      id: '3',
      what: `peak RSS (max VmHWM) of the executor process, ${BIG_MIB} MiB of output, default (batch: ${kinds(results.batch)})`,
      value: fmtMb(batchRss),
      reference: `custom executor, \`stdio: 'inherit'\` (${kinds(results.inherit)}): ${fmtMb(inheritRss)}`,
      ratio: undefined,
      target: '< 150 MB',
      pass: batchRss < 150,
    },
    {
      id: '3b',
      what: `same with \`--batch=false\` (${kinds(results.unbatched)})`,
      value: fmtMb(unbatchedRss),
      reference: '',
      ratio: undefined,
      target: '< 150 MB',
      pass: unbatchedRss < 150,
    },
    {
      id: '3c',
      what: 'wall time, same run (batch)',
      value: fmtStat(batch),
      reference: `custom executor, \`stdio: 'inherit'\`: ${fmtStat(inherit)}`,
      ratio: batch.median / inherit.median,
      target: '≤ 1.2',
      pass: batch.median / inherit.median <= 1.2,
    },
    {
      id: '3d',
      what: 'wall time with `--batch=false`',
      value: fmtStat(unbatched),
      reference: `\`inherit\`: ${fmtMs(inherit.median)}`,
      ratio: unbatched.median / inherit.median,
      target: '≤ 1.2',
      pass: unbatched.median / inherit.median <= 1.2,
    },
    {
      id: '3e',
      what: "nx's main process peak RSS (context: Nx keeps task output)",
      value: `batch ${fmtMb(peak(results.batch, 'nxHwmKb'))}, \`--batch=false\` ${fmtMb(peak(results.unbatched, 'nxHwmKb'))}`,
      reference: `\`inherit\`: ${fmtMb(peak(results.inherit, 'nxHwmKb'))}`,
      ratio: undefined,
      target: 'context (SPEC: ~1.6 GB)',
    },
  );
}

async function row4(root) {
  const plugin = path.join(root, 'node_modules', 'nx-release-deploy', 'dist', 'executors');
  const modules = {
    'prepare/executor.js': path.join(plugin, 'prepare', 'executor.js'),
    'prepare/batch.js': path.join(plugin, 'prepare', 'batch.js'),
    'ship/executor.js': path.join(plugin, 'ship', 'executor.js'),
  };
  const script =
    'const t=process.hrtime.bigint();require(process.argv[1]);' +
    'process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))';
  // What the first real command adds: execa is ESM-only and imported lazily by the runner.
  const execaScript =
    'const t=process.hrtime.bigint();import("execa").then(()=>' +
    'process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6)))';
  const load = async (args) => {
    const result = must(await run(process.execPath, args, { cwd: root }), `node ${args.join(' ')}`);
    return { ms: Number(result.out) };
  };
  const variants = Object.entries(modules).map(([name, file]) => ({
    name,
    run: () => load(['-e', script, file]),
  }));
  variants.push({ name: 'execa', run: () => load(['-e', execaScript]) });
  const results = await interleave('row 4, cold require', variants, RUNS.load);
  for (const [index, name] of Object.keys(modules).entries()) {
    const s = stats(results[name]);
    rows.push({
      id: `4${'abc'[index]}`,
      what: `cold \`require()\` of dist/executors/${name}`,
      value: fmtStat(s, (ms) => `${ms.toFixed(1)} ms`),
      reference: '',
      ratio: undefined,
      target: '< 100 ms',
      pass: s.median < 100,
    });
  }
  rows.push({
    id: '4d',
    what: "cold `import('execa')` (context: paid by the first command of a real run, not by a dry run)",
    value: fmtStat(stats(results.execa), (ms) => `${ms.toFixed(1)} ms`),
    reference: '',
    ratio: undefined,
    target: 'context',
  });
}

// The loopback Heroku stand-in (TypeScript), transpiled on the fly and run in this process.
async function startStandin() {
  const ts = require(require.resolve('typescript', { paths: [repo] }));
  const previous = require.extensions['.ts'];
  require.extensions['.ts'] = (module, filename) => {
    const source = fs.readFileSync(filename, 'utf8');
    const { outputText } = ts.transpileModule(source, {
      fileName: filename,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
      },
    });
    module._compile(outputText, filename);
  };
  try {
    const { startHerokuStandin } = require(path.join(repo, 'e2e', 'support', 'heroku-standin.ts'));
    return await startHerokuStandin({ apps: ['shop-qa', 'shop'] });
  } finally {
    if (previous) require.extensions['.ts'] = previous;
    else delete require.extensions['.ts'];
  }
}

async function row5(root) {
  const standin = await startStandin();
  cleanups.push(() => standin.close());
  const binDir = path.join(tempRoot, 'bin');
  fs.mkdirSync(binDir);
  fs.symlinkSync(
    path.join(repo, 'node_modules', 'heroku', 'bin', 'run.js'),
    path.join(binDir, 'heroku'),
  );
  const env = { ...standin.env, PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}` };

  // The argv the plugin runs, as its dry run prints it (`  $ heroku run ...`).
  const dry = must(
    await nx(root, ['run', 'shop:release-prepare', '--dry-run'], { env }),
    'shop dry run',
  );
  const line = dry.out.split('\n').find((text) => /^\s*\$ heroku run /.test(text));
  if (!line) throw new Error(`row 5: no "$ heroku run" line in the dry run:\n${dry.out}`);
  const { parse } = require(require.resolve('shell-quote', { paths: [repo] }));
  const cli = parse(line.replace(/^\s*\$ /, ''));
  if (!cli.every((token) => typeof token === 'string'))
    throw new Error(`row 5: cannot parse ${line}`);

  // The same CLI call made through Nx by a trivial custom executor: Nx's share of the overhead.
  const projectFile = path.join(root, 'apps', 'shop', 'project.json');
  const project = JSON.parse(fs.readFileSync(projectFile, 'utf8'));
  project.targets['cli-inherit'] = {
    executor: './tools/executors:inherit',
    options: { command: cli },
  };
  fs.writeFileSync(projectFile, JSON.stringify(project, null, 2));
  git(root, [
    '-c',
    'user.name=Bench',
    '-c',
    'user.email=bench@example.com',
    'commit',
    '--quiet',
    '-am',
    'cli-inherit',
  ]);

  const expectOk = /(^|\n)ok\r?\n/;
  const results = await interleave(
    'row 5, Heroku CLI through the stand-in',
    [
      {
        name: 'plugin',
        run: async () =>
          must(
            await nx(root, ['run', 'shop:release-prepare'], { env }),
            'shop:release-prepare',
            expectOk,
          ),
      },
      {
        name: 'direct',
        run: async () =>
          must(
            await run(cli[0], cli.slice(1), { cwd: root, env: { ...process.env, ...env } }),
            'direct heroku run',
            expectOk,
          ),
      },
      {
        name: 'nxInherit',
        run: async () =>
          must(await nx(root, ['run', 'shop:cli-inherit'], { env }), 'shop:cli-inherit', expectOk),
      },
    ],
    RUNS.heroku,
  );
  const plugin = stats(results.plugin);
  const direct = stats(results.direct);
  const nxInherit = stats(results.nxInherit);
  rows.push(
    {
      id: '5',
      what: '`nx run shop:release-prepare` (heroku, `echo ok`) through the real CLI',
      value: fmtStat(plugin),
      reference: `the CLI alone, same argv: ${fmtStat(direct)}`,
      ratio: plugin.median / direct.median,
      target: `report: +${fmtMs(plugin.median - direct.median)}`,
    },
    {
      id: '5b',
      what: 'same CLI call from a trivial custom executor under Nx (context)',
      value: fmtStat(nxInherit),
      reference: `plugin − this: ${fmtMs(plugin.median - nxInherit.median)}`,
      ratio: nxInherit.median / direct.median,
      target: `context: +${fmtMs(nxInherit.median - direct.median)}`,
    },
  );
  notes.push(`Row 5 argv (from the plugin's dry run): \`${line.trim().slice(2)}\``);
}

// ---------------------------------------------------------------------------------------------

function describeMachine() {
  const cpus = os.cpus();
  let distro = `${os.type()} ${os.release()}`;
  try {
    const release = fs.readFileSync('/etc/os-release', 'utf8');
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?/m.exec(release);
    if (pretty) distro = `${pretty[1]} (${os.type()} ${os.release()})`;
  } catch {
    // Not Linux-like.
  }
  const nxVersion = JSON.parse(
    fs.readFileSync(path.join(repo, 'node_modules', 'nx', 'package.json'), 'utf8'),
  ).version;
  return (
    `${cpus.length} × ${cpus[0]?.model?.trim() ?? 'unknown CPU'}, ` +
    `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, Nx ${nxVersion}, ${distro}`
  );
}

const loadAverage = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(' / ');

function printTable() {
  const lines = [
    '| # | measurement | median (min–max, n) | reference | ratio | SPEC §4 target | result |',
    '|---|---|---|---|---|---|---|',
  ];
  for (const row of rows) {
    const result = row.pass === undefined ? '' : row.pass ? '**pass**' : '**MISS**';
    const ratio = row.ratio === undefined ? '' : `${row.ratio.toFixed(2)}×`;
    lines.push(
      `| ${row.id} | ${row.what} | ${row.value} | ${row.reference} | ${ratio} | ${row.target} | ${result} |`,
    );
  }
  return lines.join('\n');
}

async function main() {
  const started = performance.now();
  if (process.platform !== 'linux') throw new Error('bench: Linux only (it reads /proc)');
  tempRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'nx-release-deploy-bench-'));
  const machine = describeMachine();
  const date = new Date().toISOString();
  console.log(`nx-release-deploy bench, ${date}\nMachine: ${machine}`);
  console.log(`Load average at start (1/5/15 min): ${loadAverage()}`);
  console.log(
    `Runs per variant, interleaved round-robin, after 1 unmeasured warm-up run of each variant ` +
      `(row 3: a cheap nx run warms the project graph instead; row 2b: none, row 2's other variants did): ` +
      `row 1: ${RUNS.single}; row 2: ${RUNS.many} (--batch=false: ${RUNS.manyUnbatched}); ` +
      `row 3: ${RUNS.big}; row 4: ${RUNS.load}; row 5: ${RUNS.heroku}. ` +
      `Every nx run: --skip-nx-cache, NX_DAEMON=false, no TUI, static output.`,
  );
  const needsSingle = [1, 3, 4, 5].some((row) => ROWS.has(row));
  const single = needsSingle ? singleWorkspace() : undefined;
  const many = ROWS.has(2) ? manyWorkspace() : undefined;
  if (ROWS.has(1)) await row1(single);
  if (ROWS.has(2)) await row2(many);
  if (ROWS.has(3)) await row3(single);
  if (ROWS.has(4)) await row4(single);
  if (ROWS.has(5)) await row5(single);
  console.log(`\n${printTable()}\n`);
  for (const note of notes) console.log(note);
  console.log(
    `\nMachine: ${machine}\nDate: ${date}\nLoad average at end (1/5/15 min): ${loadAverage()}\n` +
      `Bench time: ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
}

main()
  .catch((error) => {
    console.error(`\nbench failed: ${error.stack ?? error}`);
    process.exitCode = 1;
  })
  .finally(() => cleanUp());
