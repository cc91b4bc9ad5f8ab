// A Ctrl-C (or closed terminal) that hits one of fanout's own git commands as it starts: the command runs
// again, so an agent's work still gets committed. The window (between fork and setsid, where libuv keeps the
// signal pending until just before exec) is microseconds wide; a git wrapper on PATH stands in for it by
// killing itself with the signal on the calls it is told to.
import { chmodSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gitTasks } from '../../../src/orchestrate/git-tasks.js';
import { gitIn } from '../../../src/orchestrate/run-git.js';
import { tempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { agent, dispose, filesAt, planText, repoWithPlan, run, TWELVE, worktrees } from './helpers.js';

const repos: TempRepo[] = [];
const dirs: string[] = [];
const savedEnv = { ...process.env };
afterEach(() => {
  for (const key of Object.keys(process.env)) if (!(key in savedEnv)) delete process.env[key];
  Object.assign(process.env, savedEnv);
  for (const repo of repos.splice(0)) dispose(repo);
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function realGit(): string {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) if (dir && existsSync(join(dir, 'git'))) return join(dir, 'git');
  throw new Error('git is not on PATH');
}

/**
 * Puts a `git` first on PATH that logs every call and kills itself with `signal` on the first `times` calls
 * whose arguments start with `match` (the rest run the real git). Returns the log's lines.
 */
function gitThatDies(signal: string, times: number, match: string): () => string[] {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-git-wrapper-')));
  dirs.push(dir);
  const log = join(dir, 'calls.log');
  writeFileSync(log, '');
  // mkdir is atomic: concurrent calls (three batches collecting at once) claim the kills one by one.
  // Matched and logged without the `-c key=value` settings before the command (fanout passes a worktree's
  // excludes file that way).
  const script = [
    '#!/bin/sh',
    'command=$(while [ "$1" = "-c" ]; do shift 2; done; printf "%s" "$*")',
    'case "$command" in',
    '  "$FANOUT_TEST_GIT_MATCH"*)',
    '    i=1',
    '    while [ "$i" -le "$FANOUT_TEST_GIT_TIMES" ]; do',
    '      if mkdir "$FANOUT_TEST_GIT_LOG.kill.$i" 2>/dev/null; then echo "killed: $command" >> "$FANOUT_TEST_GIT_LOG"; kill -s "$FANOUT_TEST_GIT_SIGNAL" $$; fi',
    '      i=$((i + 1))',
    '    done ;;',
    'esac',
    'echo "ran: $command" >> "$FANOUT_TEST_GIT_LOG"',
    `exec '${realGit()}' "$@"`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'git'), script);
  chmodSync(join(dir, 'git'), 0o755);
  Object.assign(process.env, {
    PATH: `${dir}${delimiter}${process.env['PATH'] ?? ''}`,
    FANOUT_TEST_GIT_LOG: log,
    FANOUT_TEST_GIT_MATCH: match,
    FANOUT_TEST_GIT_TIMES: String(times),
    FANOUT_TEST_GIT_SIGNAL: signal.replace(/^SIG/, ''),
  });
  return () => readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

describe("fanout's git commands and a signal to the terminal's process group", () => {
  it.each(['SIGINT', 'SIGHUP', 'SIGTERM'])('a git command killed by %s as it starts runs again and answers', async (signal) => {
    const repo = tempRepo({ 'README.md': '# x\n' });
    repos.push(repo);
    repo.write({ 'new.txt': 'new\n' });
    const calls = gitThatDies(signal, 1, 'status');
    const status = await gitIn(repo.dir)(gitTasks.status());
    expect(status).toEqual([{ code: '??', path: 'new.txt' }]);
    expect(calls()).toEqual(['killed: status --porcelain=v1 -z --untracked-files=all', 'ran: status --porcelain=v1 -z --untracked-files=all']);
  });

  it('a git command killed by any other signal fails at once, naming the signal', async () => {
    const repo = tempRepo({ 'README.md': '# x\n' });
    repos.push(repo);
    const calls = gitThatDies('SIGKILL', 1, 'status');
    await expect(gitIn(repo.dir)(gitTasks.status())).rejects.toMatchObject({ code: 'git-failed', message: expect.stringContaining('SIGKILL') });
    expect(calls()).toHaveLength(1);
  });

  it('gives up after four attempts when every one is killed', async () => {
    const repo = tempRepo({ 'README.md': '# x\n' });
    repos.push(repo);
    const calls = gitThatDies('SIGINT', 99, 'status');
    await expect(gitIn(repo.dir)(gitTasks.status())).rejects.toMatchObject({ code: 'git-failed', message: expect.stringContaining('SIGINT') });
    expect(calls()).toHaveLength(4);
  });

  it("a run whose `git add` of an agent's work is killed by SIGINT as it starts still commits that work and merges", async () => {
    const repo = repoWithPlan(planText('Killed git add', TWELVE));
    repos.push(repo);
    const calls = gitThatDies('SIGINT', 3, 'add -A');
    const outcome = await run(repo, { agent: agent('write-files') });
    expect(calls().filter((call) => call.startsWith('killed: add -A')), 'git add calls the wrapper killed').toHaveLength(3);
    expect(outcome.state.batches.map((b) => b.error)).toEqual([null, null, null]);
    expect(outcome.report.status).toBe('merged');
    for (const task of TWELVE) expect(filesAt(repo, 'main')).toContain(task.files[0]);
    expect(worktrees(repo)).toEqual([]);
  });
});
