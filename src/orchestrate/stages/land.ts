// Land, only once everything is green: the branch checked out at the start is fast-forwarded to the
// integration result (after checking it is still checked out and has not moved), or the new --into branch
// is created there. Anything unexpected leaves the user's branch where it is and says why.
import { gitTasks, zeroOid } from '../git-tasks.js';
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
    try {
      await repo.git(gitTasks.fastForward(head));
    } catch (error) {
      state.error = `git merge --ff-only ${head.slice(0, 10)} failed in ${repo.repoRoot}: ${messageOf(error)}`;
      return false;
    }
  }
  state.landed = true;
  for (const batch of state.batches) batch.status = 'merged';
  run.save();
  return true;
}
