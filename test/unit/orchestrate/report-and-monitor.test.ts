// The report's schema and words, and the monitor's two output modes.
import { describe, expect, it } from 'vitest';
import { buildReport, formatReportMarkdown, formatReportTable } from '../../../src/orchestrate/build-report.js';
import { createMonitor } from '../../../src/orchestrate/monitor.js';
import type { BatchState, RunState } from '../../../src/orchestrate/run-state.js';

function batch(id: string, patch: Partial<BatchState> = {}): BatchState {
  return {
    id,
    branch: `fanout/r/${id}`,
    worktree: `/w/${id}`,
    files: [`${id}.ts`],
    tasks: [],
    status: 'merged',
    attempt: 1,
    exitCode: 0,
    signal: null,
    timedOut: false,
    startedAt: null,
    durationMs: 2000,
    head: 'c'.repeat(40),
    changedFiles: [`${id}.ts`],
    deletedFiles: [],
    toolCalls: 0,
    costUsd: null,
    log: `/runs/r/${id}.log`,
    pid: null,
    error: null,
    validation: { ok: true, exitCode: 0, timedOut: false, durationMs: 10, log: `/runs/r/${id}.validate.log` },
    keptAttempts: [],
    worktreeExists: false,
    ...patch,
  };
}

function state(patch: Partial<RunState> = {}): RunState {
  return {
    version: 1,
    runId: '20261124-161500-ab12',
    status: 'merged',
    phase: 'done',
    pid: 1,
    startedAt: '2026-11-24T16:15:00Z',
    finishedAt: '2026-11-24T16:15:05Z',
    repoRoot: '/repo',
    commonDir: '/repo/.git',
    planPath: '/repo/plan.md',
    title: 'Plan',
    context: '',
    base: 'b'.repeat(40),
    startBranch: 'main',
    into: null,
    integration: { branch: 'fanout/r/integration', head: 'd'.repeat(40), validation: { ok: true, exitCode: 0, timedOut: false, durationMs: 5, log: '/runs/r/_integration.validate.log' } },
    landed: true,
    options: { agent: null, validate: 'npm test', setup: null, timeoutMs: 60_000, concurrency: 2, keepWorktrees: false },
    batches: [batch('a'), batch('b')],
    conflicts: [],
    notes: [],
    error: null,
    agentWallMs: 2000,
    agentTimeMs: 4000,
    wallMs: 3000,
    ...patch,
  };
}

describe('buildReport', () => {
  it('has exactly the documented shape', () => {
    const report = buildReport(state());
    expect(report).toEqual({
      runId: '20261124-161500-ab12',
      status: 'merged',
      base: 'b'.repeat(40),
      target: 'main',
      land: 'merge',
      landedCommit: 'd'.repeat(40),
      // Logs that were never written are not named (none exists here).
      batches: [
        { id: 'a', branch: 'fanout/r/a', status: 'merged', files: ['a.ts'], changedFiles: ['a.ts'], exitCode: 0, durationMs: 2000, log: null, error: null, humanRequests: [] },
        { id: 'b', branch: 'fanout/r/b', status: 'merged', files: ['b.ts'], changedFiles: ['b.ts'], exitCode: 0, durationMs: 2000, log: null, error: null, humanRequests: [] },
      ],
      conflicts: [],
      validation: {
        command: 'npm test',
        batchesValidated: 'always',
        batches: [
          { id: 'a', ok: true, exitCode: 0, log: '/runs/r/a.validate.log', sameAs: null },
          { id: 'b', ok: true, exitCode: 0, log: '/runs/r/b.validate.log', sameAs: null },
        ],
        integration: { branch: 'fanout/r/integration', ok: true, exitCode: 0, log: '/runs/r/_integration.validate.log', sameAs: null },
        runs: [],
        blame: null,
      },
      figures: { wallMs: 3000, agentTimeMs: 4000, agentWindowMs: 2000, provisioningMs: 0, setupMs: 0, validationMs: 0, validationRuns: 0, mergeMs: null, sequentialEstimateMs: 4000, ratio: 1.33 },
      nextStep: null,
    });
  });

  it('labels every figure: the sequential estimate counts the agents added up and one validation', () => {
    const timed = state({
      wallMs: 20_000,
      agentTimeMs: 30_000,
      agentWallMs: 10_000,
      mergeMs: 400,
      suiteRuns: [{ what: '_integration', ok: true, durationMs: 5000, log: '/l' }],
    });
    const report = buildReport(timed);
    expect(report.figures).toMatchObject({ sequentialEstimateMs: 35_000, ratio: 1.75, validationMs: 5000, validationRuns: 1 });
    const text = formatReportTable(timed, report, '/r.md');
    expect(text).toContain('Time: wall 20s; agents 30s added up (10s first start to last end); validation 5.0s in 1 run; check + merge + land 400ms');
    expect(text).toContain('Against one agent doing every batch in turn, validating once (estimate, 35s): 1.75× faster');
    const slow = state({ wallMs: 70_000, agentTimeMs: 30_000, suiteRuns: [{ what: '_integration', ok: true, durationMs: 5000, log: '/l' }] });
    expect(formatReportTable(slow, buildReport(slow), '/r.md')).toContain('(estimate, 35s): 2× slower');
  });

  it('offers a next step that fits the status, with every failure reason', () => {
    const culprit = state({
      status: 'invalid',
      landed: false,
      blame: { culprits: ['a'], combination: null, message: 'batch a is red on its own' },
      batches: [batch('a', { status: 'invalid', error: 'red alone', errorKind: 'validation' }), batch('b', { status: 'done' })],
    });
    const report = buildReport(culprit);
    expect(report.batches[0]?.error).toEqual({ kind: 'validation', message: 'red alone', log: null });
    expect(report.nextStep).toContain('Fix batch a: commit the fix on fanout/r/a, then `fanout resume 20261124-161500-ab12` validates again');
    expect(report.nextStep).not.toContain('re-runs');
    const together = state({ status: 'invalid', landed: false, blame: { culprits: [], combination: ['a', 'b'], message: 'only a + b' } });
    expect(buildReport(together).nextStep).toContain('Batches a + b each work alone but break together');
    const human = state({
      status: 'needs-human',
      landed: false,
      batches: [batch('a', { status: 'needs-human', errorKind: 'needs-human', error: 'needs a yes', humanRequests: [{ ruleId: 'add-dependency', tool: 'Bash', subject: 'npm install left-pad', reason: 'r', at: 't' }] }), batch('b', { status: 'done' })],
    });
    const humanReport = buildReport(human);
    expect(humanReport.batches[0]?.humanRequests).toEqual([{ id: 'a-1', ruleId: 'add-dependency', tool: 'Bash', subject: 'npm install left-pad', reason: 'r', at: 't' }]);
    expect(humanReport.nextStep).toContain('`fanout resume 20261124-161500-ab12 --approve a-1`');
    expect(formatReportTable(human, humanReport, '/r.md')).toContain('a-1 (a): add-dependency: Bash `npm install left-pad`: r');
    const conflict = state({ status: 'conflict', landed: false, conflicts: [{ kind: 'overlap', batches: ['a', 'b'], files: ['x'], message: 'both' }] });
    expect(buildReport(conflict).nextStep).toContain('depend on each other');
    expect(buildReport(conflict).nextStep).not.toContain('fanout resume');
  });

  it('says where things are when nothing landed', () => {
    const failed = state({
      status: 'invalid',
      landed: false,
      integration: { branch: 'fanout/r/integration', head: 'd'.repeat(40), validation: { ok: false, exitCode: 1, timedOut: false, durationMs: 5, log: '/l' } },
      notes: ['Kept branch fanout/r/integration: every batch merged, but validation failed there; holds commits that are not merged.'],
    });
    const text = formatReportTable(failed, buildReport(failed), '/runs/r/report.md');
    expect(text).toContain('invalid: validation failed; nothing was merged');
    expect(text).toContain('main and your working tree are untouched');
    expect(text).toContain('The merged result is on fanout/r/integration');
    expect(text).toContain('Report: /runs/r/report.md');
    expect(formatReportMarkdown(failed, buildReport(failed))).toContain('## Where things are');
  });
});

describe('createMonitor', () => {
  it('writes one line per status change when not on a terminal', () => {
    let out = '';
    let now = 0;
    const monitor = createMonitor({ write: (t: string) => (out += t) }, 'run r', ['a', 'b'], false, () => now);
    monitor.update('a', { status: 'running', startedAt: 0 });
    monitor.update('a', { toolCalls: 3 });
    now = 1500;
    monitor.update('a', { status: 'done', endedAt: 1500, files: 2 });
    monitor.note('checking merges');
    monitor.stop();
    expect(out.split('\n').filter(Boolean)).toEqual(['fanout: run r', 'fanout: [   0ms] a: running', 'fanout: [  1.5s] a: done (after 1.5s, 2 files, 3 tool calls)', 'fanout: checking merges']);
  });

  it('redraws a table in place on a terminal', () => {
    let out = '';
    const monitor = createMonitor({ write: (t: string) => (out += t), isTTY: true }, 'run r', ['a'], undefined, () => 0);
    monitor.update('a', { status: 'running', startedAt: 0 });
    monitor.note('hello');
    monitor.stop();
    expect(out).toContain('\x1b[3F\x1b[J');
    expect(out).toContain('fanout: hello');
    expect(out).toMatch(/a\s+running/);
  });
});
