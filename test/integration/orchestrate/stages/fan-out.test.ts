// Fan out: a branch and a worktree per batch at the base, the integration worktree when there is
// something to validate, and on resume a failed attempt's commits kept on a branch of their own.
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { fanOut } from '../../../../src/orchestrate/stages/fan-out.js';
import { disposeStageRuns, node, stageRun } from './fixture.js';

afterEach(disposeStageRuns);

describe('stage: fan out', () => {
  it('adds a worktree and branch per batch at the base, and the integration worktree detached at the base', async () => {
    const { repo, run } = await stageRun({ validate: node('') });
    await fanOut(run, new Set(['alpha', 'beta']));
    const base = run.state.base;
    for (const batch of run.state.batches) {
      expect(batch).toMatchObject({ worktreeExists: true, head: null, error: null });
      expect(repo.git('rev-parse', batch.branch).trim()).toBe(base);
      expect(repo.git('-C', batch.worktree, 'symbolic-ref', 'HEAD').trim()).toBe(`refs/heads/${batch.branch}`);
    }
    const integration = run.state.integration.worktree ?? '';
    expect(existsSync(integration)).toBe(true);
    expect(repo.git('-C', integration, 'rev-parse', 'HEAD').trim()).toBe(base);
    expect(repo.git('branch', '--list', run.state.integration.branch).trim()).toBe('');
  });

  it('makes no integration worktree without a validate command', async () => {
    const { run } = await stageRun();
    await fanOut(run, new Set(['alpha', 'beta']));
    expect(run.state.integration.worktree).toBeNull();
  });

  it('on a rerun, keeps the failed attempt on <branch>-attempt-N and starts again from the base', async () => {
    const { repo, run } = await stageRun();
    const alpha = run.state.batches[0];
    if (!alpha) throw new Error('no batch');
    repo.git('branch', alpha.branch);
    repo.write({ 'src/alpha.ts': 'attempt 1\n' });
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'attempt 1');
    const attempt = repo.git('rev-parse', 'HEAD').trim();
    repo.git('branch', '-f', alpha.branch, attempt);
    repo.git('reset', '-q', '--hard', run.state.base);
    Object.assign(run, { fresh: false });
    alpha.attempt = 2;
    await fanOut(run, new Set(['alpha', 'beta']));
    expect(alpha.keptAttempts).toEqual([`${alpha.branch}-attempt-1`]);
    expect(repo.git('rev-parse', `${alpha.branch}-attempt-1`).trim()).toBe(attempt);
    expect(repo.git('rev-parse', alpha.branch).trim()).toBe(run.state.base);
  });

  it('records a worktree that cannot be created on its batch', async () => {
    const { repo, run } = await stageRun();
    repo.git('branch', 'fanout');
    await fanOut(run, new Set(['alpha', 'beta']));
    for (const batch of run.state.batches) {
      expect(batch.worktreeExists).toBe(false);
      expect(batch.error).toMatch(/^its worktree could not be created: /);
    }
  });
});
