// Provision: give a new worktree what the main checkout has that git does not carry (the untracked files
// .worktreeinclude lists, e.g. .env). A batch whose worktree could not be created ends here.
import { copyFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { BatchState } from '../run-state.js';
import type { Run } from './start-run.js';

/**
 * False when the batch cannot go on: its worktree is missing (failed), or the run was interrupted (a batch
 * whose agent was to run is interrupted; one that finished earlier keeps its status).
 */
export async function provision(run: Run, batch: BatchState, agentRuns: boolean): Promise<boolean> {
  if (run.signal.aborted) {
    if (agentRuns) run.setStatus(batch, 'interrupted');
    return false;
  }
  if (!batch.worktreeExists) {
    batch.error ??= 'its worktree could not be created';
    run.setStatus(batch, 'failed');
    return false;
  }
  copyIncludes(run, batch.worktree);
  return true;
}

/** The integration worktree gets the same as every batch's. */
export function provisionIntegration(run: Run, path: string): void {
  copyIncludes(run, path);
}

function copyIncludes(run: Run, worktree: string): void {
  for (const file of run.includeFiles) {
    const target = join(worktree, file);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(run.repo.repoRoot, file), target);
  }
}
