import { execFile } from 'node:child_process';

// The commit checked out in `cwd`, or undefined outside a git repository or before a first commit.
export function readGitHead(cwd: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile(
      'git',
      ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'],
      { cwd, timeout: 10_000 },
      (error, stdout) => {
        const sha = stdout.trim();
        resolve(!error && /^[0-9a-f]{40,64}$/.test(sha) ? sha : undefined);
      },
    );
  });
}
