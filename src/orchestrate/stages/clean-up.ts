// Clean up, always (success, failure, Ctrl-C), and off the critical path: agents are already stopped
// (runProcess waits for their process groups) and their work committed. Each worktree whose work is saved
// is detached at once (moved to the trash, pruned from git) and deleted in the background with the run's
// store; one that may hold unsaved work is kept and listed. The run's branches are deleted only when their
// commits are contained in the target.
import { existsSync } from 'node:fs';
import { emptyCleanup, removeWorktrees, sweepBranches, type CleanupResult, type WorktreeToRemove } from '../cleanup-run.js';
import { gitTasks } from '../git-tasks.js';
import { batchFiles, storeDir } from '../run-paths.js';
import type { RunState } from '../run-state.js';
import { provisioningSettled, type Provisioning } from './provision.js';
import { messageOf, type Run } from './start-run.js';

export async function cleanUp(run: Run, provisioning: Provisioning): Promise<CleanupResult> {
  const { state, repo, paths } = run;
  run.setPhase('cleanup');
  const cleanup = emptyCleanup();
  try {
    // A store or worktree still being copied (Ctrl-C during the copy) stops at its next file; only then can it go.
    await provisioningSettled(provisioning);
    const worktrees: WorktreeToRemove[] = [
      // A batch's head is set once collect committed its agent's work.
      ...state.batches.filter((batch) => batch.worktreeExists).map((batch) => ({ path: batch.worktree, excludeFile: batchFiles(paths.runDir, batch.id).exclude, workSaved: batch.head !== null })),
      ...(state.integration.worktree ? [{ path: state.integration.worktree, workSaved: true }] : []),
    ];
    const store = storeDir(paths.worktreesDir);
    const trash = { dir: paths.trash, parents: [paths.worktreesDir, paths.worktreesRoot] };
    if (state.options.keepWorktrees) {
      for (const { path } of worktrees) cleanup.keptWorktrees.push({ path, reason: '--keep-worktrees' });
      await removeWorktrees(repo.git, [], trash, cleanup, existsSync(store) ? [store] : []);
    } else {
      await removeWorktrees(repo.git, worktrees, trash, cleanup, existsSync(store) ? [store] : []);
    }
    const removed = new Set(cleanup.removedWorktrees);
    for (const batch of state.batches) if (removed.has(batch.worktree)) batch.worktreeExists = false;
    if (state.integration.worktree && removed.has(state.integration.worktree)) state.integration.worktree = null;
    const mergedInto = state.landed && state.into !== null ? (state.integration.head ?? undefined) : ((await repo.git(gitTasks.resolveCommit(`refs/heads/${state.startBranch ?? ''}`))) ?? state.base);
    await sweepBranches(repo.git, state.runId, mergedInto, cleanup);
  } catch (error) {
    state.error ??= `cleanup failed: ${messageOf(error)}`;
  }
  state.notes = cleanupNotes(state, cleanup);
  run.save();
  return cleanup;
}


function cleanupNotes(state: RunState, cleanup: CleanupResult): string[] {
  const notes: string[] = [];
  if (state.landed && state.integration.landedInstall) {
    notes.push(`The result changes the dependencies: run \`${state.integration.landedInstall}\` in ${state.into === null ? state.repoRoot : `a checkout of ${state.into}`} to install them there.`);
  }
  const byBranch = new Map(state.batches.map((batch) => [batch.branch, batch]));
  for (const { branch, reason } of cleanup.keptBranches) {
    const batch = byBranch.get(branch);
    const attemptOf = state.batches.find((b) => b.keptAttempts.includes(branch));
    if (batch) notes.push(`Kept branch ${branch}: the work of batch ${batch.id} (${batch.status}); ${reason}. Resume with \`fanout resume ${state.runId}\`, or merge or delete it yourself.`);
    else if (attemptOf) notes.push(`Kept branch ${branch}: an earlier, failed attempt of batch ${attemptOf.id}; delete it when you no longer need it.`);
    else if (branch === state.integration.branch) notes.push(`Kept branch ${branch}: every batch merged, ${state.integration.validation?.ok === false ? 'but validation failed there' : 'not landed'}; ${reason}.`);
    else notes.push(`Kept branch ${branch}: ${reason}.`);
  }
  for (const { path, reason } of cleanup.keptWorktrees) notes.push(`Kept worktree ${path}: ${reason}.`);
  for (const batch of state.batches) if (batch.error && batch.status !== 'merged') notes.push(`${batch.id}: ${batch.error}`);
  if (cleanup.deletedBranches.length > 0) notes.push(`Deleted ${cleanup.deletedBranches.length} merged branch${cleanup.deletedBranches.length === 1 ? '' : 'es'} of the run.`);
  return notes;
}
