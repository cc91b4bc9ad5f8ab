// Check: out-of-scope and overlapping changes and predicted merge conflicts, before any real branch moves;
// the run is ready to integrate only when every batch finished and nothing conflicts.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { check } from '../../../../src/orchestrate/stages/check.js';
import { collect } from '../../../../src/orchestrate/stages/collect.js';
import { disposeStageRuns, readyWorktrees, stageRun, type StageRun } from './fixture.js';

afterEach(disposeStageRuns);

async function agentsWrite(stage: StageRun, files: Record<string, Record<string, string>>): Promise<void> {
  await readyWorktrees(stage);
  for (const batch of stage.run.state.batches) {
    for (const [path, content] of Object.entries(files[batch.id] ?? {})) {
      mkdirSync(join(batch.worktree, path, '..'), { recursive: true });
      writeFileSync(join(batch.worktree, path), content);
    }
    await collect(stage.run, batch, { status: 'done', how: 'exit 0' });
  }
}

describe('stage: check', () => {
  it('is ready when each batch changed only its files and the merges are clean', async () => {
    const stage = await stageRun();
    await agentsWrite(stage, { alpha: { 'src/alpha.ts': 'a\n' }, beta: { 'src/beta.ts': 'b\n' } });
    expect(await check(stage.run)).toEqual({ ready: true, targetTip: stage.run.state.base });
    expect(stage.run.state.conflicts).toEqual([]);
  });

  it('finds out-of-scope and overlapping changes and marks the batches', async () => {
    const stage = await stageRun();
    await agentsWrite(stage, { alpha: { 'src/alpha.ts': 'a\n', 'src/beta.ts': 'a was here\n' }, beta: { 'src/beta.ts': 'b\n' } });
    const checked = await check(stage.run);
    expect(checked.ready).toBe(false);
    expect(stage.run.state.conflicts.map((c) => c.kind).sort()).toEqual(['merge', 'out-of-scope', 'overlap']);
    expect(stage.run.state.batches.map((b) => b.status)).toEqual(['conflict', 'conflict']);
  });

  it('predicts a conflict with the target when it moved since the start', async () => {
    const stage = await stageRun({ files: { 'shared.md': 'one\n' }, tasks: [{ id: 'alpha', files: ['shared.md'] }, { id: 'beta', files: ['src/beta.ts'] }] });
    await agentsWrite(stage, { alpha: { 'shared.md': 'alpha\n' }, beta: { 'src/beta.ts': 'b\n' } });
    stage.repo.write({ 'shared.md': 'main\n' });
    stage.repo.git('commit', '-qam', 'main moved');
    const checked = await check(stage.run);
    expect(checked.ready).toBe(false);
    expect(checked.targetTip).toBe(stage.repo.git('rev-parse', 'main').trim());
    expect(stage.run.state.conflicts).toEqual([expect.objectContaining({ kind: 'merge', batches: ['target', 'alpha'], files: ['shared.md'] })]);
  });

  it('is not ready while a batch did not finish', async () => {
    const stage = await stageRun();
    await agentsWrite(stage, { alpha: { 'src/alpha.ts': 'a\n' } });
    const beta = stage.run.state.batches[1];
    if (beta) beta.status = 'failed';
    expect((await check(stage.run)).ready).toBe(false);
  });
});
