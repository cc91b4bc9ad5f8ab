// The integration branch without a checkout: for each batch, merge-tree --write-tree then commit-tree with
// two parents (history shows every batch), and one update-ref at the end. mergeBranches is the same
// without the ref: combinations of batches are merged that way while looking for the culprit of a red result.
import { gitTasks, zeroOid } from './git-tasks.js';
import type { Git } from './run-git.js';
import type { Conflict } from './run-state.js';

export interface IntegrationInput {
  runId: string;
  /** Where the integration starts: the target's tip (or the base for --into). */
  start: string;
  /** The commit every batch started from. */
  base: string;
  /** In dependency order. */
  branches: ReadonlyArray<{ id: string; head: string }>;
  /** refs/heads/fanout/<run-id>/integration */
  ref: string;
  identity: string[];
}

export type IntegrationResult = { ok: true; head: string } | { ok: false; conflict: Conflict };

export async function buildIntegration(git: Git, input: IntegrationInput): Promise<IntegrationResult> {
  const merged = await mergeBranches(git, input);
  if (!merged.ok) return merged;
  await git(gitTasks.updateRef(input.ref, merged.head, zeroOid(merged.head), `fanout: integration of run ${input.runId}`));
  return merged;
}

/** The same merges, no ref moved: a commit holding the branches merged (a combination tried while looking for a culprit). */
export async function mergeBranches(git: Git, input: Omit<IntegrationInput, 'ref'>): Promise<IntegrationResult> {
  let head = input.start;
  for (const branch of input.branches) {
    // A batch with no commits of its own: a merge would add nothing.
    if (branch.head === head || branch.head === input.base) continue;
    const merge = await git(gitTasks.mergeTree(head, branch.head));
    if (!merge.clean) {
      return {
        ok: false,
        conflict: { kind: 'merge', batches: [branch.id], files: merge.conflicts, message: `merging ${branch.id} into the integration branch conflicts in ${merge.conflicts.join(', ')}` },
      };
    }
    head = await git(gitTasks.commitTree(merge.tree, [head, branch.head], `fanout: merge batch ${branch.id}\n\nRun ${input.runId}.`, input.identity));
  }
  return { ok: true, head };
}
