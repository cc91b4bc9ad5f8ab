// The orchestrator's pure pieces: durations, run ids, scope conflicts, the prompt, stream-json progress.
import { describe, expect, it } from 'vitest';
import { buildPrompt } from '../../../src/orchestrate/build-prompt.js';
import { findScopeConflicts } from '../../../src/orchestrate/find-scope-conflicts.js';
import { newRunId, RUN_ID_PATTERN } from '../../../src/orchestrate/new-run-id.js';
import { formatDuration, parseDuration } from '../../../src/orchestrate/parse-duration.js';
import { applyStreamLine, emptyProgress } from '../../../src/orchestrate/parse-stream-event.js';
import { pathsCollide } from '../../../src/orchestrate/predict-merges.js';

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['1m30s', 90_000],
    ['500ms', 500],
    ['1.5s', 1500],
    ['45', 45_000],
    [' 2m ', 120_000],
  ])('%s → %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
  // 597h is past setTimeout's 2^31-1 ms: it would fire at once and time every agent out.
  it.each(['', 'soon', '-5s', '0s', '10 m', '5d', 's', '1h-3m', '597h', '99999999h', '1e9'])('refuses %j', (text) => expect(parseDuration(text)).toBeUndefined());
  it('formats for people', () => {
    expect([formatDuration(450), formatDuration(3200), formatDuration(42_000), formatDuration(125_000), formatDuration(3_900_000)]).toEqual(['450ms', '3.2s', '42s', '2m05s', '1h05m']);
  });
});

describe('newRunId', () => {
  it('is UTC date-time plus 4 hex digits, and sorts by time', () => {
    const a = newRunId(new Date(Date.UTC(2026, 10, 24, 16, 15, 0)), () => 'ab12');
    expect(a).toBe('20261124-161500-ab12');
    const b = newRunId(new Date(Date.UTC(2026, 10, 24, 16, 15, 1)), () => '0000');
    expect([b, a].sort()).toEqual([a, b]);
    expect(newRunId()).toMatch(RUN_ID_PATTERN);
  });
});

describe('findScopeConflicts', () => {
  it('finds nothing when each batch changed only its own files', () => {
    expect(findScopeConflicts([{ id: 'a', files: ['a.ts', 'b.ts'], changedFiles: ['a.ts'] }, { id: 'b', files: ['c.ts'], changedFiles: ['c.ts'] }])).toEqual([]);
  });
  it('reports out-of-scope changes and files changed by two batches', () => {
    const conflicts = findScopeConflicts([
      { id: 'a', files: ['a.ts'], changedFiles: ['a.ts', 'c.ts', 'README.md'] },
      { id: 'b', files: ['c.ts'], changedFiles: ['c.ts'] },
      { id: 'x', files: ['x.ts'], changedFiles: ['x.ts', 'README.md'] },
    ]);
    expect(conflicts).toEqual([
      expect.objectContaining({ kind: 'out-of-scope', batches: ['a'], files: ['c.ts', 'README.md'] }),
      expect.objectContaining({ kind: 'out-of-scope', batches: ['x'], files: ['README.md'] }),
      expect.objectContaining({ kind: 'overlap', batches: ['a', 'b'], files: ['c.ts'] }),
      expect.objectContaining({ kind: 'overlap', batches: ['a', 'x'], files: ['README.md'] }),
    ]);
  });
});

describe('buildPrompt', () => {
  const prompt = buildPrompt({
    title: 'Add reset',
    context: 'Use the mailer in src/mail.ts.',
    runId: '20261124-161500-ab12',
    batchId: 'reset-service-and-1-more',
    branch: 'fanout/20261124-161500-ab12/reset-service-and-1-more',
    tasks: [
      { id: 'reset-service', files: ['src/reset.ts'], dependsOn: [], prompt: 'Implement tokens.\nExpire after 1h.' },
      { id: 'reset-route', files: ['src/routes/reset.ts'], dependsOn: ['reset-service'] },
    ],
    files: ['src/reset.ts', 'src/routes/reset.ts'],
    validate: 'npm test',
    batchCount: 3,
  });
  it('gives the context, the tasks in order with their files, and the scope rule', () => {
    expect(prompt).toContain('Use the mailer in src/mail.ts.');
    expect(prompt.indexOf('1. reset-service: src/reset.ts')).toBeLessThan(prompt.indexOf('2. reset-route (after reset-service): src/routes/reset.ts'));
    expect(prompt).toContain('   Expire after 1h.');
    expect(prompt).toContain('Change only these files: src/reset.ts, src/routes/reset.ts.');
    expect(prompt).toContain('2 other agents');
    expect(prompt).toContain("The project's checks are `npm test`: run it in this worktree as you work and before you finish");
    expect(prompt).toContain('batch reset-service-and-1-more)');
  });
});

describe('applyStreamLine', () => {
  it('counts tool calls and written files, and reads the cost from the result', () => {
    const progress = emptyProgress();
    const lines = [
      '{"type":"system","subtype":"init"}',
      JSON.stringify({ type: 'assistant', message: { content: [{ type: 'text', text: 'hi' }, { type: 'tool_use', name: 'Write', input: { file_path: '/w/a.ts' } }, { type: 'tool_use', name: 'Bash', input: { command: 'ls' } }] } }),
      JSON.stringify({ type: 'assistant', message: { content: [{ type: 'tool_use', name: 'Edit', input: { file_path: '/w/a.ts' } }] } }),
      'not json at all',
      '{"broken',
      JSON.stringify({ type: 'result', total_cost_usd: 0.0123 }),
    ];
    const changed = lines.map((line) => applyStreamLine(progress, line));
    expect(changed).toEqual([false, true, true, false, false, true]);
    expect(progress.toolCalls).toBe(3);
    expect([...progress.files]).toEqual(['/w/a.ts']);
    expect(progress.costUsd).toBe(0.0123);
  });
});

describe('pathsCollide', () => {
  it.each([
    [['src/a.ts'], ['src/b.ts'], false],
    [['src/a.ts'], ['src/a.ts'], true],
    [['src/a'], ['src/a/b.ts'], true],
    [['src/a/b.ts'], ['src/a'], true],
    [['src/ab.ts'], ['src/a'], false],
    [['a/b/c/d.ts'], ['a/b'], true],
    [[], ['x'], false],
  ])('%j vs %j → %s', (a, b, expected) => expect(pathsCollide(a, b)).toBe(expected));
});
