// Each fault: the run reports it, nothing anyone wrote is lost, main is untouched and no worktree is left.
import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import type { TempRepo } from '../../helpers/temp-repo.js';
import { agent, chains, deleted, dispose, fanoutBranches, filesAt, head, isAlive, markerPids, markers, planText, repoWithPlan, run, TWELVE, VALIDATE, worktreeRoot, worktrees } from './helpers.js';

const repos: TempRepo[] = [];
const cleanups: Array<() => void> = [];
afterEach(() => {
  // Last registered first (stray agents are killed before their markers dir goes), then the repos.
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
  for (const repo of repos.splice(0)) dispose(repo);
});

function setup(tasks = TWELVE, options: { validate?: string } = {}, files: Record<string, string> = {}) {
  const repo = repoWithPlan(planText('Faults', tasks, options), files);
  repos.push(repo);
  return { repo, base: head(repo) };
}

async function expectNothingLeft(repo: TempRepo): Promise<void> {
  expect(worktrees(repo)).toEqual([]);
  await deleted(worktreeRoot(repo));
  expect(existsSync(`${repo.dir}/.git/fanout/lock`)).toBe(false);
  expect(repo.git('status', '--porcelain')).toBe('');
}

describe('fanout orchestrate: faults', () => {
  it('an agent that exits 1 after writing: batch failed, its work kept on its branch, main unchanged', async () => {
    const { repo, base } = setup();
    const outcome = await run(repo, { agent: agent('exit-1-after-write', '--only', 'web-1-and-3-more') });
    expect(outcome.report.status).toBe('failed');
    expect(outcome.exitCode).toBe(1);
    const web = outcome.report.batches.find((b) => b.id === 'web-1-and-3-more');
    expect(web).toMatchObject({ status: 'failed', exitCode: 1 });
    expect(head(repo, 'main')).toBe(base);
    // The failed batch's files are committed on its branch (a WIP commit), kept because unmerged.
    expect(filesAt(repo, web?.branch ?? '')).toEqual(expect.arrayContaining(['src/web/f1.ts', 'src/web/f4.ts']));
    expect(repo.git('log', '-1', '--format=%s', web?.branch ?? '')).toContain('fanout: WIP of batch web-1-and-3-more');
    // The successful batches' work is kept too: nothing was merged, so nothing may be deleted.
    expect(fanoutBranches(repo).sort()).toEqual(outcome.report.batches.map((b) => b.branch).sort());
    await expectNothingLeft(repo);
    expect(outcome.state.notes.join('\n')).toContain(`fanout resume ${outcome.report.runId}`);
  });

  it('an agent that hangs past --timeout: its process group is killed (SIGKILL after SIGTERM is ignored), work kept', async () => {
    const { repo, base } = setup();
    const marks = markers();
    cleanups.push(marks.cleanup);
    process.env['FANOUT_TEST_MARKERS'] = marks.dir;
    // The one wait here that is a time, because the timeout is what is tested: generous enough that the agent
    // has written its files and ignores SIGTERM long before it, however busy the machine.
    const timeoutMs = 10_000;
    let outcome;
    try {
      outcome = await run(repo, { agent: agent('hang', '--ignore-term', '--only', 'cli-1-and-3-more'), timeoutMs });
    } finally {
      delete process.env['FANOUT_TEST_MARKERS'];
    }
    const [pid] = markerPids(marks.dir, '.pid');
    if (pid === undefined) throw new Error(`the agent did not mark itself ready before the ${timeoutMs} ms timeout`);
    cleanups.push(() => isAlive(pid) && process.kill(pid, 'SIGKILL'));
    const cli = outcome.report.batches.find((b) => b.id === 'cli-1-and-3-more');
    expect(cli?.status).toBe('timeout');
    expect(outcome.report.status).toBe('failed');
    expect(isAlive(pid)).toBe(false);
    expect(filesAt(repo, cli?.branch ?? '')).toContain('src/cli/f3.ts');
    expect(head(repo, 'main')).toBe(base);
    await expectNothingLeft(repo);
  });

  it("an agent that writes another batch's file: conflict reported before any merge", async () => {
    const { repo, base } = setup();
    const outcome = await run(repo, { agent: agent('write-other-batch', '--in', 'api-1-and-3-more', '--file', 'src/web/f2.ts') });
    expect(outcome.report.status).toBe('conflict');
    expect(outcome.exitCode).toBe(1);
    const kinds = outcome.report.conflicts.map((c) => c.kind).sort();
    expect(kinds).toContain('out-of-scope');
    expect(kinds).toContain('overlap');
    const outside = outcome.report.conflicts.find((c) => c.kind === 'out-of-scope');
    expect(outside).toMatchObject({ batches: ['api-1-and-3-more'], files: ['src/web/f2.ts'] });
    // Nothing merged: no integration branch, main untouched, every batch's work kept.
    expect(head(repo, 'main')).toBe(base);
    expect(outcome.state.integration.head).toBeNull();
    expect(fanoutBranches(repo)).not.toContain(outcome.state.integration.branch);
    expect(fanoutBranches(repo)).toHaveLength(3);
    await expectNothingLeft(repo);
  });

  it('two batches that produce a textual merge conflict: predicted by merge-tree, main untouched', async () => {
    const { repo, base } = setup(TWELVE, {}, { 'NOTES.md': '# notes\nshared line\n' });
    const outcome = await run(repo, { agent: agent('conflict-writer', '--shared', 'NOTES.md') });
    expect(outcome.report.status).toBe('conflict');
    const merges = outcome.report.conflicts.filter((c) => c.kind === 'merge');
    // All three batches rewrote NOTES.md differently: every pair conflicts there.
    expect(merges).toHaveLength(3);
    for (const merge of merges) expect(merge.files).toEqual(['NOTES.md']);
    expect(head(repo, 'main')).toBe(base);
    expect(outcome.state.integration.head).toBeNull();
    expect(fanoutBranches(repo)).toHaveLength(3);
    await expectNothingLeft(repo);
  });

  it('validation red only after the merge: main untouched, the integration branch kept', async () => {
    const tasks = chains(['alpha', 'beta'], 5);
    const { repo, base } = setup(tasks, { validate: `${VALIDATE} --fail-if-all src/alpha/f1.ts src/beta/f1.ts` });
    const outcome = await run(repo, { agent: agent('write-files'), validate: undefined });
    expect(outcome.report.status).toBe('invalid');
    expect(outcome.exitCode).toBe(1);
    expect(outcome.report.validation?.batches.every((v) => v.ok)).toBe(true);
    expect(outcome.report.validation?.integration?.ok).toBe(false);
    expect(head(repo, 'main')).toBe(base);
    const integration = outcome.state.integration.branch;
    expect(fanoutBranches(repo)).toContain(integration);
    expect(filesAt(repo, integration)).toEqual(expect.arrayContaining(['src/alpha/f5.ts', 'src/beta/f5.ts']));
    expect(outcome.summary).toContain(integration);
    await expectNothingLeft(repo);
  });

  it('a batch whose validation fails in its own worktree: invalid, no integration branch', async () => {
    const tasks = chains(['alpha', 'beta'], 5);
    const { repo, base } = setup(tasks, { validate: `${VALIDATE} --fail-if-all src/beta/f5.ts` });
    const outcome = await run(repo, { agent: agent('write-files'), validate: undefined });
    expect(outcome.report.status).toBe('invalid');
    expect(outcome.report.batches.map((b) => b.status).sort()).toEqual(['done', 'invalid']);
    expect(outcome.state.integration.head).toBeNull();
    expect(head(repo, 'main')).toBe(base);
    await expectNothingLeft(repo);
  });
  it('an agent that moves its worktree to a branch built on its work: the batch branch takes that work and merges', async () => {
    const { repo, base } = setup();
    const outcome = await run(repo, { agent: agent('switch-head', '--mode', 'branch', '--only', 'api-1-and-3-more') });
    expect(outcome.report.status).toBe('merged');
    expect(head(repo, 'main')).not.toBe(base);
    // The commit made after switching branches is what landed, not the one left on the batch branch.
    expect(repo.git('show', 'main:src/api/f1.ts')).toContain('final version by api-1-and-3-more (branch)');
    await expectNothingLeft(repo);
  });

  it('an agent that commits on a detached HEAD off its branch: the batch fails and that commit is kept on a branch', async () => {
    const { repo, base } = setup();
    const outcome = await run(repo, { agent: agent('switch-head', '--mode', 'detach', '--only', 'api-1-and-3-more') });
    expect(outcome.report.status).toBe('failed');
    expect(head(repo, 'main')).toBe(base);
    const api = outcome.state.batches.find((b) => b.id === 'api-1-and-3-more');
    expect(api?.status).toBe('failed');
    expect(api?.error).toContain('detached HEAD');
    // Both the batch branch's commit and the detached one survive the removal of the worktree.
    const kept = `${api?.branch ?? ''}-agent-head`;
    expect(fanoutBranches(repo)).toContain(kept);
    expect(repo.git('show', `${kept}:src/api/f1.ts`)).toContain('final version by api-1-and-3-more (detach)');
    expect(repo.git('log', '-1', '--format=%s', api?.branch ?? '')).toContain('its files');
    expect(outcome.state.notes.join('\n')).toContain(kept);
    await expectNothingLeft(repo);
  });
});
