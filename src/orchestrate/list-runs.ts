// `fanout status`: every run of this repo with its status, plus whether one is active right now.
import { openRepo } from './preflight.js';
import { isAlive, readLock, type LockInfo } from './run-lock.js';
import { runPaths } from './run-paths.js';
import { scanStates, type RunStatus } from './run-state.js';

export interface RunSummary {
  runId: string;
  /** 'crashed': the state says running but its process is gone (`fanout cleanup` sweeps it). */
  status: RunStatus | 'crashed';
  active: boolean;
  title: string;
  startedAt: string;
  finishedAt: string | null;
  target: string | null;
  landed: boolean;
  batches: Array<{ id: string; status: string; branch: string }>;
  runDir: string;
  report: string | null;
}

export interface StatusReport {
  lock: (LockInfo & { stale: boolean }) | null;
  runs: RunSummary[];
  /** Run directories whose state.json cannot be read: their branches and worktrees are still there. */
  unreadable: Array<{ runId: string; file: string; problem: string }>;
}

export async function listRuns(options: { cwd: string; env?: NodeJS.ProcessEnv | undefined }): Promise<StatusReport> {
  const repo = await openRepo(options.cwd);
  const base = runPaths(repo.commonDir, repo.repoRoot, 'x', options.env);
  const lock = readLock(base.lock);
  const scanned = scanStates(base.runsDir);
  const runs = scanned.states.map((state): RunSummary => {
    const active = state.status === 'running' && lock.kind === 'active' && lock.lock.runId === state.runId;
    const crashed = state.status === 'running' && !active && !isAlive(state.pid);
    const paths = runPaths(repo.commonDir, repo.repoRoot, state.runId, options.env);
    return {
      runId: state.runId,
      status: crashed ? 'crashed' : state.status,
      active,
      title: state.title,
      startedAt: state.startedAt,
      finishedAt: state.finishedAt,
      target: state.into ?? state.startBranch,
      landed: state.landed,
      batches: state.batches.map((batch) => ({ id: batch.id, status: batch.status, branch: batch.branch })),
      runDir: paths.runDir,
      report: state.phase === 'done' ? paths.reportMd : null,
    };
  });
  return { lock: lock.kind === 'free' ? null : lock.lock ? { ...lock.lock, stale: lock.kind === 'stale' } : { runId: '?', pid: 0, startedAt: '', stale: true }, runs, unreadable: scanned.unreadable };
}
