// Integrate: the batches' branches merged into the integration branch without a checkout, one two-parent
// merge per batch; a merge that conflicts stops it and is recorded.
import { afterEach, describe, expect, it } from 'vitest';
import { integrate } from '../../../../src/orchestrate/stages/integrate.js';
import { disposeStageRuns, stageRun } from './fixture.js';
import { agentsDone } from './helpers.js';

afterEach(disposeStageRuns);

describe('stage: integrate', () => {
  it('merges every batch into the integration branch, one two-parent commit each', async () => {
    const stage = await stageRun();
    await agentsDone(stage);
    const result = await integrate(stage.run, stage.run.state.base);
    if (!result.ok) throw new Error('expected a clean integration');
    expect(stage.run.state.integration.head).toBe(result.head);
    expect(stage.repo.git('rev-parse', stage.run.state.integration.branch).trim()).toBe(result.head);
    expect(stage.repo.git('ls-tree', '-r', '--name-only', result.head).split('\n').filter(Boolean).sort()).toEqual(['README.md', 'src/alpha.ts', 'src/beta.ts']);
    expect(stage.repo.git('log', '--merges', '--format=%s', result.head).trim().split('\n')).toEqual(['fanout: merge batch beta', 'fanout: merge batch alpha']);
  });

  it('records a merge that conflicts and creates no branch', async () => {
    const stage = await stageRun({ files: { 'shared.md': 'base\n' } });
    await agentsDone(stage, { alpha: { 'shared.md': 'alpha\n' }, beta: { 'shared.md': 'beta\n' } });
    expect(await integrate(stage.run, stage.run.state.base)).toEqual({ ok: false });
    expect(stage.run.state.conflicts).toEqual([expect.objectContaining({ kind: 'merge', batches: ['beta'], files: ['shared.md'] })]);
    expect(stage.repo.git('branch', '--list', stage.run.state.integration.branch)).toBe('');
  });
});
