// Cleanup with one rule set for finished, interrupted and crashed runs: remove a worktree only when no work
// in it can be lost, delete a branch only when its commits are merged, keep everything else and say where.
// Removing a worktree that holds a provisioned node_modules (20,000 files) takes seconds, so it is detached
// instead: renamed into a trash directory beside it (instant), its entry pruned from git, and deleted by a
// detached background process the user never waits for.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { gitTasks } from './git-tasks.js';
import { excludeConfig } from './provision/exclude-file.js';
import { gitIn, type Git } from './run-git.js';

export interface CleanupResult {
  removedWorktrees: string[];
  keptWorktrees: Array<{ path: string; reason: string }>;
  deletedBranches: string[];
  keptBranches: Array<{ branch: string; reason: string }>;
}

export function emptyCleanup(): CleanupResult {
  return { removedWorktrees: [], keptWorktrees: [], deletedBranches: [], keptBranches: [] };
}

export interface WorktreeToRemove {
  path: string;
  /** The worktree's excludes file: what provisioning and setup put there is not uncommitted work. */
  excludeFile?: string | undefined;
  /** Its agent's work is committed (collect ran, or nothing ever ran there): whatever is left is tool output. */
  workSaved: boolean;
}

export interface Trash {
  /** Where detached worktrees go: on the worktrees' filesystem, so moving them there is a rename. */
  dir: string;
  /** Removed, in order, once empty (the run's worktree dir, the worktree root). */
  parents: string[];
}

/**
 * Detaches every worktree that holds no unsaved work (moved to the trash, pruned from git), keeps the
 * others with why, and starts the background deletion of the trash.
 */
export async function removeWorktrees(git: Git, worktrees: readonly WorktreeToRemove[], trash: Trash, result: CleanupResult, extra: readonly string[] = []): Promise<void> {
  const doomed: string[] = [];
  for (const worktree of worktrees) {
    if (!existsSync(worktree.path)) continue;
    const keep = worktree.workSaved ? null : await unsavedWork(worktree, git);
    if (keep !== null) {
      result.keptWorktrees.push({ path: worktree.path, reason: keep });
      continue;
    }
    try {
      doomed.push(moveToTrash(worktree.path, trash.dir));
      result.removedWorktrees.push(worktree.path);
    } catch {
      // Not movable (another filesystem, permissions): git removes it the slow way, or refuses.
      const removed = await git(gitTasks.removeWorktree(worktree.path));
      if (removed.removed) result.removedWorktrees.push(worktree.path);
      else result.keptWorktrees.push({ path: worktree.path, reason: removed.dirty ? 'it has uncommitted changes (commit them on its branch, or remove it yourself)' : removed.reason || 'git worktree remove refused' });
    }
  }
  for (const path of extra) if (existsSync(path)) doomed.push(moveToTrash(path, trash.dir));
  await git(gitTasks.pruneWorktrees());
  deleteInBackground(doomed, [trash.dir, ...trash.parents]);
}

/** Why a worktree must be kept (uncommitted changes, a HEAD on no branch), or null. */
async function unsavedWork(worktree: WorktreeToRemove, git: Git): Promise<string | null> {
  const here = gitIn(worktree.path, worktree.excludeFile && existsSync(worktree.excludeFile) ? excludeConfig(worktree.excludeFile) : []);
  try {
    if ((await here(gitTasks.status('normal'))).length > 0) return 'it has uncommitted changes (commit them on its branch, or remove it yourself)';
    const head = await here(gitTasks.resolveCommit('HEAD'));
    if (head !== undefined && !(await git(gitTasks.onSomeBranch(head)))) return `its HEAD (${head.slice(0, 10)}) is on no branch`;
  } catch (error) {
    return `git could not read it (${error instanceof Error ? error.message : String(error)})`;
  }
  return null;
}

function moveToTrash(path: string, trashDir: string): string {
  mkdirSync(trashDir, { recursive: true });
  const target = join(trashDir, `${basename(path)}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`);
  renameSync(path, target);
  return target;
}

/**
 * Deletes paths, then removes the dirs that are left empty, in a detached process that outlives fanout.
 * Nothing it deletes holds work: only trashed worktrees and the run's store.
 */
export function deleteInBackground(paths: readonly string[], thenEmpty: readonly string[]): void {
  if (paths.length === 0) {
    for (const dir of thenEmpty) removeEmpty(dir);
    return;
  }
  const script = [
    "const fs = require('node:fs');",
    'const [paths, dirs] = JSON.parse(process.argv[1]);',
    'for (const p of paths) { try { fs.rmSync(p, { recursive: true, force: true, maxRetries: 3 }); } catch {} }',
    'for (const d of dirs) { try { fs.rmdirSync(d); } catch {} }',
  ].join('\n');
  const child = spawn(process.execPath, ['-e', script, JSON.stringify([paths, thenEmpty])], {
    detached: true,
    stdio: 'ignore',
    // Not one of the run's processes: `fanout cleanup` must not stop it.
    env: { ...process.env, FANOUT_PROCESS: 'fanout-trash' },
  });
  child.on('error', () => undefined);
  child.unref();
}

function removeEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Not empty (kept worktrees, other runs) or already gone.
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
