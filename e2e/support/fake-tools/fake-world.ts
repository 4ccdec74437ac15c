/**
 * A world for the tool stand-ins of this directory: a bin dir whose kubectl, docker, fly and
 * ssh are the stand-ins (put it first on PATH), one directory per app playing the remote
 * machine or container (with small programs the post-deploy command can run), the JSON state
 * mapping each tool's targets to those directories, and the log of every call.
 */
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import * as os from 'node:os';
import path from 'node:path';

const TOOLS = ['kubectl', 'docker', 'fly', 'ssh'] as const;

// Programs on the "remote" side, each run from its app directory.
const APP_PROGRAMS: Record<string, string> = {
  // Appends its argv as one JSON line to args.jsonl, so every run can be read back exactly.
  'print-args': `require('node:fs').appendFileSync(require('node:path').join(__dirname, 'args.jsonl'), JSON.stringify(process.argv.slice(2)) + '\\n');`,
  // A re-runnable migration: logs its arguments, prints a line, exits 0.
  migrate: `require('node:fs').appendFileSync(require('node:path').join(__dirname, 'migrations.log'), process.argv.slice(2).join(' ') + '\\n');
console.log('migrated ' + require('node:path').basename(__dirname));`,
  'exit-with': `console.log('failing with ' + process.argv[2]); process.exit(Number(process.argv[2]));`,
};

// One call a stand-in received: its argv, the target it resolved, what the remote side ran.
export interface FakeCall {
  readonly tool: string;
  readonly argv: string[];
  readonly at?: Record<string, unknown>;
  readonly remote?: { string?: string; argv?: string[]; shell?: string };
  readonly failed?: string;
}

export interface FakeWorld {
  readonly root: string;
  // PATH (stand-ins first), FAKE_TOOLS_STATE and FAKE_TOOLS_LOG for the commands under test.
  readonly env: Record<string, string>;
  appDir(app: string): string;
  readCalls(): Promise<FakeCall[]>;
  // The argv lists print-args received in an app's directory, in order.
  readArgs(app: string): Promise<string[][]>;
  readLines(app: string, file: string): Promise<string[]>;
  close(): Promise<void>;
}

// Makes the world; `state` gets each app's directory and the directory holding them all.
export async function createFakeWorld(input: {
  apps: readonly string[];
  state: (dirs: { app: (name: string) => string; apps: string }) => object;
}): Promise<FakeWorld> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'nxrd-fake-world-'));
  const binDir = path.join(root, 'bin');
  const appsDir = path.join(root, 'apps');
  await mkdir(binDir);
  for (const tool of TOOLS) {
    const launcher = path.join(binDir, tool);
    await writeFile(
      launcher,
      `#!/usr/bin/env node\nrequire(${JSON.stringify(path.join(__dirname, `${tool}.js`))});\n`,
    );
    await chmod(launcher, 0o755);
  }
  for (const app of input.apps) {
    const dir = path.join(appsDir, app);
    await mkdir(dir, { recursive: true });
    for (const [name, body] of Object.entries(APP_PROGRAMS)) {
      await writeFile(path.join(dir, name), `#!/usr/bin/env node\n${body}\n`);
      await chmod(path.join(dir, name), 0o755);
    }
  }
  const appDir = (app: string) => path.join(appsDir, app);
  const statePath = path.join(root, 'state.json');
  const logPath = path.join(root, 'calls.jsonl');
  await writeFile(statePath, JSON.stringify(input.state({ app: appDir, apps: appsDir })));
  const readLines = async (file: string) =>
    existsSync(file) ? (await readFile(file, 'utf8')).split('\n').slice(0, -1) : [];
  return {
    root,
    env: {
      PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}`,
      FAKE_TOOLS_STATE: statePath,
      FAKE_TOOLS_LOG: logPath,
    },
    appDir,
    readCalls: async () => (await readLines(logPath)).map((line) => JSON.parse(line) as FakeCall),
    readArgs: async (app) =>
      (await readLines(path.join(appDir(app), 'args.jsonl'))).map(
        (line) => JSON.parse(line) as string[],
      ),
    readLines: (app, file) => readLines(path.join(appDir(app), file)),
    close: () => rm(root, { recursive: true, force: true }),
  };
}
