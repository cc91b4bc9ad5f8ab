// Land, only once everything is green: the branch checked out at the start is fast-forwarded to the
// integration result (after checking it is still checked out and has not moved), or the new --into branch
// is created there. Anything unexpected leaves the user's branch where it is and says why.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findUntrackedCollisions } from '../find-untracked-collisions.js';
import { gitTasks, zeroOid } from '../git-tasks.js';
import { projectPackageManager, readProjectDependencies } from '../provision/check-dependencies.js';
import { changesDependencies, suggestedInstall } from '../provision/package-manager.js';
import { formatCommand } from '../split-words.js';
import { messageOf, type Run } from './start-run.js';

/** True when the result landed; otherwise state.error says why not. */
export async function land(run: Run, targetTip: string, head: string): Promise<boolean> {
  const { state, repo } = run;
  run.setPhase('land');
  if (state.into !== null) {
    await repo.git(gitTasks.updateRef(`refs/heads/${state.into}`, head, zeroOid(head), `fanout: result of run ${state.runId}`));
  } else {
    const branch = state.startBranch ?? '';
    const current = await repo.git(gitTasks.headRef());
    if (current !== `refs/heads/${branch}`) {
      state.error = `the main checkout is no longer on ${branch} (now ${current?.replace('refs/heads/', '') ?? 'a detached HEAD'}), so fanout did not move it`;
      return false;
    }
    const tip = await repo.git(gitTasks.resolveCommit(`refs/heads/${branch}`));
    if (tip !== targetTip) {
      state.error = `${branch} moved while the run was merging, so fanout did not move it`;
      return false;
    }
    // A fast-forward silently overwrites ignored files (and refuses over untracked ones): files that
    // appeared in the checkout during the run at a path the result changes are not overwritten.
    const changed = (await repo.git(gitTasks.changedFiles(targetTip, head))).files;
    const [status, ignored] = await Promise.all([repo.git(gitTasks.status('normal')), repo.git(gitTasks.ignoredPaths())]);
    const untracked = status.filter((entry) => entry.code === '??').map((entry) => entry.path);
    const inTheWay = findUntrackedCollisions(changed, [...untracked, ...ignored]).filter((path) => existsSync(join(repo.repoRoot, path)));
    if (inTheWay.length > 0) {
      state.error = `the result changes ${inTheWay.join(', ')}, which your checkout holds untracked or ignored, so fanout did not move ${branch}; move them out of the way, then \`git merge --ff-only ${state.integration.branch}\``;
      return false;
    }
    try {
      await repo.git(gitTasks.fastForward(head));
    } catch (error) {
      state.error = `git merge --ff-only ${head.slice(0, 10)} failed in ${repo.repoRoot}: ${messageOf(error)}`;
      return false;
    }
  }
  state.landed = true;
  for (const batch of state.batches) batch.status = 'merged';
  // fanout installs in worktrees only: the user's node_modules is theirs to update.
  if (changesDependencies((await repo.git(gitTasks.changedFiles(targetTip, head))).files)) {
    const manager = projectPackageManager(readProjectDependencies(repo.repoRoot));
    if (manager !== null) state.integration.landedInstall = formatCommand(suggestedInstall(manager));
  }
  run.save();
  return true;
}
