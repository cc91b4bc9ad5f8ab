// Interrupted runs, with the built CLI as a child process. The contract: nothing an agent wrote is lost. On
// SIGINT / SIGTERM / SIGHUP the agents (their whole process groups) are stopped before fanout exits, whatever
// they left is committed on their branches, the worktrees are removed and the lock released. A Ctrl-C in the
// terminal, which signals fanout's whole process group, does not stop fanout's own git commands: a commit of
// an agent's work that is under way completes. Every step waits for an event the run shows, never for a time.
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TempRepo } from '../../helpers/temp-repo.js';
import { agentFlag, CLI, deleted, dispose, fanoutBranches, filesAt, head, isAlive, markerPids, markers, planText, readJson, readyAgents, repoWithPlan, runDirs, startCli, TWELVE, waitFor, within, worktreeRoot, worktrees } from './helpers.js';

const repos: TempRepo[] = [];
const cleanups: Array<() => void> = [];
afterEach(() => {
  // Last registered first: stop processes, then release what they wait for, then remove directories.
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  for (const repo of repos.splice(0)) dispose(repo);
});
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
});

interface SavedState {
  status: string;
  batches: Array<{ id: string; branch: string; files: string[]; status: string; exitCode: number | null; error: string | null }>;
}

describe('fanout orchestrate: interrupted', () => {
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]] as const) {
    it(`${signal} mid-run: exit ${code}, agents and their process groups killed, their work committed, worktrees removed`, async () => {
      const repo = repoWithPlan(planText('Interrupted', TWELVE));
      repos.push(repo);
      const base = head(repo);
      const marks = markers();
      cleanups.push(marks.cleanup);
      // Each agent writes its files, starts a process in its group that drops fanout's marker, and hangs.
      const cli = startCli(['orchestrate', repo.plan, '--agent', agentFlag('hang', '--grandchild'), '--validate', ''], repo.dir, { FANOUT_TEST_MARKERS: marks.dir });
      const agents = await readyAgents(marks.dir, 3, () => cli.output().stderr);
      const grandchildren = markerPids(marks.dir, '.grandchild');
      expect(grandchildren).toHaveLength(3);
      // Should an assertion fail first, no agent may outlive the test.
      cleanups.push(() => [...agents, ...grandchildren].forEach((pid) => isAlive(pid) && process.kill(pid, 'SIGKILL')));
      cli.child.kill(signal);
      const result = await cli.finished();
      expect(result.code, result.stderr).toBe(code);
      for (const pid of [...agents, ...grandchildren]) expect(isAlive(pid), `process ${pid} of an agent after fanout exited`).toBe(false);
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
    const marks = markers();
    cleanups.push(marks.cleanup);
    const go = join(marks.dir, 'go');
    cleanups.push(() => writeFileSync(go, ''));
    const cli = startCli(['orchestrate', repo.plan, '--agent', agentFlag('write-files', '--wait-for', go), '--validate', ''], repo.dir, { FANOUT_TEST_MARKERS: marks.dir });
    // Like `| head -1`: the reader goes away after the first line of progress, while every agent is still at work.
    await waitFor(() => cli.output().stderr.length > 0, { timeoutMs: 60_000, what: 'the first line of progress on stderr' });
    await waitFor(() => markerPids(marks.dir, '.waiting').length === 3, { timeoutMs: 60_000, what: 'three agents waiting for their go signal', detail: () => cli.output().stderr });
    cli.child.stdout.destroy();
    cli.child.stderr.destroy();
    // Only now the agents finish: every later line of progress and the report meet closed pipes.
    writeFileSync(go, '');
    const result = await cli.finished();
    expect(result.code).toBe(0);
    expect(head(repo, 'main')).not.toBe(base);
    expect(filesAt(repo, 'main').filter((f) => f.startsWith('src/'))).toHaveLength(12);
    expect(worktrees(repo)).toEqual([]);
    await deleted(worktreeRoot(repo));
    expect(existsSync(`${repo.dir}/.git/fanout/lock`)).toBe(false);
    expect(fanoutBranches(repo)).toEqual([]);
  });

  it("Ctrl-C in the terminal (SIGINT to fanout's whole process group) while fanout commits the agents' work: every commit completes", async () => {
    const repo = repoWithPlan(planText('Ctrl-C while committing', TWELVE));
    repos.push(repo);
    const base = head(repo);
    const marks = markers();
    cleanups.push(marks.cleanup);
    const release = join(marks.dir, 'release');
    cleanups.push(() => writeFileSync(release, ''));
    // A clean filter that holds fanout's `git add -A` of each batch until the test releases it (a minute at
    // most), after saying which worktree it is adding in.
    const filter = `touch '${marks.dir}'/"$(basename "$PWD")".adding; n=0; while [ ! -e '${release}' ] && [ $n -lt 3000 ]; do sleep 0.02; n=$((n + 1)); done; cat`;
    repo.git('config', 'filter.held.clean', filter);
    repo.write({ '.git/info/attributes': 'src/** filter=held\n' });
    // detached: the CLI leads its own process group, like a shell's foreground job.
    const child = spawn(process.execPath, [CLI, 'orchestrate', repo.plan, '--agent', agentFlag('write-files'), '--validate', ''], { cwd: repo.dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.resume();
    const pgid = child.pid;
    if (pgid === undefined) throw new Error('fanout did not start');
    const done = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    cleanups.push(() => child.exitCode === null && child.signalCode === null && process.kill(-pgid, 'SIGKILL'));
    // Every agent has finished and fanout is adding its work in all three worktrees.
    await waitFor(() => ['api', 'web', 'cli'].every((part) => existsSync(`${marks.dir}/${part}-1-and-3-more.adding`)), {
      timeoutMs: 60_000,
      what: "fanout's `git add` in the three batches' worktrees",
      detail: () => stderr,
    });
    process.kill(-pgid, 'SIGINT');
    await waitFor(() => stderr.includes('SIGINT: stopping the agents'), { timeoutMs: 60_000, what: 'fanout to report the SIGINT', detail: () => stderr });
    writeFileSync(release, '');
    const code = await within(done, { timeoutMs: 180_000, what: 'fanout to exit after the Ctrl-C', detail: () => stderr });
    expect(code, stderr).toBe(130);
    const [runId] = runDirs(repo);
    const state = readJson<SavedState>(`${repo.dir}/.git/fanout/runs/${runId}/state.json`);
    expect(state.status).toBe('interrupted');
    expect(state.batches.map((b) => [b.exitCode, b.error])).toEqual([[0, null], [0, null], [0, null]]);
    // The commits of all three agents' work completed: exactly their files, on their branches, in fanout's commit.
    for (const batch of state.batches) {
      expect(filesAt(repo, batch.branch).filter((f) => f.startsWith('src/'))).toEqual([...batch.files].sort());
      expect(repo.git('log', '-1', '--format=%s', batch.branch)).toContain(`fanout: WIP of batch ${batch.id}`);
    }
    // Nothing left uncommitted, so no worktree is kept; nothing merged, so main did not move.
    expect(worktrees(repo)).toEqual([]);
    await deleted(worktreeRoot(repo));
    expect(head(repo, 'main')).toBe(base);
    expect(existsSync(`${repo.dir}/.git/fanout/lock`)).toBe(false);
  });
});
