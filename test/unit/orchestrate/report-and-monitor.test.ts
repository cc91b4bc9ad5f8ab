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
      batches: [
        { id: 'a', branch: 'fanout/r/a', status: 'merged', files: ['a.ts'], changedFiles: ['a.ts'], exitCode: 0, durationMs: 2000, log: '/runs/r/a.log' },
        { id: 'b', branch: 'fanout/r/b', status: 'merged', files: ['b.ts'], changedFiles: ['b.ts'], exitCode: 0, durationMs: 2000, log: '/runs/r/b.log' },
      ],
      conflicts: [],
      validation: {
        command: 'npm test',
        batches: [
          { id: 'a', ok: true, exitCode: 0, log: '/runs/r/a.validate.log' },
          { id: 'b', ok: true, exitCode: 0, log: '/runs/r/b.validate.log' },
        ],
        integration: { branch: 'fanout/r/integration', ok: true, exitCode: 0, log: '/runs/r/_integration.validate.log' },
      },
      speedup: 2,
    });
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
