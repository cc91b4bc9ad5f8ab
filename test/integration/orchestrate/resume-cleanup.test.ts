// `fanout resume` finishes a run whose failed batch now succeeds; `fanout cleanup` sweeps a crashed run
// but keeps a dirty worktree and an unmerged branch.
import { existsSync, writeFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanupRuns, listRuns } from '../../../src/orchestrate/index.js';
import type { TempRepo } from '../../helpers/temp-repo.js';
import { agent, agentFlag, CLI, cliSync, deleted, dispose, fanoutBranches, filesAt, head, isAlive, markers, planText, readJson, readyAgents, repoWithPlan, resume, run, startCli, TWELVE, waitFor, worktreeRoot, worktrees } from './helpers.js';

const repos: TempRepo[] = [];
const cleanups: Array<() => void> = [];
afterEach(() => {
  // Last registered first (stray agents are killed before their markers dir goes), then the repos.
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  for (const repo of repos.splice(0)) dispose(repo);
});
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
});

describe('fanout resume', () => {
  it('re-runs only the failed batch from the same base and merges the whole run', async () => {
    const repo = repoWithPlan(planText('Resume', TWELVE));
    repos.push(repo);
    const base = head(repo);
    const first = await run(repo, { agent: agent('exit-1-after-write', '--only', 'web-1-and-3-more') });
    expect(first.report.status).toBe('failed');
    const api = first.state.batches.find((b) => b.id === 'api-1-and-3-more');
    const apiHead = api?.head;

    const second = await resume(repo, { runId: first.report.runId, agent: agent('write-files') });
    expect(second.report.status).toBe('merged');
    expect(second.exitCode).toBe(0);
    expect(second.report.runId).toBe(first.report.runId);
    expect(second.report.base).toBe(base);
    // Only web ran again (attempt 2); api and cli kept their commits from the first run.
    const web = second.state.batches.find((b) => b.id === 'web-1-and-3-more');
    expect(web?.attempt).toBe(2);
    expect(second.state.batches.find((b) => b.id === 'api-1-and-3-more')?.attempt).toBe(1);
    expect(repo.git('merge-base', '--is-ancestor', apiHead ?? '', 'main')).toBe('');
    for (const task of TWELVE) expect(filesAt(repo, 'main')).toContain(task.files[0]);
    // The failed attempt's commits are kept on their own branch; everything merged is gone.
    expect(web?.keptAttempts).toEqual([`${web?.branch}-attempt-1`]);
    expect(fanoutBranches(repo)).toEqual([`${web?.branch}-attempt-1`]);
    expect(worktrees(repo)).toEqual([]);
  });

  it('resumes a crashed run after cleanup kept its dirty worktrees: their work committed and kept, the batches re-run and merged', async () => {
    const repo = repoWithPlan(planText('Crash then resume', TWELVE));
    repos.push(repo);
    const marks = markers();
    cleanups.push(marks.cleanup);
    const cli = startCli(['orchestrate', repo.plan, '--agent', agentFlag('hang'), '--validate', ''], repo.dir, { FANOUT_TEST_MARKERS: marks.dir });
    const pids = await readyAgents(marks.dir, 3, () => cli.output().stderr);
    // If an assertion fails before cleanup stops them, the orphaned agents must not outlive the test.
    cleanups.push(() => pids.forEach((pid) => isAlive(pid) && process.kill(pid, 'SIGKILL')));
    cli.child.kill('SIGKILL');
    await cli.finished();
    expect(worktrees(repo)).toHaveLength(3);
    const runId = (await listRuns({ cwd: repo.dir })).runs[0]?.runId ?? '';
    // The stale lock is reported, not taken: cleanup clears it, stops the agents and keeps the dirty worktrees.
    expect(cliSync(['resume', runId], repo.dir).stderr).toContain('stale fanout lock');
    const swept = await cleanupRuns({ cwd: repo.dir });
    expect(swept.runs[0]?.keptWorktrees).toHaveLength(3);

    const resumed = cliSync(['resume', runId, '--agent', agentFlag('write-files'), '--validate', ''], repo.dir);
    expect(resumed.code, resumed.stderr).toBe(0);
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    for (const task of TWELVE) expect(filesAt(repo, 'main')).toContain(task.files[0]);
    expect(worktrees(repo)).toEqual([]);
    // What the killed agents had written, uncommitted, is now a commit on each batch's kept attempt branch.
    const kept = fanoutBranches(repo);
    expect(kept).toHaveLength(3);
    for (const branch of kept) {
      expect(branch).toMatch(/-attempt-1$/);
      expect(repo.git('log', '-1', '--format=%s', branch)).toContain('interrupted run');
    }
  });

  it('refuses a run that is already merged', async () => {
    const repo = repoWithPlan(planText('Resume', TWELVE));
    repos.push(repo);
    const first = await run(repo, { agent: agent('write-files') });
    await expect(resume(repo, { runId: first.report.runId })).rejects.toMatchObject({ code: 'run-merged' });
  });
});

describe('a run whose state.json is corrupt', () => {
  it('status lists it as unreadable (text and JSON), resume refuses it clearly, and its branches stay', async () => {
    const repo = repoWithPlan(planText('Corrupt', TWELVE));
    repos.push(repo);
    const first = await run(repo, { agent: agent('exit-1-after-write', '--only', 'web-1-and-3-more') });
    const runId = first.report.runId;
    const stateFile = `${repo.dir}/.git/fanout/runs/${runId}/state.json`;
    const kept = fanoutBranches(repo);
    expect(kept).toHaveLength(3);
    for (const [content, problem] of [
      ['{bad', 'not valid JSON'],
      ['{"version": 1, "runId": "x"}', 'not a fanout run state'],
      ['[]', 'not a fanout run state'],
    ] as const) {
      writeFileSync(stateFile, content);
      const status = await listRuns({ cwd: repo.dir });
      expect(status.runs).toEqual([]);
      expect(status.unreadable).toEqual([{ runId, file: stateFile, problem: expect.stringContaining(problem) }]);
      const text = cliSync(['status'], repo.dir);
      expect(text.code).toBe(0);
      expect(text.stdout).toContain(`Unreadable: run ${runId}`);
      expect(text.stdout).not.toContain('No runs in this repo yet');
      const resumed = cliSync(['resume', runId, '--agent', agentFlag('write-files')], repo.dir);
      expect(resumed.code, resumed.stderr).toBe(1);
      expect(resumed.stderr).toContain(problem);
      expect(resumed.stderr).not.toContain('internal error');
    }
    expect(cliSync(['resume', '../../etc'], repo.dir).stderr).toContain('is not a run id');
    expect(cliSync(['cleanup', '--run', '..'], repo.dir).stderr).toContain('is not a run id');
    expect(fanoutBranches(repo)).toEqual(kept);
  });
});

describe('fanout cleanup', () => {
  it('sweeps a crashed run: stray agents stopped, clean worktrees removed, a dirty one kept, merged branches deleted, unmerged kept, stale lock cleared', async () => {
    const tasks = [...TWELVE, ...[1, 2, 3, 4].map((i) => ({ id: `idle-${i}`, files: [`src/idle/f${i}.ts`], dependsOn: i === 1 ? [] : [`idle-${i - 1}`] }))];
    const repo = repoWithPlan(planText('Crash', tasks));
    repos.push(repo);
    const marks = markers();
    cleanups.push(marks.cleanup);
    // Four agents write their files and hang.
    const cli = startCli(['orchestrate', repo.plan, '--agent', agentFlag('hang'), '--validate', '', '--concurrency', '4'], repo.dir, { FANOUT_TEST_MARKERS: marks.dir });
    const pids = await readyAgents(marks.dir, 4, () => cli.output().stderr);
    cleanups.push(() => pids.forEach((pid) => isAlive(pid) && process.kill(pid, 'SIGKILL')));
    // The fanout process dies without any chance to clean up.
    cli.child.kill('SIGKILL');
    await cli.finished();
    const status = await listRuns({ cwd: repo.dir });
    expect(status.runs[0]?.status).toBe('crashed');
    expect(status.lock?.stale).toBe(true);

    const left = worktrees(repo);
    expect(left).toHaveLength(4);
    const at = (batch: string) => left.find((path) => path.endsWith(`/${batch}-1-and-3-more`)) ?? '';
    const git = (cwd: string, ...args: string[]) => repo.git('-C', cwd, ...args);
    // api: uncommitted agent work (the crash came before fanout could commit it).
    const api = at('api');
    // web: committed, unmerged work.
    git(at('web'), 'add', '-A');
    git(at('web'), 'commit', '-q', '-m', 'web work');
    // cli and idle: made clean, with nothing beyond the base.
    git(at('cli'), 'clean', '-fdq');
    git(at('idle'), 'clean', '-fdq');

    const report = await cleanupRuns({ cwd: repo.dir });
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
    const swept = report.runs[0];
    expect(swept?.killedProcesses).toBeGreaterThanOrEqual(4);
    expect(worktrees(repo)).toEqual([api]);
    expect(swept?.keptWorktrees.map((w) => w.path)).toEqual([api]);
    expect(swept?.keptWorktrees[0]?.reason).toContain('uncommitted changes');
    expect(existsSync(`${api}/src/api/f1.ts`)).toBe(true);
    const branches = fanoutBranches(repo);
    // api: checked out in the kept worktree; web: unmerged commits; cli and idle: nothing beyond the base.
    expect(branches.some((b) => b.endsWith('/api-1-and-3-more'))).toBe(true);
    expect(branches.some((b) => b.endsWith('/web-1-and-3-more'))).toBe(true);
    expect(branches).toHaveLength(2);
    expect(filesAt(repo, branches.find((b) => b.endsWith('/web-1-and-3-more')) ?? '')).toContain('src/web/f4.ts');
    expect(report.clearedLock).not.toBeNull();
    expect(existsSync(`${repo.dir}/.git/fanout/lock`)).toBe(false);
    const state = readJson<{ status: string }>(`${repo.dir}/.git/fanout/runs/${swept?.runId}/state.json`);
    expect(state.status).toBe('interrupted');

    // Once the dirty worktree's work is committed, a second sweep removes it and keeps its branch.
    git(api, 'add', '-A');
    git(api, 'commit', '-q', '-m', 'api work');
    await cleanupRuns({ cwd: repo.dir, runId: swept?.runId });
    expect(worktrees(repo)).toEqual([]);
    await deleted(worktreeRoot(repo));
    expect(fanoutBranches(repo)).toHaveLength(2);
  });
});
