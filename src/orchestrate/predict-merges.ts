// Before any real branch moves: every batch branch merged with every other and with the target as it is
// now, with `git merge-tree --write-tree` (no checkout, no index, nothing to undo). A pair is decided without
// merge-tree only when its diffs prove the merge clean: both branches start at the base, delete nothing (so
// no rename or directory-rename detection can apply) and touch no common path, nor a file and a directory
// of the same name. Every other pair goes through merge-tree.
import { gitTasks } from './git-tasks.js';
import type { Git } from './run-git.js';
import type { Conflict } from './run-state.js';

export interface PredictInput {
  base: string;
  /** The target branch's tip now (it may have moved since the run started). */
  targetTip: string;
  targetName: string;
  branches: ReadonlyArray<{ id: string; head: string; changedFiles: readonly string[]; deletedFiles: readonly string[] }>;
  concurrency?: number;
}

/** Whether two sets of changed paths share a path, or a path of one is a directory of the other's. */
export function pathsCollide(a: readonly string[], b: readonly string[]): boolean {
  const files = new Set(a);
  const dirs = new Set<string>();
  for (const path of a) for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) dirs.add(path.slice(0, i));
  for (const path of b) {
    if (files.has(path) || dirs.has(path)) return true;
    for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) if (files.has(path.slice(0, i))) return true;
  }
  return false;
}

/** Lists the conflicting files of every pair that would not merge cleanly. */
export async function predictMerges(git: Git, input: PredictInput): Promise<Conflict[]> {
  const changed = input.branches.filter((branch) => branch.head !== input.base);
  const pairs: Array<{ a: string; b: string; ours: string; theirs: string }> = [];
  // Against an unmoved target each branch is a fast-forward: nothing to compute.
  if (input.targetTip !== input.base) for (const branch of changed) pairs.push({ a: 'target', b: branch.id, ours: input.targetTip, theirs: branch.head });
  for (let i = 0; i < changed.length; i++) {
    for (let j = i + 1; j < changed.length; j++) {
      const a = changed[i];
      const b = changed[j];
      if (!a || !b) continue;
      const provablyClean = a.deletedFiles.length === 0 && b.deletedFiles.length === 0 && !pathsCollide(a.changedFiles, b.changedFiles);
      if (!provablyClean) pairs.push({ a: a.id, b: b.id, ours: a.head, theirs: b.head });
    }
  }
  const results = await mapLimit(pairs, input.concurrency ?? 2, async (pair) => ({ pair, merge: await git(gitTasks.mergeTree(pair.ours, pair.theirs)) }));
  return results
    .filter(({ merge }) => !merge.clean)
    .map(({ pair, merge }) => {
      const who = pair.a === 'target' ? `${pair.b} and ${input.targetName} (changed since the run started)` : `${pair.a} and ${pair.b}`;
      return {
        kind: 'merge' as const,
        batches: [pair.a, pair.b],
        files: merge.conflicts,
        message: `${who} would conflict in ${merge.conflicts.join(', ') || 'their trees'}`,
      };
    });
}

export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return results;
}
