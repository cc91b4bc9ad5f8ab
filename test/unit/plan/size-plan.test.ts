import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePlan, sizePlan } from '../../../src/plan/index.js';
import type { Plan, PlanTask, Sizing, Thresholds } from '../../../src/plan/index.js';
import { batchId } from '../../../src/plan/size-plan.js';

const t = (id: string, files: string[], dependsOn: string[] = []): PlanTask => ({ id, files, dependsOn });
const plan = (...tasks: PlanTask[]): Plan => ({ title: 'T', tasks, context: '' });
/** n independent one-file tasks. */
const singles = (n: number, prefix = 't') => Array.from({ length: n }, (_, i) => t(`${prefix}${i + 1}`, [`${prefix}${i + 1}.ts`]));
const ids = (sizing: Sizing) => sizing.batches.map((b) => b.tasks.map((task) => task.id));

function fixturePlan(name: string): Plan {
  const result = parsePlan(readFileSync(join(import.meta.dirname, '../../fixtures/plans', name), 'utf8'));
  if (!result.ok) throw new Error(`fixture ${name} is invalid`);
  return result.plan;
}

describe('sizePlan: the decision at each boundary', () => {
  it.each<[string, Plan, Partial<Thresholds>, string, string]>([
    ['1 file', plan(t('a', ['a.ts'])), {}, 'direct', '1 file in 1 component: direct (at most 2 files)'],
    ['2 files', plan(...singles(2)), {}, 'direct', '2 files in 2 independent components: direct (at most 2 files)'],
    ['3 files', plan(...singles(3)), {}, 'sequential', '3 files in 3 independent components: sequential (3-9 files)'],
    ['9 files', plan(...singles(9)), {}, 'sequential', '9 files in 9 independent components: sequential (3-9 files)'],
    ['10 files, 2 components', plan(t('a', ['1', '2', '3', '4', '5']), t('b', ['6', '7', '8', '9', '10'])), {}, 'parallel', '10 files in 2 independent components: parallel (10+ files, 2+ components)'],
    ['10 files, 1 component (shared file)', plan(t('a', ['1', '2', '3', '4', '5', 'shared']), t('b', ['6', '7', '8', '9', 'shared'])), {}, 'sequential', '10 files in 1 component: sequential (10+ files, but one component: tightly coupled)'],
    ['10 files, 1 component (depends_on)', plan(t('a', ['1', '2', '3', '4', '5']), t('b', ['6', '7', '8', '9', '10'], ['a'])), {}, 'sequential', '10 files in 1 component: sequential (10+ files, but one component: tightly coupled)'],
    ['12 files, 3 chains', fixturePlan('twelve-files.md'), {}, 'parallel', '12 files in 3 independent components: parallel (10+ files, 2+ components)'],
    ['custom: 1 file with direct_max 0', plan(t('a', ['a.ts'])), { directMax: 0 }, 'sequential', '1 file in 1 component: sequential (1-9 files)'],
    ['custom: 4 files with sequential_max 3', plan(...singles(4)), { sequentialMax: 3 }, 'parallel', '4 files in 4 independent components: parallel (4+ files, 2+ components)'],
    ['custom: 3 files with direct_max 3', plan(...singles(3)), { directMax: 3, sequentialMax: 5 }, 'direct', '3 files in 3 independent components: direct (at most 3 files)'],
    ['custom: 12 files, max_agents 1', fixturePlan('twelve-files.md'), { maxAgents: 1 }, 'sequential', '12 files in 3 independent components: sequential (max_agents is 1)'],
  ])('%s', (_name, input, thresholds, decision, reason) => {
    const sizing = sizePlan(input, thresholds);
    expect(sizing.decision).toBe(decision);
    expect(sizing.reason).toBe(reason);
  });

  it('counts distinct files, not file mentions', () => {
    const sizing = sizePlan(plan(t('a', ['x.ts', 'y.ts']), t('b', ['x.ts']), t('c', ['y.ts'])));
    expect([sizing.files, sizing.tasks, sizing.components.length]).toEqual([2, 3, 1]);
  });

  it('recommends what to do instead', () => {
    expect(sizePlan(fixturePlan('small-plan.md')).recommendation).toBe('Build it here, no agent: edit src/greeting.ts, src/greeting.test.ts directly in this session.');
    expect(sizePlan(fixturePlan('medium-plan.md')).recommendation).toBe('Run one agent through the tasks in order: reset-service → reset-route → reset-email → reset-docs.');
    expect(sizePlan(fixturePlan('twelve-files.md')).recommendation).toBe('Fan out: 3 batches on 3 parallel agents (fanout orchestrate <plan>).');
  });

  it('ignores a constraints gate object with extra fields', () => {
    const gate = { directMax: 2, sequentialMax: 9, maxAgents: 4, subagentWorktree: 'ask' as const };
    expect(sizePlan(fixturePlan('twelve-files.md'), gate).decision).toBe('parallel');
  });
});

describe('sizePlan: components and order', () => {
  it('keeps dependency chains together, in topological order', () => {
    const sizing = sizePlan(fixturePlan('twelve-files.md'));
    expect(sizing.components.map((c) => c.tasks)).toEqual([
      ['api-a', 'api-b', 'api-c', 'api-d'],
      ['web-a', 'web-b', 'web-c', 'web-d'],
      ['cli-a', 'cli-b', 'cli-c', 'cli-d'],
    ]);
    expect(sizing.components.map((c) => c.files.length)).toEqual([4, 4, 4]);
  });

  it('orders dependencies first even when the plan lists them last, and keeps plan order among ready tasks', () => {
    const sizing = sizePlan(plan(t('d', ['d'], ['c']), t('x', ['x'], ['a']), t('c', ['c'], ['a', 'b']), t('b', ['b']), t('a', ['a'])));
    expect(sizing.components.map((c) => c.tasks)).toEqual([['b', 'a', 'x', 'c', 'd']]);
  });

  it('joins tasks that share a file, even without depends_on', () => {
    const sizing = sizePlan(plan(t('a', ['1']), t('b', ['2']), t('c', ['3', '1']), t('d', ['4'])));
    expect(sizing.components.map((c) => c.tasks)).toEqual([['a', 'c'], ['b'], ['d']]);
    expect(sizing.components[0]?.files).toEqual(['1', '3']);
  });

  it('puts every task in one batch, in topological order across components, when not parallel', () => {
    const sizing = sizePlan(plan(t('b', ['b'], ['a']), t('c', ['c']), t('a', ['a'])));
    expect(sizing.decision).toBe('sequential');
    expect(ids(sizing)).toEqual([['c', 'a', 'b']]);
    expect(sizing.batches[0]?.files).toEqual(['c', 'a', 'b']);
  });

  it('handles an empty plan and a cycle without throwing (parsePlan rejects both first)', () => {
    expect(sizePlan(plan()).batches).toEqual([]);
    const cyclic = sizePlan(plan(t('a', ['a'], ['b']), t('b', ['b'], ['a']), t('c', ['c'])));
    expect(cyclic.components.map((c) => c.tasks).sort()).toEqual([['a', 'b'], ['c']]);
  });

  it('survives a 20,000-task chain (no recursion)', () => {
    const chain = Array.from({ length: 20_000 }, (_, i) => t(`t${i}`, [`f${i}`], i === 0 ? [] : [`t${i - 1}`]));
    const sizing = sizePlan(plan(...chain.reverse()));
    expect(sizing.components).toHaveLength(1);
    expect(sizing.components[0]?.tasks[0]).toBe('t0');
    expect(sizing.components[0]?.tasks[19_999]).toBe('t19999');
  });
});

describe('sizePlan: batches', () => {
  it('packs at most max_agents batches, never splitting a component', () => {
    const components = Array.from({ length: 7 }, (_, c) => [t(`c${c}-a`, [`c${c}/a`]), t(`c${c}-b`, [`c${c}/b`], [`c${c}-a`])]).flat();
    for (const maxAgents of [1, 2, 3, 4, 7, 10]) {
      const sizing = sizePlan(plan(...components), { maxAgents, sequentialMax: 3 });
      const expected = maxAgents === 1 ? 1 : Math.min(maxAgents, 7);
      expect(sizing.batches).toHaveLength(expected);
      for (let c = 0; c < 7; c++) {
        const holders = sizing.batches.filter((b) => b.tasks.some((task) => task.id.startsWith(`c${c}-`)));
        expect(holders).toHaveLength(1);
        const order = holders[0]?.tasks.map((task) => task.id).filter((id) => id.startsWith(`c${c}-`));
        expect(order).toEqual([`c${c}-a`, `c${c}-b`]);
      }
      expect(sizing.batches.flatMap((b) => b.tasks).length).toBe(14);
    }
  });

  it('balances by file count: largest component first onto the lightest batch', () => {
    // Components of 6, 5, 4, 3, 2 files on 2 agents: 6+3+2 = 11 and 5+4 = 9.
    const sizes = [2, 6, 3, 5, 4];
    const tasks = sizes.map((n, i) => t(`k${i}`, Array.from({ length: n }, (_, f) => `k${i}/${f}`)));
    const sizing = sizePlan(plan(...tasks), { maxAgents: 2 });
    expect(sizing.batches.map((b) => [b.tasks.map((task) => task.id), b.files.length])).toEqual([
      [['k0', 'k1', 'k2'], 11],
      [['k3', 'k4'], 9],
    ]);
  });

  it('splits equal components evenly with deterministic ties', () => {
    const sizing = sizePlan(plan(...singles(12)), { maxAgents: 4 });
    expect(ids(sizing)).toEqual([
      ['t1', 't5', 't9'],
      ['t2', 't6', 't10'],
      ['t3', 't7', 't11'],
      ['t4', 't8', 't12'],
    ]);
  });

  it('is deterministic: the same plan gives the same sizing', () => {
    const tasks = Array.from({ length: 300 }, (_, i) => t(`t${i}`, [`f${i % 97}`, `g${i}`], i % 5 === 0 || i < 3 ? [] : [`t${i - 3}`]));
    expect(sizePlan(plan(...tasks), { sequentialMax: 3 })).toEqual(sizePlan(plan(...tasks.map((task) => ({ ...task }))), { sequentialMax: 3 }));
  });

  it('names batches after their first task, unique and valid as git branch names', () => {
    const sizing = sizePlan(fixturePlan('twelve-files.md'));
    expect(sizing.batches.map((b) => b.id)).toEqual(['api-a-and-3-more', 'web-a-and-3-more', 'cli-a-and-3-more']);
    const long = 'x'.repeat(80);
    const awkward = sizePlan(plan(t(`-${long}`, ['1', '2', '3', '4', '5', '6']), t(`-${long}-2`, ['7', '8', '9', '10', '11'])), { maxAgents: 2 });
    const names = awkward.batches.map((b) => b.id);
    expect(new Set(names).size).toBe(names.length);
    for (const name of [...names, ...sizing.batches.map((b) => b.id)]) {
      expect(name.length).toBeLessThanOrEqual(60);
      expect(() => execFileSync('git', ['check-ref-format', '--branch', `fanout/run-1/${name}`], { stdio: 'pipe' })).not.toThrow();
    }
  });

  it.each([
    ['api', '', 'api'],
    ['api', '-and-3-more', 'api-and-3-more'],
    ['--lead', '', 'lead'],
    ['', '', 'batch'],
    ['a'.repeat(70), '-and-9-more', `${'a'.repeat(49)}-and-9-more`],
    ['ab-'.repeat(30), '', 'ab-'.repeat(20).slice(0, 59)],
    ['x.lock', '', 'x-lock'],
    ['a..b', '', 'a-b'],
  ])('batchId(%j, %j) = %j', (head, suffix, expected) => {
    expect(batchId(head, suffix)).toBe(expected);
  });
});
