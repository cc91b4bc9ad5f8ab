// Collect: whatever the agent left is committed on its branch (never what provisioning put there), what
// the branch changed is recorded, and the batch gets its status from how the agent ended.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collect } from '../../../../src/orchestrate/stages/collect.js';
import { FINISHED_EARLIER } from '../../../../src/orchestrate/stages/run-agent.js';
import { disposeStageRuns, readyWorktrees, stageRun } from './fixture.js';

afterEach(disposeStageRuns);

describe('stage: collect', () => {
  it('commits the agent\'s leftovers without what provisioning put there, and records the changed files', async () => {
    const stage = await stageRun({ files: { '.gitignore': 'node_modules/\n' }, ignored: ['node_modules/'], provision: { how: 'symlink', dirs: [], skip: [] } });
    stage.repo.write({ 'node_modules/x/index.js': 'x\n' });
    await readyWorktrees(stage);
    const alpha = stage.run.state.batches[0];
    if (!alpha) throw new Error('no batch');
    writeFileSync(join(alpha.worktree, 'src.alpha.tmp'), '');
    writeFileSync(join(alpha.worktree, 'README.md'), '# changed by alpha\n');
    expect(await collect(stage.run, alpha, { status: 'done', how: 'exit 0' })).toBe(true);
    expect(alpha.status).toBe('done');
    expect(alpha.changedFiles.sort()).toEqual(['README.md', 'src.alpha.tmp']);
    expect(alpha.head).toBe(stage.repo.git('rev-parse', alpha.branch).trim());
    expect(stage.repo.git('log', '-1', '--format=%s', alpha.branch)).toContain('fanout: WIP of batch alpha (agent exit 0)');
    expect(stage.repo.git('ls-tree', '-r', '--name-only', alpha.branch)).not.toContain('node_modules');
  });

  it('saves a failed agent\'s work too, and keeps its status', async () => {
    const stage = await stageRun();
    await readyWorktrees(stage);
    const alpha = stage.run.state.batches[0];
    if (!alpha) throw new Error('no batch');
    writeFileSync(join(alpha.worktree, 'half.txt'), 'half done\n');
    expect(await collect(stage.run, alpha, { status: 'timeout', how: 'timed out' })).toBe(false);
    expect(alpha.status).toBe('timeout');
    expect(stage.repo.git('show', `${alpha.branch}:half.txt`)).toBe('half done\n');
  });

  it('takes the agent\'s work from a branch it switched to, when that builds on the batch branch', async () => {
    const stage = await stageRun();
    await readyWorktrees(stage);
    const beta = stage.run.state.batches[1];
    if (!beta) throw new Error('no batch');
    const git = (...args: string[]) => stage.repo.git('-C', beta.worktree, ...args);
    git('checkout', '-q', '-b', 'elsewhere');
    mkdirSync(join(beta.worktree, 'src'));
    writeFileSync(join(beta.worktree, 'src', 'beta.ts'), 'beta\n');
    git('add', '-A');
    git('commit', '-q', '-m', 'on another branch');
    expect(await collect(stage.run, beta, FINISHED_EARLIER)).toBe(true);
    expect(stage.repo.git('rev-parse', beta.branch).trim()).toBe(stage.repo.git('rev-parse', 'elsewhere').trim());
    expect(beta.changedFiles).toEqual(['src/beta.ts']);
  });

  it('fails a batch whose work cannot be committed, saying where it stays', async () => {
    const stage = await stageRun();
    await readyWorktrees(stage);
    const alpha = stage.run.state.batches[0];
    if (!alpha) throw new Error('no batch');
    writeFileSync(join(alpha.worktree, 'work.txt'), 'work\n');
    const gitDir = stage.repo.git('-C', alpha.worktree, 'rev-parse', '--git-dir').trim();
    writeFileSync(join(gitDir, 'index.lock'), '');
    expect(await collect(stage.run, alpha, { status: 'done', how: 'exit 0' })).toBe(false);
    expect(alpha.status).toBe('failed');
    expect(alpha.error).toContain(`it stays uncommitted in ${alpha.worktree}`);
  });
});
