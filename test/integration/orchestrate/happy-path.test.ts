// The whole run on a 12-file, 3-component plan: merged, every file on main, nothing of the run left behind.
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { TempRepo } from '../../helpers/temp-repo.js';
import { agent, branches, capture, deleted, dispose, fanoutBranches, filesAt, head, planText, readJson, repoWithPlan, run, runDirs, TWELVE, VALIDATE, worktreeRoot, worktrees } from './helpers.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) dispose(repo);
});

describe('fanout orchestrate: happy path', () => {
  it('merges 12 files in 3 batches into main and leaves no worktree or batch branch', async () => {
    const repo = repoWithPlan(planText('Twelve files', TWELVE, { validate: VALIDATE }));
    repos.push(repo);
    const base = head(repo);
    const progress = capture();
    const outcome = await run(repo, { agent: agent('write-files'), validate: undefined }, progress);

    expect(outcome.report.status, progress.text).toBe('merged');
    expect(outcome.exitCode).toBe(0);
    expect(outcome.report.batches).toHaveLength(3);
    for (const batch of outcome.report.batches) {
      expect(batch.status).toBe('merged');
      expect(batch.changedFiles.sort()).toEqual([...batch.files].sort());
      expect(batch.exitCode).toBe(0);
      expect(existsSync(batch.log)).toBe(true);
    }
    // Every planned file is on main, which moved by fast-forward from the base.
    const onMain = filesAt(repo, 'main');
    for (const task of TWELVE) expect(onMain).toContain(task.files[0]);
    expect(repo.git('merge-base', '--is-ancestor', base, 'main')).toBe('');
    expect(readFileSync(`${repo.dir}/src/api/f1.ts`, 'utf8')).toContain('written by batch');
    // One two-parent merge commit per batch.
    const merges = repo.git('log', '--merges', '--format=%P', `${base}..main`).trim().split('\n');
    expect(merges).toHaveLength(3);
    for (const parents of merges) expect(parents.split(' ')).toHaveLength(2);
    // Nothing of the run is left: worktrees, their directory, batch and integration branches, the lock.
    expect(worktrees(repo)).toEqual([]);
    await deleted(worktreeRoot(repo));
    expect(fanoutBranches(repo)).toEqual([]);
    expect(branches(repo)).toEqual(['main']);
    expect(existsSync(`${repo.dir}/.git/fanout/lock`)).toBe(false);
    expect(repo.git('status', '--porcelain')).toBe('');
    // Validation ran on each batch and on the integration branch.
    expect(outcome.report.validation?.batches.map((v) => v.ok)).toEqual([true, true, true]);
    expect(outcome.report.validation?.integration?.ok).toBe(true);
  });

  it('writes report.json with exactly the documented keys, report.md and state.json', async () => {
    const repo = repoWithPlan(planText('Twelve files', TWELVE));
    repos.push(repo);
    const outcome = await run(repo, { agent: agent('write-files', '--commit') });
    expect(outcome.report.status).toBe('merged');
    const [runId] = runDirs(repo);
    expect(runId).toBe(outcome.report.runId);
    expect(runId).toMatch(/^\d{8}-\d{6}-[0-9a-f]{4}$/);
    const dir = `${repo.dir}/.git/fanout/runs/${runId}`;
    const report = readJson<Record<string, unknown>>(`${dir}/report.json`);
    expect(Object.keys(report).sort()).toEqual(['base', 'batches', 'conflicts', 'runId', 'speedup', 'status', 'target', 'validation'].sort());
    expect(report['target']).toBe('main');
    expect(report['validation']).toBeNull();
    const batches = report['batches'] as Array<Record<string, unknown>>;
    for (const batch of batches) expect(Object.keys(batch).sort()).toEqual(['branch', 'changedFiles', 'durationMs', 'exitCode', 'files', 'id', 'log', 'status'].sort());
    expect(typeof report['speedup']).toBe('number');
    expect(readFileSync(`${dir}/report.md`, 'utf8')).toContain(`# fanout run ${runId}: merged`);
    expect(readJson<{ status: string; phase: string }>(`${dir}/state.json`)).toMatchObject({ status: 'merged', phase: 'done' });
    // The agents committed themselves: no WIP commit was needed.
    expect(repo.git('log', '--format=%s', 'main')).not.toContain('fanout: WIP');
  });

  it('copies .worktreeinclude files, runs --setup first, and --keep-worktrees keeps the worktrees until fanout cleanup', async () => {
    const repo = repoWithPlan(planText('Twelve files', TWELVE), { '.gitignore': '.env.local\n.setup-done\n', '.worktreeinclude': '.env.local\n' });
    repos.push(repo);
    repo.write({ '.env.local': 'SECRET=1\n' });
    const setup = `node -e "require('fs').writeFileSync('.setup-done', process.env.FANOUT_BATCH)"`;
    // The agent fails unless both the copied file and the setup's marker are there.
    const check = `node -e "const fs=require('fs'); if (!fs.existsSync('.env.local') || !fs.existsSync('.setup-done')) process.exit(3)"`;
    const outcome = await run(repo, { agent: agent('write-files'), setup, validate: check, keepWorktrees: true });
    expect(outcome.report.status).toBe('merged');
    const kept = worktrees(repo);
    expect(kept).toHaveLength(4);
    for (const path of kept) expect(readFileSync(`${path}/.env.local`, 'utf8')).toBe('SECRET=1\n');
    expect(outcome.state.notes.join('\n')).toContain('--keep-worktrees');
    const { cleanupRuns } = await import('../../../src/orchestrate/index.js');
    const swept = await cleanupRuns({ cwd: repo.dir });
    expect(swept.runs[0]?.removedWorktrees).toHaveLength(4);
    expect(worktrees(repo)).toEqual([]);
    expect(fanoutBranches(repo)).toEqual([]);
    await deleted(worktreeRoot(repo));
  });

  it('--into leaves main alone and puts the result on a new branch', async () => {
    const repo = repoWithPlan(planText('Twelve files', TWELVE));
    repos.push(repo);
    const before = head(repo);
    const outcome = await run(repo, { agent: agent('write-files'), into: 'result' });
    expect(outcome.report.status).toBe('merged');
    expect(outcome.report.target).toBe('result');
    expect(head(repo, 'main')).toBe(before);
    expect(filesAt(repo, 'result')).toContain('src/web/f4.ts');
    expect(branches(repo)).toEqual(['main', 'result']);
  });
});
