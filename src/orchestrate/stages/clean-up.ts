// Clean up, always (success, failure, Ctrl-C): agents are already stopped (runProcess waits for their
// process groups) and their work committed. Every worktree of the run is removed unless kept (git itself
// refuses one with uncommitted changes), and the run's branches are deleted only when their commits are
// contained in the target.
import { emptyCleanup, removeWorktrees, sweepBranches, type CleanupResult } from '../cleanup-run.js';
import { gitTasks } from '../git-tasks.js';
import type { RunState } from '../run-state.js';
import { messageOf, type Run } from './start-run.js';

export async function cleanUp(run: Run): Promise<CleanupResult> {
  const { state, repo, paths } = run;
  run.setPhase('cleanup');
  const cleanup = emptyCleanup();
  try {
    const worktrees = [...state.batches.filter((batch) => batch.worktreeExists).map((batch) => batch.worktree), ...(state.integration.worktree ? [state.integration.worktree] : [])];
    if (state.options.keepWorktrees) {
      for (const path of worktrees) cleanup.keptWorktrees.push({ path, reason: '--keep-worktrees' });
    } else {
      await removeWorktrees(repo.git, worktrees, [paths.worktreesDir, paths.worktreesRoot], cleanup);
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
