// `fanout cleanup [--run ID]`: sweeps what crashed (or --keep-worktrees) runs left, with the run's own
// rules: stray agent processes are stopped, clean worktrees removed, dirty ones kept, merged branches
// deleted, unmerged ones kept; a stale lock is cleared.
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { FanoutError } from '../util/errors.js';
import { deleteInBackground, emptyCleanup, removeWorktrees, sweepBranches, type CleanupResult } from './cleanup-run.js';
import { gitTasks } from './git-tasks.js';
import { RUN_ID_PATTERN } from './new-run-id.js';
import { openRepo } from './preflight.js';
import { clearStaleLock, isAlive, readLock, type LockInfo } from './run-lock.js';
import { batchFiles, INTEGRATION_ID, runPaths, storeDir, worktreesRootOf } from './run-paths.js';
import { killMarked } from './run-process.js';
import { listStates, readState, writeState } from './run-state.js';

export interface RunCleanup extends CleanupResult {
  runId: string;
  /** Set when the run was left alone. */
  skipped: string | null;
  killedProcesses: number;
}

export interface CleanupReport {
  runs: RunCleanup[];
  /** The stale lock that was cleared, if any. */
  clearedLock: LockInfo | null;
}

export async function cleanupRuns(options: { cwd: string; runId?: string | undefined; env?: NodeJS.ProcessEnv | undefined }): Promise<CleanupReport> {
  const env = options.env ?? process.env;
  const repo = await openRepo(options.cwd);
  const base = runPaths(repo.commonDir, repo.repoRoot, 'x', env);
  const lock = readLock(base.lock);
  const worktrees = await repo.git(gitTasks.listWorktrees());
  const root = worktreesRootOf(repo.repoRoot, env);

  let ids: string[];
  if (options.runId !== undefined) {
    if (!RUN_ID_PATTERN.test(options.runId)) throw new FanoutError('run-unknown', `'${options.runId}' is not a run id (they look like 20261124-161500-ab12)`, { hint: '`fanout status` lists the runs' });
    const known = existsSync(join(base.runsDir, options.runId)) || worktrees.some((w) => w.branch?.startsWith(`refs/heads/fanout/${options.runId}/`));
    const branches = await repo.git(gitTasks.refsUnder(`refs/heads/fanout/${options.runId}/`));
    if (!known && branches.length === 0) throw new FanoutError('run-unknown', `there is no run ${options.runId} in this repo`, { hint: '`fanout status` lists the runs' });
    ids = [options.runId];
  } else {
    // Runs with a state file, plus any run id found only in branches or worktree dirs (a crash before the state was written).
    const found = new Set(listStates(base.runsDir).map((state) => state.runId));
    for (const { ref } of await repo.git(gitTasks.refsUnder('refs/heads/fanout/'))) {
      const id = ref.split('/')[3];
      if (id && RUN_ID_PATTERN.test(id)) found.add(id);
    }
    try {
      for (const name of readdirSync(root)) if (RUN_ID_PATTERN.test(name)) found.add(name);
    } catch {
      // No worktree root: nothing there.
    }
    ids = [...found].sort();
  }

  const runs: RunCleanup[] = [];
  for (const runId of ids) {
    const paths = runPaths(repo.commonDir, repo.repoRoot, runId, env);
    const state = readState(paths.state);
    const result: RunCleanup = { runId, skipped: null, killedProcesses: 0, ...emptyCleanup() };
    runs.push(result);
    // A run whose process still lives is left alone, lock or not (a reused pid errs on the safe side).
    if ((lock.kind === 'active' && lock.lock.runId === runId) || (state?.status === 'running' && state.pid !== process.pid && isAlive(state.pid))) {
      result.skipped = 'the run is active';
      continue;
    }
    result.killedProcesses = await killMarked(`${runId}/`);
    const mine = worktrees.filter((w) => w.branch?.startsWith(`refs/heads/fanout/${runId}/`) || w.path.startsWith(`${paths.worktreesDir}/`));
    // Whether an agent's work was saved is unknown after a crash: each worktree must be clean to go.
    const integration = state?.integration.worktree;
    const candidates = mine.map((w) => ({ path: w.path, excludeFile: batchFiles(paths.runDir, w.path === integration ? INTEGRATION_ID : basename(w.path)).exclude, workSaved: false }));
    const store = storeDir(paths.worktreesDir);
    await removeWorktrees(repo.git, candidates, { dir: paths.trash, parents: [paths.worktreesDir, paths.worktreesRoot] }, result, existsSync(store) ? [store] : []);
    const target = state?.into && state.landed ? `refs/heads/${state.into}` : state?.startBranch ? `refs/heads/${state.startBranch}` : 'HEAD';
    const mergedInto = (await repo.git(gitTasks.resolveCommit(target))) ?? (await repo.git(gitTasks.resolveCommit('HEAD')));
    await sweepBranches(repo.git, runId, mergedInto, result);
    const touched = result.killedProcesses > 0 || result.removedWorktrees.length > 0 || result.deletedBranches.length > 0 || result.keptWorktrees.length > 0;
    if (state && (state.status === 'running' || touched)) {
      const removed = new Set(result.removedWorktrees);
      for (const batch of state.batches) {
        if (removed.has(batch.worktree)) batch.worktreeExists = false;
        if (batch.pid !== null) batch.pid = null;
      }
      if (state.status === 'running') {
        state.status = 'interrupted';
        state.error = `the fanout process (pid ${state.pid}) ended without cleaning up; swept by fanout cleanup`;
        for (const batch of state.batches) if (batch.status === 'running' || batch.status === 'setup' || batch.status === 'provisioning' || batch.status === 'validating') batch.status = 'interrupted';
      }
      state.phase = 'done';
      state.finishedAt ??= new Date().toISOString();
      state.notes = [
        ...state.notes.filter((note) => !note.startsWith('fanout cleanup:')),
        ...result.keptWorktrees.map((w) => `fanout cleanup: kept worktree ${w.path}: ${w.reason}.`),
        ...result.keptBranches.map((b) => `fanout cleanup: kept branch ${b.branch}: ${b.reason}.`),
      ];
      writeState(paths.state, state);
    }
  }
  // Trash a background deletion left (the machine went down meanwhile): delete it now, in the background again.
  if (existsSync(base.trash)) deleteInBackground(readdirSync(base.trash).map((name) => join(base.trash, name)), [base.trash, base.worktreesRoot]);
  const cleared = clearStaleLock(base.lock);
  return { runs, clearedLock: cleared === false ? null : (cleared ?? { runId: '?', pid: 0, startedAt: '' }) };
}
