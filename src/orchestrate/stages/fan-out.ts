// Fan out: one branch and one worktree per batch, and the worktree the merged result will be validated in,
// created one after another (parallel `git worktree add` is unreliable on git 2.39). A new batch starts at the run's base; on resume, a batch whose agent runs
// again starts from the base too (its failed attempt kept on a branch of its own), and a finished batch
// gets its branch back.
import { mkdirSync, realpathSync } from 'node:fs';
import { join } from 'node:path';
import { freeBranch } from '../free-branch.js';
import { gitTasks, zeroOid } from '../git-tasks.js';
import type { BatchState } from '../run-state.js';
import { messageOf, type Run } from './start-run.js';

export async function fanOut(run: Run, rerun: ReadonlySet<string>): Promise<void> {
  run.setPhase('fan-out');
  mkdirSync(run.paths.worktreesDir, { recursive: true });
  for (const batch of run.state.batches) {
    if (run.signal.aborted) break;
    try {
      await addWorktree(run, batch, rerun.has(batch.id));
    } catch (error) {
      // A Ctrl-C reaches the `git worktree add` child too (same process group); git undoes it, the batch is interrupted.
      if (!run.signal.aborted) batch.error = `its worktree could not be created: ${messageOf(error)}`;
    }
    run.save();
  }
  // Collect reads each branch's work afresh: until then no batch has a head.
  for (const batch of run.state.batches) batch.head = null;
  // The merged result is validated in a worktree of its own: made now, at the base, so that it is
  // provisioned while the agents run, and only switched to the integration branch once that exists.
  if (run.validateWords !== null && !run.signal.aborted) {
    const path = integrationWorktree(run);
    try {
      await run.repo.git(gitTasks.addWorktreeDetached(path, run.state.base));
      run.state.integration.worktree = realpathSync(path);
    } catch (error) {
      if (!run.signal.aborted) run.monitor.note(`the integration worktree could not be created yet (${messageOf(error)}); it is tried again before validation`);
    }
    run.save();
  }
}

/** <worktrees dir>/<last segment of the integration branch>: integration, unless a batch took that name. */
export function integrationWorktree(run: Run): string {
  return join(run.paths.worktreesDir, run.state.integration.branch.split('/').pop() ?? 'integration');
}

async function addWorktree(run: Run, batch: BatchState, rerun: boolean): Promise<void> {
  const { repo, state } = run;
  const ref = `refs/heads/${batch.branch}`;
  const tip = run.fresh ? undefined : await repo.git(gitTasks.resolveCommit(ref));
  if (rerun && tip !== undefined && tip !== state.base) {
    // A failed attempt's commits are kept on their own branch; the new attempt starts from the base again.
    const kept = await freeBranch(repo.git, `${batch.branch}-attempt-${batch.attempt - 1}`);
    await repo.git(gitTasks.updateRef(`refs/heads/${kept}`, tip, zeroOid(tip), `fanout: keep attempt ${batch.attempt - 1} of ${batch.id}`));
    await repo.git(gitTasks.deleteRef(ref, tip));
    batch.keptAttempts.push(kept);
    await repo.git(gitTasks.addWorktreeNewBranch(batch.worktree, batch.branch, state.base));
  } else if (tip !== undefined) {
    await repo.git(gitTasks.addWorktree(batch.worktree, batch.branch));
  } else {
    await repo.git(gitTasks.addWorktreeNewBranch(batch.worktree, batch.branch, rerun ? state.base : (batch.head ?? state.base)));
  }
  batch.worktreeExists = true;
  batch.worktree = realpathSync(batch.worktree);
}
