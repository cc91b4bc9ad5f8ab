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
    // A squashed landing holds the integration tree in one commit: what the integration branch contains has landed.
    const mergedInto =
      state.landed && (state.into !== null || state.options.land === 'squash') ? (state.integration.head ?? undefined) : ((await repo.git(gitTasks.resolveCommit(`refs/heads/${state.startBranch ?? ''}`))) ?? state.base);
    await sweepBranches(repo.git, state.runId, mergedInto, cleanup);
  } catch (error) {
    state.error ??= `cleanup failed: ${messageOf(error)}`;
  }
  state.notes = cleanupNotes(state, cleanup);
  run.save();
  return cleanup;
}


/** What happened to every branch of the run, in words that fit it, and what to do about the kept ones. */
function cleanupNotes(state: RunState, cleanup: CleanupResult): string[] {
  const notes: string[] = [];
  if (state.landed && state.integration.landedInstall) {
    notes.push(`The result changes the dependencies: run \`${state.integration.landedInstall}\` in ${state.into === null ? state.repoRoot : `a checkout of ${state.into}`} to install them there.`);
  }
  const byBranch = new Map(state.batches.map((batch) => [batch.branch, batch]));
  for (const { branch, reason } of cleanup.keptBranches) {
    const batch = byBranch.get(branch);
    const attemptOf = state.batches.find((b) => b.keptAttempts.includes(branch));
    if (batch) notes.push(`Kept branch ${branch}: the work of batch ${batch.id} (${batch.status}); ${reason}.${RESUMABLE.has(batch.status) ? ` \`fanout resume ${state.runId}\` carries on from it.` : ''}`);
    else if (attemptOf) notes.push(`Kept branch ${branch}: an earlier, failed attempt of batch ${attemptOf.id}; delete it when you no longer need it.`);
    else if (branch === state.integration.branch) notes.push(`Kept branch ${branch}: every batch merged, ${state.integration.validation?.ok === false ? 'but validation failed there' : 'not landed'}; ${reason}.`);
    else notes.push(`Kept branch ${branch}: ${reason}.`);
  }
  for (const { path, reason } of cleanup.keptWorktrees) notes.push(`Kept worktree ${path}: ${reason}.`);
  const deleted = new Set(cleanup.deletedBranches);
  const empty = state.batches.filter((batch) => deleted.has(batch.branch) && (batch.head === null || batch.head === state.base));
  const landed = state.batches.filter((batch) => deleted.has(batch.branch) && !empty.includes(batch));
  if (landed.length > 0) {
    const how = state.options.land === 'squash' ? 'their work is in the squashed commit' : `merged into ${state.into ?? state.startBranch ?? 'the target'}`;
    notes.push(`Deleted ${plural(landed.length, 'batch branch', 'batch branches')} (${how}): ${landed.map((batch) => batch.id).join(', ')}.`);
  }
  if (empty.length > 0) notes.push(`Deleted ${plural(empty.length, 'batch branch', 'batch branches')} that never got a commit (nothing to keep): ${empty.map((batch) => batch.id).join(', ')}.`);
  if (deleted.has(state.integration.branch)) notes.push(`Deleted the integration branch ${state.integration.branch} (${state.landed ? 'landed' : 'nothing on it beyond the target'}).`);
  const others = cleanup.deletedBranches.filter((branch) => !byBranch.has(branch) && branch !== state.integration.branch);
  if (others.length > 0) notes.push(`Deleted ${others.join(', ')} (contained in ${state.into ?? state.startBranch ?? 'the target'}).`);
  return notes;
}

/** A batch in one of these states gets its agent run again by `fanout resume`. */
const RESUMABLE: ReadonlySet<string> = new Set(['failed', 'timeout', 'interrupted', 'needs-human', 'queued', 'provisioning', 'setup', 'running']);

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
