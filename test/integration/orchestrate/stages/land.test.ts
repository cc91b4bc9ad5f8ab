// Land: the start branch fast-forwarded to the result, only if it is still checked out, has not moved, and
// no untracked or ignored file of the checkout lies where the result writes.
import { afterEach, describe, expect, it } from 'vitest';
import { integrate } from '../../../../src/orchestrate/stages/integrate.js';
import { land } from '../../../../src/orchestrate/stages/land.js';
import { disposeStageRuns, stageRun, type StageRun } from './fixture.js';
import { agentsDone } from './helpers.js';

afterEach(disposeStageRuns);

async function integrated(stage: StageRun): Promise<string> {
  await agentsDone(stage);
  const result = await integrate(stage.run, stage.run.state.base);
  if (!result.ok) throw new Error('expected a clean integration');
  return result.head;
}

describe('stage: land', () => {
  it('fast-forwards the start branch and marks every batch merged', async () => {
    const stage = await stageRun();
    const head = await integrated(stage);
    expect(await land(stage.run, stage.run.state.base, head)).toBe(true);
    expect(stage.repo.git('rev-parse', 'main').trim()).toBe(head);
    expect(stage.run.state.batches.map((b) => b.status)).toEqual(['merged', 'merged']);
    expect(stage.run.state.integration.landedInstall ?? null).toBeNull();
  });

  it('leaves the branch alone when an ignored file appeared where the result writes', async () => {
    const stage = await stageRun();
    const head = await integrated(stage);
    // Ignored in the main checkout only from now on (after the batch committed it), like a build output.
    stage.repo.write({ '.git/info/exclude': 'src/beta.ts\n', 'src/beta.ts': 'the user\'s own, ignored\n' });
    expect(await land(stage.run, stage.run.state.base, head)).toBe(false);
    expect(stage.run.state.error).toContain('the result changes src/beta.ts, which your checkout holds untracked or ignored');
    expect(stage.repo.git('rev-parse', 'main').trim()).toBe(stage.run.state.base);
  });

  it('leaves the branch alone when it moved or is no longer checked out', async () => {
    const stage = await stageRun();
    const head = await integrated(stage);
    stage.repo.git('commit', '-q', '--allow-empty', '-m', 'moved');
    expect(await land(stage.run, stage.run.state.base, head)).toBe(false);
    expect(stage.run.state.error).toBe('main moved while the run was merging, so fanout did not move it');
    stage.repo.git('checkout', '-q', '-b', 'other');
    expect(await land(stage.run, stage.run.state.base, head)).toBe(false);
    expect(stage.run.state.error).toContain('no longer on main (now other)');
  });
});
