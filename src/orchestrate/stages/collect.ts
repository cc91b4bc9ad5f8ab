// Collect: when an agent ends, however it ended, everything it left in its worktree is committed on its
// branch, the branch is made to hold the agent's work (even if it moved its worktree elsewhere), and the
// files the branch changed since the base are recorded. Only then does the batch get its final status.
import { freeBranch } from '../free-branch.js';
import { gitTasks, zeroOid } from '../git-tasks.js';
import { gitIn } from '../run-git.js';
import { worktreeGit } from './provision.js';
import type { BatchState } from '../run-state.js';
import type { AgentOutcome } from './run-agent.js';
import { messageOf, type Run } from './start-run.js';

/**
 * Commits the agent's leftovers and records what the branch changed; sets the batch's status from the
 * agent's outcome. False when the batch cannot go on: the agent failed, or its work could not be
 * committed (the batch then counts as failed and its worktree, with the work, is kept).
 */
export async function collect(run: Run, batch: BatchState, agent: AgentOutcome): Promise<boolean> {
  const saved = await saveWork(run, batch, agent.how);
  const status = saved ? agent.status : agent.status === 'done' ? 'failed' : agent.status;
  if (status !== 'done') {
    run.setStatus(batch, status);
    return false;
  }
  batch.status = 'done';
  run.monitor.update(batch.id, { status: 'done' });
  run.save();
  return true;
}

async function saveWork(run: Run, batch: BatchState, how: string): Promise<boolean> {
  const { repo, state } = run;
  try {
    const git = worktreeGit(run, batch.worktree, batch.id);
    if ((await git(gitTasks.status())).length > 0) {
      await git(gitTasks.addAll());
      await git(gitTasks.commit(`fanout: WIP of batch ${batch.id} (agent ${how})\n\nCommitted by fanout: the agent left these changes uncommitted. Run ${state.runId}, attempt ${batch.attempt}.`, run.identity));
    }
  } catch (error) {
    batch.error = `could not commit the agent's work (${messageOf(error)}); it stays uncommitted in ${batch.worktree}`;
    return false;
  }
  const strayed = await adoptHead(run, batch);
  if (strayed !== null) {
    batch.error = strayed;
    return false;
  }
  const ref = `refs/heads/${batch.branch}`;
  const changed = await repo.git(gitTasks.changedFiles(state.base, ref));
  batch.changedFiles = changed.files;
  batch.deletedFiles = changed.deleted;
  batch.head = (await repo.git(gitTasks.resolveCommit(ref))) ?? null;
  run.monitor.update(batch.id, { files: batch.changedFiles.length });
  return batch.head !== null;
}

/**
 * An agent may switch its worktree to another branch or a detached HEAD (and commit there): the worktree's
 * HEAD is then its work, and removing the worktree would orphan those commits. When HEAD builds on the
 * batch branch, the branch is moved to it; otherwise HEAD is kept on a branch of its own and the batch
 * fails, saying where the work is. Returns that message, or null when the batch branch holds the work.
 */
async function adoptHead(run: Run, batch: BatchState): Promise<string | null> {
  const { repo, state } = run;
  const git = gitIn(batch.worktree);
  const ref = `refs/heads/${batch.branch}`;
  const headRef = await git(gitTasks.headRef());
  if (headRef === ref) return null;
  const headCommit = await git(gitTasks.resolveCommit('HEAD'));
  const tip = await repo.git(gitTasks.resolveCommit(ref));
  if (headCommit === undefined || headCommit === tip) return null;
  const where = headRef === undefined ? `a detached HEAD (${headCommit.slice(0, 10)})` : `branch ${headRef.replace(/^refs\/heads\//, '')} (${headCommit.slice(0, 10)})`;
  if (await repo.git(gitTasks.isAncestor(tip ?? state.base, headCommit))) {
    await repo.git(gitTasks.updateRef(ref, headCommit, tip ?? zeroOid(headCommit), `fanout: take the agent's work from ${where}`));
    run.monitor.note(`${batch.id}: the agent left its worktree on ${where}; ${batch.branch} now points there`);
    return null;
  }
  let kept = headRef?.replace(/^refs\/heads\//, '');
  if (kept === undefined) {
    kept = await freeBranch(repo.git, `${batch.branch}-agent-head`);
    await repo.git(gitTasks.updateRef(`refs/heads/${kept}`, headCommit, zeroOid(headCommit), `fanout: keep the agent's detached HEAD of ${batch.id}`));
  }
  return `the agent left its worktree on ${where}, which does not build on ${batch.branch}; its work is kept on branch ${kept}`;
}
