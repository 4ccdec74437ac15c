/**
 * A CI agent's checkout of an origin repository, runnable like any harness workspace.
 *
 * `createWorkspace({ projects: {}, git: false })` gives a fresh temp dir that the harness runs
 * nx in (its own node_modules symlink to the shared install base, its own NX_CACHE_DIRECTORY
 * under <agent>/.nx/cache, so its local cache starts empty); this makes that dir a clone of
 * `origin` with the steps `git clone` takes (init, remote `origin`, fetch, check out `main`
 * tracking `origin/main`), done in place because the harness owns the directory. The checkout
 * overwrites the few files createWorkspace wrote (package.json, nx.json, .gitignore) with the
 * committed ones, so the working tree is exactly the origin's commit.
 *
 * Why NX_CACHE_DIRECTORY matters here: without it, Nx 24 keeps the cache and its DB in
 * ~/.nx/<id>/ with the id derived from the git remote, so two clones of one origin on the same
 * machine would share a local cache and the "second agent" would not be a second machine.
 */
import { createWorkspace } from './nx-workspace';
import type { Workspace } from './nx-workspace';

export async function cloneAgent(origin: Workspace): Promise<Workspace> {
  const agent = await createWorkspace({ projects: {}, git: false });
  await agent.git(['init', '--quiet', '--initial-branch=main']);
  await agent.git(['remote', 'add', 'origin', origin.root]);
  await agent.git(['fetch', '--quiet', 'origin']);
  await agent.git(['checkout', '--quiet', '--force', '-B', 'main', '--track', 'origin/main']);
  return agent;
}

/** `git pull --ff-only` from origin; returns the new HEAD. */
export async function pullOrigin(agent: Workspace): Promise<string> {
  await agent.git(['pull', '--quiet', '--ff-only']);
  return agent.git(['rev-parse', 'HEAD']);
}
