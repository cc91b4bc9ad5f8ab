// The pure parts of the run's stages: the agents' time window and the run's final status.
import { describe, expect, it } from 'vitest';
import { newBatchState } from '../../../../src/orchestrate/orchestrate.js';
import type { BatchState, RunState } from '../../../../src/orchestrate/run-state.js';
import { agentFinished } from '../../../../src/orchestrate/stages/check.js';
import { runStatus } from '../../../../src/orchestrate/stages/report.js';
import { agentTimes } from '../../../../src/orchestrate/stages/run-agent.js';

function batch(id: string, patch: Partial<BatchState> = {}): BatchState {
  return { ...newBatchState('r', { id, files: [`${id}.ts`], tasks: [] }, `/wt/${id}`, '/run'), ...patch };
}

function state(batches: BatchState[], patch: Partial<RunState> = {}): RunState {
  return { batches, conflicts: [], landed: false, integration: { branch: 'fanout/r/integration', head: null, validation: null }, ...patch } as RunState;
}

describe('agentTimes', () => {
  it('spans the first start to the last end and sums the agents that ran', () => {
    const t0 = Date.UTC(2026, 0, 1);
    const times = agentTimes([
      batch('a', { startedAt: new Date(t0).toISOString(), durationMs: 4000 }),
      batch('b', { startedAt: new Date(t0 + 1000).toISOString(), durationMs: 5000 }),
      batch('c'),
    ]);
    expect(times).toEqual({ wallMs: 6000, timeMs: 9000 });
  });
  it('has no window when no agent ran', () => {
    expect(agentTimes([batch('a')])).toEqual({ wallMs: null, timeMs: 0 });
  });
});

describe('runStatus', () => {
  const done = (id: string) => batch(id, { status: 'done', head: 'c0ffee' });
  it('is interrupted first, whatever else happened', () => {
    expect(runStatus(state([done('a')], { landed: true }), true)).toBe('interrupted');
  });
  it('is failed when an agent did not finish or its work has no head', () => {
    expect(runStatus(state([done('a'), batch('b', { status: 'timeout' })]), false)).toBe('failed');
    expect(runStatus(state([done('a'), batch('b', { status: 'done', head: null })]), false)).toBe('failed');
    expect(agentFinished(batch('b', { status: 'setup', head: 'c0ffee' }))).toBe(false);
  });
  it('is conflict, then invalid, then merged only when landed', () => {
    const conflict = { kind: 'merge' as const, batches: ['a', 'b'], files: ['x'], message: 'm' };
    expect(runStatus(state([done('a'), done('b')], { conflicts: [conflict] }), false)).toBe('conflict');
    expect(runStatus(state([done('a'), batch('b', { status: 'invalid', head: 'c0ffee' })]), false)).toBe('invalid');
    const red = { ok: false, exitCode: 1, timedOut: false, durationMs: 1, log: 'l' };
    expect(runStatus(state([done('a')], { integration: { branch: 'i', head: 'h', validation: red } }), false)).toBe('invalid');
    expect(runStatus(state([done('a')]), false)).toBe('failed');
    expect(runStatus(state([batch('a', { status: 'merged', head: 'c0ffee' })], { landed: true }), false)).toBe('merged');
  });
});
