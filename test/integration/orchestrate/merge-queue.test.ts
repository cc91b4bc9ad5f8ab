// Validation the way a merge queue does it: the merged result once on the happy path; the batches' branches
// only when it is red, to name the culprit (a batch red alone, or the smallest combination red together);
// validate_batches: always as before; never more suites at once than cores; --land squash; every failure
// reason in --json; needs-human through the real hook; resume sets worktrees up again before it validates.
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { orchestrate, resumeRun, type RunOutcome } from '../../../src/orchestrate/index.js';
import type { TempRepo } from '../../helpers/temp-repo.js';
import {
  AGENTS,
  agent,
  agentFlag,
  branches,
  capture,
  chains,
  cliSync,
  deleted,
  dispose,
  filesAt,
  head,
  markers,
  planText,
  repoWithPlan,
  resume,
  run,
  VALIDATE,
  waitFor,
  worktreeRoot,
  type Task,
} from './helpers.js';

const repos: TempRepo[] = [];
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const repo of repos.splice(0)) dispose(repo);
  for (const cleanup of cleanups.splice(0)) cleanup();
});

/** n one-file batches a-1, b-1, …: src/<x>/f1.ts each. */
function batches(n: number): Task[] {
  return chains(['a', 'b', 'c', 'd'].slice(0, n), 1);
}

function setup(tasks: Task[], validate?: string, files: Record<string, string> = {}) {
  const repo = repoWithPlan(planText('Merge queue', tasks, validate === undefined ? {} : { validate }), files);
  repos.push(repo);
  return { repo, base: head(repo) };
}

/** A validate command that logs each run (cwd) to a counter file; red when every listed file exists. */
function counted(failIfAll: string[] = []): { command: string; runs: () => Array<{ cwd: string }> } {
  const marks = markers();
  cleanups.push(marks.cleanup);
  const log = join(marks.dir, 'runs.jsonl');
  return {
    command: `${VALIDATE} --args-log ${log}${failIfAll.length > 0 ? ` --fail-if-all ${failIfAll.join(' ')}` : ''}`,
    runs: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { cwd: string }) : []),
  };
}

describe('fanout orchestrate: validation like a merge queue', () => {
  it('a red merged result with one bad batch names that batch, which alone is red; nothing lands', async () => {
    const suite = counted(['src/b/f1.ts']);
    const { repo, base } = setup(batches(3), suite.command);
    const progress = capture();
    const outcome = await run(repo, { agent: agent('write-files'), validate: undefined, force: true }, progress);
    expect(outcome.report.status, progress.text).toBe('invalid');
    expect(head(repo, 'main')).toBe(base);
    const blame = outcome.report.validation?.blame;
    expect(blame).toEqual({ culprits: ['b-1'], combination: null, message: 'batch b-1 is red on its own' });
    const byId = Object.fromEntries(outcome.report.batches.map((b) => [b.id, b]));
    expect(byId['b-1']?.status).toBe('invalid');
    expect(byId['b-1']?.error?.kind).toBe('validation');
    expect(byId['b-1']?.error?.log).toBe(outcome.state.batches.find((b) => b.id === 'b-1')?.validation?.log);
    expect(existsSync(byId['b-1']?.error?.log ?? '')).toBe(true);
    expect(byId['a-1']?.status).toBe('done');
    expect(byId['c-1']?.status).toBe('done');
    // The merged result once, then each of the three batches once.
    expect(suite.runs()).toHaveLength(4);
    expect(outcome.report.validation?.runs.map((r) => r.what)).toEqual(['_integration', ...['a-1', 'b-1', 'c-1'].map(() => expect.stringMatching(/^[abc]-1$/))]);
    expect(outcome.summary).toContain('batch b-1 is red on its own');
    expect(outcome.report.nextStep).toContain(`Fix batch b-1: commit the fix on ${byId['b-1']?.branch}`);
    expect(progress.text).toContain('the merged result is red: validating the 3 batches on their own (at most');
  });

  it('batches green alone but red together are reported as such, naming the smallest failing combination', async () => {
    // a and b break together; c is innocent. Pairs are tried before the whole set.
    const suite = counted(['src/a/f1.ts', 'src/b/f1.ts']);
    const { repo, base } = setup(batches(3), suite.command);
    const outcome = await run(repo, { agent: agent('write-files'), validate: undefined, force: true });
    expect(outcome.report.status).toBe('invalid');
    expect(head(repo, 'main')).toBe(base);
    const blame = outcome.report.validation?.blame;
    expect(blame?.culprits).toEqual([]);
    expect(blame?.combination).toEqual(['a-1', 'b-1']);
    expect(blame?.message).toBe('every batch is green on its own; only the combination a-1 + b-1 is red');
    expect(outcome.report.batches.map((b) => [b.id, b.status])).toEqual([
      ['a-1', 'invalid'],
      ['b-1', 'invalid'],
      ['c-1', 'done'],
    ]);
    expect(outcome.report.batches[0]?.error?.message).toBe('green on its own, red merged with b-1');
    // Merged result, three batches alone, then the pair a-1 + b-1 (red): the search stops there.
    expect(outcome.report.validation?.runs.map((r) => r.what).slice(-1)).toEqual(['a-1+b-1']);
    expect(suite.runs()).toHaveLength(5);
    expect(outcome.report.nextStep).toContain('Batches a-1 + b-1 each work alone but break together');
  });

  it('validate_batches: always validates every batch as it finishes, then the merged result; never: the merged result only', async () => {
    const always = counted();
    const first = setup(batches(2), always.command);
    const outcome = await run(first.repo, { agent: agent('write-files'), validate: undefined, force: true, validateBatches: 'always' });
    expect(outcome.report.status).toBe('merged');
    expect(outcome.report.validation?.batches.map((v) => v.ok)).toEqual([true, true]);
    expect(outcome.report.validation?.integration?.ok).toBe(true);
    expect(always.runs()).toHaveLength(3);

    // never: the red merged result is reported, no branch validated on its own. Set in the constraints file.
    const never = counted(['src/a/f1.ts']);
    const second = setup(batches(2), never.command, { '.claude/constraints.md': '---\nversion: 1\norchestrate:\n  validate_batches: never\n---\n' });
    const red = await run(second.repo, { agent: agent('write-files'), validate: undefined, force: true });
    expect(red.report.status).toBe('invalid');
    expect(red.report.validation?.batchesValidated).toBe('never');
    expect(red.report.validation?.blame).toBeNull();
    expect(never.runs()).toHaveLength(1);
    expect(red.summary).toContain('batches were not validated on their own (validate_batches: never)');
  });

  it('a run with one batch (--force on a small plan) validates exactly once, whatever validate_batches says', async () => {
    for (const validateBatches of ['on-failure', 'always'] as const) {
      const suite = counted();
      const { repo } = setup([{ id: 'only', files: ['src/only.ts'] }], suite.command);
      const outcome = await run(repo, { agent: agent('write-files'), validate: undefined, force: true, validateBatches });
      expect(outcome.report.status).toBe('merged');
      expect(suite.runs(), validateBatches).toHaveLength(1);
      if (validateBatches === 'always') expect(outcome.report.validation?.integration?.sameAs).toBe('only');
    }
  });

  it('never runs more validate commands at once than cores (2 here), and does run that many', async () => {
    const marks = markers();
    cleanups.push(marks.cleanup);
    const { repo } = setup(chains(['a', 'b', 'c', 'd'], 1), `node ${join(AGENTS, 'validate-gated.mjs')} ${marks.dir}`);
    const done = orchestrate(
      { cwd: repo.dir, planPath: repo.plan, agent: agent('write-files'), force: true, validateBatches: 'always', timeoutMs: 120_000 },
      { progress: capture(), tty: false, killGraceMs: 500, cores: 2 },
    );
    const running = () => readdirSync(marks.dir).filter((name) => name.startsWith('running-') && !name.endsWith('.tmp'));
    // Four batches, then the merged result: release one suite at a time, each once as many run as may.
    for (let released = 0; released < 5; released++) {
      const expected = released < 3 ? 2 : 1;
      const [next] = await waitFor(() => running().length >= expected && running(), { timeoutMs: 120_000, what: `${expected} validate runs at once (after ${released} released)`, detail: () => readdirSync(marks.dir).join(', ') });
      writeFileSync(join(marks.dir, `release-${next?.slice('running-'.length)}`), '');
      await waitFor(() => !running().includes(next ?? ''), { timeoutMs: 60_000, what: `${next} to end once released` });
    }
    const outcome = (await done) as RunOutcome;
    expect(outcome.report.status).toBe('merged');
    const counts = readFileSync(join(marks.dir, 'counts'), 'utf8').trim().split('\n').map(Number);
    expect(counts).toHaveLength(5);
    expect(Math.max(...counts)).toBe(2);
  });

  it('--land squash: one commit on main with the plan title and the batches listed, and no branch of the run left', async () => {
    const { repo, base } = setup(batches(3));
    const outcome = await run(repo, { agent: agent('write-files'), force: true, land: 'squash' });
    expect(outcome.report.status).toBe('merged');
    expect(repo.git('rev-list', '--count', `${base}..main`).trim()).toBe('1');
    expect(repo.git('rev-list', '--parents', '-n', '1', 'main').trim().split(' ')).toEqual([head(repo, 'main'), base]);
    const message = repo.git('log', '-1', '--format=%B', 'main');
    expect(message.split('\n')[0]).toBe('Merge queue');
    for (const id of ['a-1', 'b-1', 'c-1']) expect(message).toContain(`- ${id}: ${id} (src/${id[0]}/f1.ts)`);
    expect(filesAt(repo, 'main')).toEqual(expect.arrayContaining(['src/a/f1.ts', 'src/b/f1.ts', 'src/c/f1.ts']));
    expect(branches(repo)).toEqual(['main']);
    expect(outcome.report.landedCommit).toBe(head(repo, 'main'));
    expect(outcome.state.notes.join('\n')).toContain('their work is in the squashed commit');
    await deleted(worktreeRoot(repo));
  });

  it('--json carries every failure reason, with only logs that exist; branch notes say what happened to each', async () => {
    // a-1 exits 1, b-1 hangs past the timeout, c-1 writes a file outside its batch, d-1's setup fails (its agent never starts).
    const tasks = chains(['a', 'b', 'c', 'd'], 1);
    const { repo } = setup(tasks);
    const script = join(repo.dir, '..', `${repo.dir.split('/').pop()}-agent.sh`);
    writeFileSync(
      script,
      [
        '#!/bin/sh',
        'case "$FANOUT_BATCH" in',
        `  a-1) exec ${agentFlag('exit-1-after-write')} "$@" ;;`,
        `  b-1) exec ${agentFlag('hang')} "$@" ;;`,
        `  c-1) exec ${agentFlag('write-other-batch', '--in', 'c-1', '--file', 'src/a/f1.ts')} "$@" ;;`,
        '  *) exit 0 ;;',
        'esac',
        '',
      ].join('\n'),
      { mode: 0o755 },
    );
    const setupScript = `${script}.setup`;
    writeFileSync(setupScript, '#!/bin/sh\nif [ "$FANOUT_BATCH" = d-1 ]; then echo "no generator here" >&2; exit 4; fi\n', { mode: 0o755 });
    cleanups.push(() => rmSync(script, { force: true }), () => rmSync(setupScript, { force: true }));
    const result = cliSync(['orchestrate', repo.plan, '--agent', script, '--setup', setupScript, '--force', '--timeout', '6s', '--validate', '', '--json'], repo.dir);
    const report = JSON.parse(result.stdout) as RunOutcome['report'];
    expect(report.status).toBe('failed');
    const kinds = Object.fromEntries(report.batches.map((b) => [b.id, b.error?.kind ?? null]));
    expect(kinds, JSON.stringify(report.batches, null, 1)).toEqual({ 'a-1': 'agent-exit', 'b-1': 'agent-timeout', 'c-1': 'out-of-scope', 'd-1': 'setup' });
    // d-1's agent never ran: no agent log is named, only the setup's.
    const d = report.batches.find((b) => b.id === 'd-1');
    expect(d?.log).toBeNull();
    expect(d?.error?.log).toMatch(/d-1\.setup\.log$/);
    for (const batch of report.batches) {
      if (batch.log !== null) expect(existsSync(batch.log), batch.log).toBe(true);
      if (batch.error?.log) expect(existsSync(batch.error.log), batch.error.log).toBe(true);
      if (batch.error) expect(batch.error.message.length).toBeGreaterThan(10);
    }
    expect(report.nextStep).toContain(`fanout resume ${report.runId}`);
    const state = JSON.parse(readFileSync(join(repo.dir, '.git', 'fanout', 'runs', report.runId, 'state.json'), 'utf8')) as { notes: string[] };
    // d-1 never committed: its branch is not called merged.
    expect(state.notes.join('\n')).toContain('Deleted 1 batch branch that never got a commit (nothing to keep): d-1.');
    expect(state.notes.join('\n')).not.toMatch(/Deleted \d+ merged/);
  });
});

describe('fanout orchestrate: needs a human', () => {
  it('an agent refused the add-dependency stop trigger by the real hook: needs-human with the request, work kept; completes after resume --approve', async () => {
    const { repo, base } = setup(batches(2));
    const env = { ...process.env, FANOUT_CLAUDE_BIN: join(AGENTS, 'fake-claude.mjs'), FANOUT_TEST_ASK_IN: 'a-1', FANOUT_TEST_ASK_COMMAND: 'npm install left-pad' };
    process.env['FANOUT_TEST_ASK_IN'] = 'a-1';
    cleanups.push(() => delete process.env['FANOUT_TEST_ASK_IN']);
    const progress = capture();
    const first = (await orchestrate({ cwd: repo.dir, planPath: repo.plan, validate: '', force: true, timeoutMs: 120_000 }, { progress, tty: false, killGraceMs: 500, env })) as RunOutcome;
    expect(first.report.status, progress.text).toBe('needs-human');
    expect(head(repo, 'main')).toBe(base);
    const [a, b] = first.report.batches;
    expect(a?.status).toBe('needs-human');
    expect(a?.error?.kind).toBe('needs-human');
    expect(a?.humanRequests).toEqual([{ id: 'a-1-1', ruleId: 'add-dependency', tool: 'Bash', subject: 'npm install left-pad', reason: expect.stringContaining('stop trigger'), at: expect.any(String) }]);
    // The other batch went on; the waiting one's work so far is kept on its branch.
    expect(b?.status).toBe('done');
    expect(repo.git('show', `${a?.branch}:src/a/f1.ts`)).toContain('started by batch a-1');
    expect(first.report.nextStep).toContain(`fanout resume ${first.report.runId} --approve a-1-1`);
    expect(first.summary).toContain('Needs a human:');
    expect(first.summary).toContain('a-1-1 (a-1): add-dependency: Bash `npm install left-pad`');

    const second = (await resumeRun({ cwd: repo.dir, runId: first.report.runId, approve: ['a-1-1'] }, { progress: capture(), tty: false, killGraceMs: 500, env })) as RunOutcome;
    expect(second.report.status, second.summary).toBe('merged');
    // It carried on from its branch: the work from before the question and after the approval both landed.
    const merged = repo.git('show', 'main:src/a/f1.ts');
    expect(merged).toContain('started by batch a-1');
    expect(merged).toContain('finished by batch a-1 after `npm install left-pad` was allowed');
    expect(filesAt(repo, 'main')).toContain('src/b/f1.ts');
  });
});

describe('fanout resume: sets worktrees up again before validating', () => {
  it('re-runs provisioning and the setup command in every worktree it re-validates, though no agent runs again', async () => {
    const { repo, base } = setup(batches(2), undefined, { '.gitignore': '.env.local\n.setup-done\n', '.worktreeinclude': '.env.local\n' });
    repo.write({ '.env.local': 'SECRET=1\n' });
    const setupCmd = `node -e "require('fs').writeFileSync('.setup-done', 'yes')"`;
    // First: validation red in batch b-1 (the command itself is wrong), every batch validated on its own.
    const first = await run(repo, { agent: agent('write-files'), setup: setupCmd, validate: `${VALIDATE} --fail-if-all src/b/f1.ts`, force: true, validateBatches: 'always' });
    expect(first.report.status).toBe('invalid');
    expect(head(repo, 'main')).toBe(base);
    // Resume with the fixed command, which needs the provisioned file and the setup's output: no agent runs, both batches are re-validated.
    const needs = `node -e "const fs=require('fs'); if (!fs.existsSync('.env.local') || !fs.existsSync('.setup-done')) process.exit(3)"`;
    const second = await resume(repo, { runId: first.report.runId, validate: needs });
    expect(second.report.status).toBe('merged');
    expect(second.report.validation?.batches.map((v) => v.ok)).toEqual([true, true]);
    expect(second.state.batches.every((b) => b.attempt === 1)).toBe(true);
    expect(second.report.figures.agentTimeMs).toBe(0);
  });
});
