// Refused before anything is created: a dirty tree, another run, a stale lock, the gate. And --dry-run,
// which checks everything but creates nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { orchestrate } from '../../../src/orchestrate/index.js';
import { FanoutError } from '../../../src/util/errors.js';
import type { TempRepo } from '../../helpers/temp-repo.js';
import { agent, branches, capture, chains, dispose, head, planText, repoWithPlan, TWELVE, worktreeRoot } from './helpers.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) dispose(repo);
});

function setup(tasks = TWELVE) {
  const repo = repoWithPlan(planText('Refusals', tasks));
  repos.push(repo);
  return repo;
}

async function refusal(repo: TempRepo & { plan: string }, extra: Record<string, unknown> = {}): Promise<FanoutError> {
  try {
    await orchestrate({ cwd: repo.dir, planPath: repo.plan, agent: agent('write-files'), validate: '', ...extra }, { progress: capture(), tty: false });
  } catch (error) {
    if (error instanceof FanoutError) return error;
    throw error;
  }
  throw new Error('expected the run to be refused');
}

function expectNothingCreated(repo: TempRepo, before: string): void {
  expect(existsSync(`${repo.dir}/.git/fanout/runs`)).toBe(false);
  expect(existsSync(worktreeRoot(repo))).toBe(false);
  expect(branches(repo)).toEqual(['main']);
  expect(head(repo)).toBe(before);
  expect(repo.git('worktree', 'list').trim().split('\n')).toHaveLength(1);
}

describe('fanout orchestrate: refusals', () => {
  it('refuses modified or staged tracked files, listing them, but not untracked ones', async () => {
    const repo = setup();
    const before = head(repo);
    writeFileSync(`${repo.dir}/README.md`, 'changed\n');
    writeFileSync(`${repo.dir}/plans/other.md`, 'staged\n');
    repo.git('add', 'plans/other.md');
    writeFileSync(`${repo.dir}/scratch.txt`, 'new\n');
    const error = await refusal(repo);
    expect(error.code).toBe('dirty-tree');
    expect(error.message).toContain(' M README.md');
    expect(error.message).toContain('A  plans/other.md');
    expect(error.message).not.toContain('scratch.txt');
    expect(existsSync(`${repo.dir}/.git/fanout/lock`)).toBe(false);
    expectNothingCreated(repo, before);
  });

  it('refuses untracked or ignored files at a path a batch declares, and only those', async () => {
    const repo = repoWithPlan(planText('Refusals', TWELVE), { '.gitignore': 'build/\n*.log\n' });
    repos.push(repo);
    const before = head(repo);
    repo.write({ 'src/api/f2.ts': 'mine, untracked\n' });
    const untracked = await refusal(repo);
    expect(untracked.code).toBe('untracked-in-the-way');
    expect(untracked.message).toContain('src/api/f2.ts');
    expect(untracked.data?.['files']).toEqual(['src/api/f2.ts']);
    rmSync(`${repo.dir}/src`, { recursive: true });
    // Ignored: a fast-forward would overwrite it without a word.
    repo.write({ 'src/web/f3.ts': 'x' });
    writeFileSync(`${repo.dir}/.git/info/exclude`, 'src/web/f3.ts\n');
    const ignored = await refusal(repo);
    expect(ignored.code).toBe('untracked-in-the-way');
    expect(ignored.data?.['files']).toEqual(['src/web/f3.ts']);
    expectNothingCreated(repo, before);
  });

  it('runs with untracked files the plan does not touch, lists them and leaves them byte for byte', async () => {
    const repo = setup();
    repo.write({ 'notes.md': 'my notes\n', 'scratch/out.txt': 'scratch\n', '.worktreeinclude': '.env\n', 'plans/draft.md': 'not yet\n' });
    const progress = capture();
    const outcome = await orchestrate({ cwd: repo.dir, planPath: repo.plan, agent: agent('write-files'), validate: '' }, { progress, tty: false });
    if ('dryRun' in outcome) throw new Error('expected a run');
    expect(outcome.report.status).toBe('merged');
    expect(progress.text).toMatch(/4 untracked files in your checkout stay as they are: .*notes\.md/);
    expect(readFileSync(`${repo.dir}/notes.md`, 'utf8')).toBe('my notes\n');
    expect(readFileSync(`${repo.dir}/scratch/out.txt`, 'utf8')).toBe('scratch\n');
    expect(repo.git('status', '--porcelain', '--untracked-files=all').split('\n').filter(Boolean).sort()).toEqual(['?? .worktreeinclude', '?? notes.md', '?? plans/draft.md', '?? scratch/out.txt']);
  });

  it('refuses while another run holds the lock', async () => {
    const repo = setup();
    const before = head(repo);
    mkdirSync(`${repo.dir}/.git/fanout`, { recursive: true });
    const lock = JSON.stringify({ runId: '20260101-000000-beef', pid: process.pid, startedAt: new Date().toISOString() });
    writeFileSync(`${repo.dir}/.git/fanout/lock`, lock);
    const error = await refusal(repo);
    expect(error.code).toBe('lock-held');
    expect(error.message).toContain('20260101-000000-beef');
    expect(readFileSync(`${repo.dir}/.git/fanout/lock`, 'utf8')).toBe(lock);
    expectNothingCreated(repo, before);
  });

  it('reports a stale lock of a dead process with the command that clears it, and does not take it', async () => {
    const repo = setup();
    const before = head(repo);
    const dead = spawnSync(process.execPath, ['-e', '']).pid;
    mkdirSync(`${repo.dir}/.git/fanout`, { recursive: true });
    const lock = JSON.stringify({ runId: '20260101-000000-dead', pid: dead, startedAt: '2026-01-01T00:00:00Z' });
    writeFileSync(`${repo.dir}/.git/fanout/lock`, lock);
    const error = await refusal(repo);
    expect(error.code).toBe('lock-stale');
    expect(error.hint).toContain('fanout cleanup');
    expect(readFileSync(`${repo.dir}/.git/fanout/lock`, 'utf8')).toBe(lock);
    expectNothingCreated(repo, before);
  });

  it('refuses a plan the gate sizes as sequential, with its reason, unless --force', async () => {
    const repo = setup(chains(['solo'], 4));
    const before = head(repo);
    const error = await refusal(repo);
    expect(error.code).toBe('gate-refused');
    expect(error.message).toContain('4 files in 1 component: sequential');
    expect(error.hint).toContain('--force');
    expectNothingCreated(repo, before);
    const forced = await orchestrate({ cwd: repo.dir, planPath: repo.plan, agent: agent('write-files'), validate: '', force: true }, { progress: capture(), tty: false });
    expect('dryRun' in forced ? 'dry' : forced.report.status).toBe('merged');
  });

  it('refuses a validate command the guard denies', async () => {
    const repo = setup();
    const before = head(repo);
    const error = await refusal(repo, { validate: 'rm -rf /' });
    expect(error.code).toBe('command-denied');
    expectNothingCreated(repo, before);
  });

  it('treats a lock whose pid now belongs to a newer process as stale (the pid was reused)', async () => {
    const repo = setup();
    mkdirSync(`${repo.dir}/.git/fanout`, { recursive: true });
    // This test process started long after the lock claims to have been written.
    writeFileSync(`${repo.dir}/.git/fanout/lock`, JSON.stringify({ runId: '20200101-000000-0001', pid: process.pid, startedAt: '2020-01-01T00:00:00Z' }));
    const error = await refusal(repo);
    expect(error.code).toBe(process.platform === 'linux' ? 'lock-stale' : 'lock-held');
  });

  it('refuses a validate command whose program is not on PATH', async () => {
    const repo = setup();
    const before = head(repo);
    const error = await refusal(repo, { validate: 'no-such-program-fanout --check' });
    expect(error.code).toBe('command-not-found');
    expectNothingCreated(repo, before);
  });

  it('--dry-run describes the run and creates nothing', async () => {
    const repo = setup();
    const before = head(repo);
    const dry = await orchestrate({ cwd: repo.dir, planPath: repo.plan, agent: agent('write-files'), validate: '', dryRun: true }, { progress: capture(), tty: false });
    if (!('dryRun' in dry)) throw new Error('expected a dry run');
    expect(dry.batches.map((b) => b.id)).toEqual(['api-1-and-3-more', 'web-1-and-3-more', 'cli-1-and-3-more']);
    expect(dry.batches[0]?.branch).toBe(`fanout/${dry.runId}/api-1-and-3-more`);
    expect(dry.batches[0]?.worktree).toBe(`${worktreeRoot(repo)}/${dry.runId}/api-1-and-3-more`);
    expect(dry.concurrency).toBe(3);
    expect(existsSync(`${repo.dir}/.git/fanout/lock`)).toBe(false);
    expectNothingCreated(repo, before);
  });
});
