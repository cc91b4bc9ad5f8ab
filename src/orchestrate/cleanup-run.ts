// Cleanup with one rule set for finished, interrupted and crashed runs: remove worktrees only when they hold
// no uncommitted change, delete branches only when their commits are merged, keep everything else and say where.
import { existsSync, rmdirSync } from 'node:fs';
import { gitTasks } from './git-tasks.js';
import type { Git } from './run-git.js';

export interface CleanupResult {
  removedWorktrees: string[];
  keptWorktrees: Array<{ path: string; reason: string }>;
  deletedBranches: string[];
  keptBranches: Array<{ branch: string; reason: string }>;
}

export function emptyCleanup(): CleanupResult {
  return { removedWorktrees: [], keptWorktrees: [], deletedBranches: [], keptBranches: [] };
}

/** Removes each worktree git agrees to remove (never one with changes), prunes, and drops empty parent dirs. */
export async function removeWorktrees(git: Git, paths: readonly string[], parents: readonly string[], result: CleanupResult): Promise<void> {
  for (const path of paths) {
    if (!existsSync(path)) continue;
    const removed = await git(gitTasks.removeWorktree(path));
    if (removed.removed) result.removedWorktrees.push(path);
    else result.keptWorktrees.push({ path, reason: removed.dirty ? 'it has uncommitted changes (commit them on its branch, or remove it yourself)' : removed.reason || 'git worktree remove refused' });
  }
  await git(gitTasks.pruneWorktrees());
  for (const dir of parents) {
    try {
      rmdirSync(dir);
    } catch {
      // Not empty (kept worktrees, other runs) or already gone.
    }
  }
}

/**
 * Deletes the run's branches whose tip is contained in mergedInto; keeps unmerged ones and any branch
 * still checked out in a worktree. Each delete names the tip it saw, so a branch moved meanwhile survives.
 */
export async function sweepBranches(git: Git, runId: string, mergedInto: string | undefined, result: CleanupResult): Promise<void> {
  const prefix = `refs/heads/fanout/${runId}/`;
  const checkedOut = new Set((await git(gitTasks.listWorktrees())).map((worktree) => worktree.branch).filter((branch) => branch !== undefined));
  const all = await git(gitTasks.refsUnder(prefix));
  const merged = new Set(mergedInto === undefined ? [] : (await git(gitTasks.refsUnder(prefix, mergedInto))).map(({ ref }) => ref));
  const doomed: Array<{ ref: string; commit: string }> = [];
  for (const { ref, commit } of all) {
    const branch = ref.slice('refs/heads/'.length);
    if (checkedOut.has(ref)) result.keptBranches.push({ branch, reason: 'checked out in a kept worktree' });
    else if (merged.has(ref)) doomed.push({ ref, commit });
    else result.keptBranches.push({ branch, reason: 'holds commits that are not merged' });
  }
  if (doomed.length === 0) return;
  await git(gitTasks.deleteRefs(doomed));
  result.deletedBranches.push(...doomed.map(({ ref }) => ref.slice('refs/heads/'.length)));
}
