// Ctrl-C in the middle of a run, with the built CLI as a child process: exit 130, agents killed,
// their work committed, worktrees removed, the lock released.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TempRepo } from '../../helpers/temp-repo.js';
import { agentFlag, CLI, dispose, fanoutBranches, filesAt, head, isAlive, markers, planText, readJson, repoWithPlan, runDirs, startCli, TWELVE, waitFor, worktreeRoot, worktrees } from './helpers.js';

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
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]] as const) {
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
      expect(existsSync(worktreeRoot(repo))).toBe(false);
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
});
