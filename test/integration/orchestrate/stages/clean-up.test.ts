// Clean up: worktrees whose work is saved are detached at once and deleted in the background, a worktree
// that may hold unsaved work is kept, merged branches go and unmerged ones stay.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanUp } from '../../../../src/orchestrate/stages/clean-up.js';
import { integrate } from '../../../../src/orchestrate/stages/integrate.js';
import { land } from '../../../../src/orchestrate/stages/land.js';
import { deleted, worktrees } from '../helpers.js';
import { disposeStageRuns, stageRun } from './fixture.js';
import { agentsDone } from './helpers.js';

afterEach(disposeStageRuns);

describe('stage: clean up', () => {
  it('detaches saved worktrees and the run store at once, deletes them in the background, and deletes merged branches', async () => {
    const stage = await stageRun({ files: { '.gitignore': 'node_modules/\n' }, ignored: ['node_modules/'], provision: { how: 'hardlink', dirs: [], skip: [] } });
    stage.repo.write({ 'node_modules/dep/index.js': 'x\n' });
    const provisioning = await agentsDone(stage);
    const result = await integrate(stage.run, stage.run.state.base);
    if (!result.ok) throw new Error('expected a clean integration');
    await land(stage.run, stage.run.state.base, result.head);
    const cleanup = await cleanUp(stage.run, provisioning);
    expect(cleanup.removedWorktrees.sort()).toEqual(stage.run.state.batches.map((b) => b.worktree).sort());
    expect(worktrees(stage.repo)).toEqual([]);
    expect(stage.run.state.batches.every((b) => !b.worktreeExists)).toBe(true);
    expect(cleanup.deletedBranches.sort()).toEqual(stage.run.state.batches.map((b) => b.branch).concat(stage.run.state.integration.branch).sort());
    for (const batch of stage.run.state.batches) expect(existsSync(batch.worktree)).toBe(false);
    await deleted(stage.run.paths.worktreesRoot);
    expect(existsSync(join(stage.repo.dir, 'node_modules/dep/index.js'))).toBe(true);
  });

  it('keeps a worktree whose work was never saved and has changes, and its branch', async () => {
    const stage = await stageRun();
    const provisioning = await agentsDone(stage);
    const beta = stage.run.state.batches[1];
    if (!beta) throw new Error('no batch');
    beta.head = null;
    beta.status = 'failed';
    writeFileSync(join(beta.worktree, 'unsaved.txt'), 'not committed\n');
    const cleanup = await cleanUp(stage.run, provisioning);
    expect(cleanup.keptWorktrees).toEqual([{ path: beta.worktree, reason: 'it has uncommitted changes (commit them on its branch, or remove it yourself)' }]);
    expect(existsSync(join(beta.worktree, 'unsaved.txt'))).toBe(true);
    expect(cleanup.keptBranches.map((b) => b.branch)).toContain(beta.branch);
    expect(stage.run.state.notes.join('\n')).toContain(`Kept worktree ${beta.worktree}`);
    await deleted(stage.run.paths.trash);
    expect(readdirSync(stage.run.paths.worktreesDir)).toEqual(['beta']);
  });

  it('--keep-worktrees keeps every worktree', async () => {
    const stage = await stageRun({ keepWorktrees: true });
    const provisioning = await agentsDone(stage);
    const cleanup = await cleanUp(stage.run, provisioning);
    expect(cleanup.keptWorktrees.map((w) => w.reason)).toEqual(['--keep-worktrees', '--keep-worktrees']);
    expect(worktrees(stage.repo)).toHaveLength(2);
  });
});
