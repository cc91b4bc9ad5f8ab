// Find the culprit, only when the merged result is red (the way a merge queue bisects a failed batch):
// first each batch's branch on its own, in its own worktree, at most one suite per core at once; a batch
// red alone is the culprit. When every batch is green alone, combinations of them, smallest first, merged
// without a ref and validated in the integration worktree, until one is red: only that combination fails.
import { mergeBranches } from '../build-integration.js';
import { gitTasks } from '../git-tasks.js';
import type { Blame, BatchState } from '../run-state.js';
import { agentFinished } from './check.js';
import { worktreeGit } from './provision.js';
import { INTEGRATION_ID } from '../run-paths.js';
import { failBatch, messageOf, type Run } from './start-run.js';
import { validateBatch, validateIn, validateTree } from './validate.js';

/** Combinations tried at most (pairs first): beyond that, the report names the whole set. */
export const MAX_COMBINATIONS = 10;

export async function findCulprit(run: Run, targetTip: string): Promise<Blame | null> {
  const { state } = run;
  if (run.validateWords === null || run.signal.aborted) return null;
  const batches = state.batches.filter((batch) => agentFinished(batch) && batch.head !== state.base);
  run.setPhase('blame');
  run.monitor.note(`the merged result is red: validating the ${batches.length} batch${batches.length === 1 ? '' : 'es'} on their own (at most ${run.validation.size} at once)`);
  await Promise.all(batches.map((batch) => validateBatch(run, batch)));
  if (run.signal.aborted) return null;
  const red = batches.filter((batch) => batch.validation?.ok === false);
  let blame: Blame;
  if (red.length > 0) {
    const ids = red.map((batch) => batch.id);
    blame = { culprits: ids, combination: null, message: red.length === 1 ? `batch ${ids[0]} is red on its own` : `batches ${ids.join(', ')} are red on their own` };
  } else {
    blame = await findCombination(run, batches, targetTip);
  }
  state.blame = blame;
  run.monitor.note(blame.message);
  run.save();
  return blame;
}

async function findCombination(run: Run, batches: readonly BatchState[], targetTip: string): Promise<Blame> {
  const { state } = run;
  const ids = batches.map((batch) => batch.id);
  const targetMoved = targetTip !== state.base;
  // Every batch green alone and the whole set (on the target) red: the smallest red subset, pairs first.
  const tried = combinations(ids, MAX_COMBINATIONS);
  let found: string[] | null = null;
  for (const combo of tried) {
    if (run.signal.aborted) break;
    if (await comboRed(run, batches.filter((batch) => combo.includes(batch.id)))) {
      found = combo;
      break;
    }
  }
  // The integration worktree goes back to the merged result it holds.
  if (state.integration.worktree) await worktreeGit(run, state.integration.worktree, INTEGRATION_ID)(gitTasks.switchTo(state.integration.branch)).catch(() => undefined);
  const all = [...ids, ...(targetMoved ? ['target'] : [])];
  const combination = found ?? all;
  for (const batch of batches.filter((b) => combination.includes(b.id))) {
    const others = combination.filter((id) => id !== batch.id);
    failBatch(run, batch, 'invalid', 'validation', `green on its own, red merged with ${others.map((id) => (id === 'target' ? `the new commits of ${state.startBranch ?? 'the target'}` : id)).join(' + ')}`, state.integration.validation?.log ?? null);
  }
  const searched = found === null && tried.length < subsetsBetween(ids.length) ? ` (${tried.length} smaller combinations tried, all green)` : '';
  const named = combination.map((id) => (id === 'target' ? `the new commits of ${state.startBranch ?? 'the target'}` : id)).join(' + ');
  return {
    culprits: [],
    combination,
    message: ids.length < 2 && !targetMoved ? `batch ${ids[0] ?? '?'} is green on its own but the merged result is red: the validate command may not give the same answer twice` : `every batch is green on its own; only the combination ${named} is red${searched}`,
  };
}

/** Merges the batches (from the base), checks the result out detached in the integration worktree and validates it. */
async function comboRed(run: Run, batches: readonly BatchState[]): Promise<boolean> {
  const { state, repo } = run;
  const cwd = state.integration.worktree;
  if (!cwd) return false;
  const what = batches.map((batch) => batch.id).join('+');
  const merged = await mergeBranches(repo.git, { runId: state.runId, start: state.base, base: state.base, branches: batches.map((b) => ({ id: b.id, head: b.head ?? state.base })), identity: run.identity });
  if (!merged.ok) return true;
  const tree = await repo.git(gitTasks.treeOf(merged.head));
  const result = await validateTree(run, tree, what, async () => {
    try {
      await worktreeGit(run, cwd, INTEGRATION_ID)(gitTasks.switchDetached(merged.head));
    } catch (error) {
      return { ok: true, exitCode: null, timedOut: false, durationMs: 0, log: '', problem: `could not check out ${what}: ${messageOf(error)}` };
    }
    const changed = (await repo.git(gitTasks.changedFiles(state.base, merged.head))).files;
    return validateIn(run, cwd, changed, what);
  });
  return !result.ok;
}

/**
 * The first `max` subsets of 2 to n-1 ids, smallest first, in plan order within a size. Generated only up to
 * `max`: there are 2^n - n - 2 of them, too many to list for a plan of many batches.
 */
export function combinations(ids: readonly string[], max: number): string[][] {
  const out: string[][] = [];
  const pick = (size: number, from: number, chosen: string[]) => {
    if (out.length >= max) return;
    if (chosen.length === size) {
      out.push([...chosen]);
      return;
    }
    for (let i = from; i < ids.length && out.length < max; i++) pick(size, i + 1, [...chosen, ids[i] as string]);
  };
  for (let size = 2; size < ids.length && out.length < max; size++) pick(size, 0, []);
  return out;
}

/** How many subsets of 2 to n-1 of n ids there are. */
export function subsetsBetween(n: number): number {
  return n < 3 ? 0 : 2 ** n - n - 2;
}
