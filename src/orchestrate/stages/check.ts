// Check, before any real branch moves: each finished branch's changed files against its declared files
// (out-of-scope) and the other batches' (overlap), then every merge predicted with git merge-tree, pairwise
// and against the target if it moved since the run started.
import { findScopeConflicts } from '../find-scope-conflicts.js';
import { gitTasks } from '../git-tasks.js';
import { predictMerges } from '../predict-merges.js';
import type { BatchState, BatchStatus } from '../run-state.js';
import type { Run } from './start-run.js';

/** Statuses of a batch whose agent did not finish its work (or never ran). */
export const AGENT_FAILED: ReadonlySet<BatchStatus> = new Set(['failed', 'timeout', 'interrupted', 'queued', 'provisioning', 'setup', 'running']);

export function agentFinished(batch: BatchState): boolean {
  return !AGENT_FAILED.has(batch.status) && batch.head !== null;
}

export interface CheckResult {
  /** Every batch finished, nothing conflicts, no batch is invalid, the run was not interrupted: integrate. */
  ready: boolean;
  /** The target branch's tip now (the base for --into): integration starts there. */
  targetTip: string;
}

export async function check(run: Run): Promise<CheckResult> {
  const { state, repo } = run;
  run.setPhase('predict');
  const finished = state.batches.filter(agentFinished);
  const conflicts = findScopeConflicts(finished);
  const targetTip = state.into !== null ? state.base : ((await repo.git(gitTasks.resolveCommit(`refs/heads/${state.startBranch ?? ''}`))) ?? state.base);
  run.monitor.note(`checking ${finished.length} branch${finished.length === 1 ? '' : 'es'} pairwise${targetTip !== state.base ? ` and against ${state.startBranch}` : ''} with git merge-tree`);
  conflicts.push(
    ...(await predictMerges(repo.git, {
      base: state.base,
      targetTip,
      targetName: state.startBranch ?? 'the target',
      branches: finished.map((b) => ({ id: b.id, head: b.head ?? state.base, changedFiles: b.changedFiles, deletedFiles: b.deletedFiles })),
    })),
  );
  state.conflicts = conflicts;
  for (const conflict of conflicts) {
    for (const id of conflict.batches) {
      const batch = state.batches.find((b) => b.id === id);
      if (batch && (batch.status === 'done' || batch.status === 'invalid')) run.setStatus(batch, 'conflict');
    }
  }
  run.save();
  const ready = finished.length === state.batches.length && conflicts.length === 0 && !state.batches.some((batch) => batch.status === 'invalid') && !run.signal.aborted;
  return { ready, targetTip };
}
