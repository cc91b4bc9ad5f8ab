// Each batch may change only its declared files, and no file may be changed by two batches. Pure: it
// compares what each branch changed (git diff base..branch) with the plan.
import type { Conflict } from './run-state.js';

export interface ChangedBatch {
  id: string;
  files: readonly string[];
  changedFiles: readonly string[];
}

export function findScopeConflicts(batches: readonly ChangedBatch[]): Conflict[] {
  const conflicts: Conflict[] = [];
  for (const batch of batches) {
    const declared = new Set(batch.files);
    const outside = batch.changedFiles.filter((file) => !declared.has(file));
    if (outside.length > 0) {
      conflicts.push({
        kind: 'out-of-scope',
        batches: [batch.id],
        files: outside,
        message: `${batch.id} changed ${outside.length} file${outside.length === 1 ? '' : 's'} outside its batch: ${outside.join(', ')}`,
      });
    }
  }
  const owners = new Map<string, string[]>();
  for (const batch of batches) {
    for (const file of new Set(batch.changedFiles)) owners.set(file, [...(owners.get(file) ?? []), batch.id]);
  }
  const byPair = new Map<string, { batches: string[]; files: string[] }>();
  for (const [file, ids] of owners) {
    if (ids.length < 2) continue;
    const key = ids.join('\0');
    const entry = byPair.get(key) ?? { batches: ids, files: [] };
    entry.files.push(file);
    byPair.set(key, entry);
  }
  for (const { batches: ids, files } of byPair.values()) {
    conflicts.push({ kind: 'overlap', batches: ids, files, message: `${ids.join(' and ')} all changed ${files.join(', ')}` });
  }
  return conflicts;
}
