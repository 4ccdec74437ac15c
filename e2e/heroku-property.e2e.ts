/**
 * The parser's promise (README "Commands, quoting and the Heroku CLI"), through the real Heroku
 * CLI: generated command strings that the plugin's parser accepts reach the dyno's program as
 * exactly the argv the parser produced. Each sample goes the whole way: the packed plugin's parser
 * and Heroku argv builder, the real `heroku run` (one argument, sent verbatim), the loopback
 * stand-in, and bash on the "dyno". The property itself is checked thousands of times against bash
 * in the unit tests; this is the sample through the real client.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chmod, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { startHerokuStandin, type HerokuStandin } from './support/heroku-standin';
import { cleanInheritedEnv, REPO_ROOT } from './support/packed-plugin';

interface SplitModule {
  splitCommand(text: string): { tokens: string[] } | { problem: { problem: string } };
}
interface HerokuModule {
  herokuPlatform: {
    buildPostDeploy(target: object, tokens: readonly string[]): { argv: string[] };
  };
}

const SAMPLES = 16;
const SEED = 20261129;
// The built plugin's own modules (what the packed tarball ships), loaded by path.
const loadBuilt = createRequire(__filename);
const split = loadBuilt(path.join(REPO_ROOT, 'dist/lib/command/split-command')) as SplitModule;
const heroku = loadBuilt(path.join(REPO_ROOT, 'dist/lib/platforms/heroku')) as HerokuModule;

// Accepted command tails, drawn from shell-special characters and quotes (seeded, reproducible).
function drawAcceptedTails(count: number): string[][] {
  const unit = fc.constantFrom(...Array.from(' \t\'"\\$`;|&*?[]{},.#~=:!()<>abxé-/_%'));
  const tails: string[][] = [];
  const candidates = fc.sample(fc.string({ unit, minLength: 1, maxLength: 20 }), {
    numRuns: 4000,
    seed: SEED,
  });
  for (const text of candidates) {
    const result = split.splitCommand(`./print-args ${text}`);
    if ('tokens' in result && result.tokens.length > 1 && tails.length < count)
      tails.push(result.tokens.slice(1));
  }
  return tails;
}

// Runs the CLI with argv (no shell), stdin closed; its exit status, and stderr when it failed.
async function runCli(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number; stderr: string }> {
  try {
    const running = promisify(execFile)(file, args, { env, timeout: 60_000 });
    running.child.stdin?.end();
    await running;
    return { status: 0, stderr: '' };
  } catch (error) {
    const failure = error as { code?: number; stderr?: string };
    return {
      status: typeof failure.code === 'number' ? failure.code : 1,
      stderr: failure.stderr ?? String(error),
    };
  }
}

describe('generated commands through the real Heroku CLI', () => {
  let standin: HerokuStandin;
  let dynoCwd: string;
  let binDir: string;

  beforeAll(async () => {
    dynoCwd = await mkdtemp(path.join(os.tmpdir(), 'heroku-property-dyno-'));
    const script = path.join(dynoCwd, 'print-args');
    await writeFile(
      script,
      `#!/usr/bin/env node\nrequire('node:fs').appendFileSync(require('node:path').join(__dirname, 'args.jsonl'), JSON.stringify(process.argv.slice(2)) + '\\n');\n`,
    );
    await chmod(script, 0o755);
    binDir = await mkdtemp(path.join(os.tmpdir(), 'heroku-property-bin-'));
    await symlink(
      path.join(REPO_ROOT, 'node_modules/heroku/bin/run.js'),
      path.join(binDir, 'heroku'),
    );
    standin = await startHerokuStandin({ apps: ['shop-qa'], dynoCwd });
  });

  afterAll(async () => {
    await standin?.close();
    await Promise.all(
      [dynoCwd, binDir].map((dir) => dir && rm(dir, { recursive: true, force: true })),
    );
  });

  it(`delivers ${SAMPLES} generated commands to the dyno unchanged`, async () => {
    const tails = drawAcceptedTails(SAMPLES);
    expect(tails).toHaveLength(SAMPLES);
    for (const tail of tails) {
      const [file, ...args] = heroku.herokuPlatform.buildPostDeploy(
        { app: 'shop-qa', env: 'qa', releaseId: 'r1' },
        ['./print-args', ...tail],
      ).argv;
      // Asynchronously: the stand-in answers from this very process.
      const result = await runCli(file as string, args, {
        ...cleanInheritedEnv(process.env),
        ...standin.env,
        PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ''}`,
      });
      expect({
        tail,
        status: result.status,
        stderr: result.status === 0 ? '' : result.stderr,
      }).toEqual({ tail, status: 0, stderr: '' });
    }
    const received = (await readFile(path.join(dynoCwd, 'args.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as string[]);
    expect(received).toEqual(tails);
  }, 120_000);
});
