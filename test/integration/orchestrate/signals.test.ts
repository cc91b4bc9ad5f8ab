// Ctrl-C in the middle of a run, with the built CLI as a child process: exit 130, agents killed,
// their work committed, worktrees removed, the lock released.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TempRepo } from '../../helpers/temp-repo.js';
import { agentFlag, CLI, deleted, dispose, fanoutBranches, filesAt, head, isAlive, markers, planText, readJson, repoWithPlan, runDirs, startCli, TWELVE, waitFor, worktreeRoot, worktrees } from './helpers.js';

const repos: TempRepo[] = [];
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const repo of repos.splice(0)) dispose(repo);
  for (const cleanup of cleanups.splice(0)) cleanup();
});
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
});

describe('fanout orchestrate: interrupted', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    it(`${signal} mid-run: exit ${code}, agents killed, their work committed, worktrees removed`, async () => {
      const repo = repoWithPlan(planText('Interrupted', TWELVE));
      repos.push(repo);
      const base = head(repo);
      const marks = markers();
      cleanups.push(marks.cleanup);
      const cli = startCli(['orchestrate', repo.plan, '--agent', agentFlag('hang'), '--validate', ''], repo.dir, { FANOUT_TEST_MARKERS: marks.dir });
      // Every agent has written its files and is hanging.
      await waitFor(() => readdirSync(marks.dir).filter((f) => f.endsWith('.pid')).length === 3, 20_000, 'three running agents');
      const pids = readdirSync(marks.dir).map((f) => Number(readFileSync(`${marks.dir}/${f}`, 'utf8')));
      cli.child.kill(signal);
      const result = await cli.done;
      expect(result.code, result.stderr).toBe(code);
      for (const pid of pids) expect(isAlive(pid)).toBe(false);
      expect(head(repo, 'main')).toBe(base);
      expect(worktrees(repo)).toEqual([]);
      await deleted(worktreeRoot(repo));
      expect(existsSync(`${repo.dir}/.git/fanout/lock`)).toBe(false);
      // Each agent's files were committed on its branch before the worktree went.
      const branches = fanoutBranches(repo);
      expect(branches).toHaveLength(3);
      for (const branch of branches) {
        expect(repo.git('log', '-1', '--format=%s', branch)).toContain('fanout: WIP');
        expect(filesAt(repo, branch).filter((f) => f.startsWith('src/'))).toHaveLength(4);
      }
      const [runId] = runDirs(repo);
      const report = readJson<{ status: string }>(`${repo.dir}/.git/fanout/runs/${runId}/report.json`);
      expect(report.status).toBe('interrupted');
      expect(result.stdout).toContain('interrupted');
    });
  }
  it('stdout and stderr closed mid-run (`| head`): the run still finishes, merges and cleans up', async () => {
    const repo = repoWithPlan(planText('Closed pipes', TWELVE));
    repos.push(repo);
    const base = head(repo);
    const cli = startCli(['orchestrate', repo.plan, '--agent', agentFlag('write-files', '--sleep', '300'), '--validate', ''], repo.dir);
    // Like `| head -1`: the reader goes away after the first line of progress.
    await waitFor(() => cli.output().stderr.length > 0, 20_000, 'the first line of progress');
    cli.child.stdout.destroy();
    cli.child.stderr.destroy();
    const result = await cli.done;
    expect(result.code).toBe(0);
    expect(head(repo, 'main')).not.toBe(base);
    expect(filesAt(repo, 'main').filter((f) => f.startsWith('src/'))).toHaveLength(12);
    expect(worktrees(repo)).toEqual([]);
    await deleted(worktreeRoot(repo));
    expect(existsSync(`${repo.dir}/.git/fanout/lock`)).toBe(false);
    expect(fanoutBranches(repo)).toEqual([]);
  });
  it("Ctrl-C in the terminal (SIGINT to fanout's whole process group) while fanout commits an agent's work: the commit completes", async () => {
    const repo = repoWithPlan(planText('Ctrl-C while committing', TWELVE));
    repos.push(repo);
    const marks = markers();
    cleanups.push(marks.cleanup);
    // A slow clean filter keeps fanout's `git add -A` busy long enough to press Ctrl-C during it.
    repo.git('config', 'filter.slow.clean', `touch '${marks.dir}/adding'; sleep 0.5; cat`);
    repo.write({ '.git/info/attributes': 'src/** filter=slow\n' });
    // detached: the CLI leads its own process group, like a shell's foreground job.
    const child = spawn(process.execPath, [CLI, 'orchestrate', repo.plan, '--agent', agentFlag('write-files'), '--validate', ''], { cwd: repo.dir, detached: true, stdio: 'ignore' });
    const done = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    await waitFor(() => existsSync(`${marks.dir}/adding`), 20_000, "fanout's git add of an agent's work");
    process.kill(-(child.pid ?? 0), 'SIGINT');
    expect(await done).toBe(130);
    expect(worktrees(repo)).toEqual([]);
    await deleted(worktreeRoot(repo));
    const [runId] = runDirs(repo);
    const state = readJson<{ batches: Array<{ id: string; branch: string; files: string[]; exitCode: number | null; error: string | null }> }>(`${repo.dir}/.git/fanout/runs/${runId}/state.json`);
    expect(state.batches.map((b) => b.error)).toEqual([null, null, null]);
    // Every agent that finished before the Ctrl-C has its files committed on its branch.
    const finished = state.batches.filter((b) => b.exitCode === 0);
    expect(finished.length).toBeGreaterThan(0);
    for (const batch of finished) expect(filesAt(repo, batch.branch)).toEqual(expect.arrayContaining(batch.files));
  });
});
