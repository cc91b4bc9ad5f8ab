// Sizing and batching: components (shared files or depends_on), a stable topological order, the decision
// (direct / sequential / parallel) and balanced batches. Pure and O((tasks + files + edges) · log tasks).
import type { Batch, Component, Decision, Plan, PlanTask, Sizing, Thresholds } from './types.js';

export const DEFAULT_THRESHOLDS: Readonly<Thresholds> = Object.freeze({ directMax: 2, sequentialMax: 9, maxAgents: 4 });

/** Longest batch id: leaves room for a run prefix in the branch name (fanout/<run>/<batch>). */
export const MAX_BATCH_ID = 60;

/**
 * Sizes a plan. Expects a plan from parsePlan (no cycles, known ids); on anything else it stays total:
 * unknown dependencies are ignored and tasks caught in a cycle are appended in plan order.
 */
export function sizePlan(plan: Plan, thresholds: Partial<Thresholds> = {}): Sizing {
  const limits = resolveThresholds(thresholds);
  const tasks = plan.tasks;
  const n = tasks.length;
  const indexOf = new Map<string, number>();
  tasks.forEach((task, i) => {
    if (!indexOf.has(task.id)) indexOf.set(task.id, i);
  });

  // Union-find over tasks: a shared file or a depends_on edge joins two tasks.
  const parent = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    let root = i;
    while (parent[root] !== root) root = parent[root] ?? root;
    while (parent[i] !== root) {
      const next = parent[i] ?? root;
      parent[i] = root;
      i = next;
    }
    return root;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    // The smaller index is the root: components are then named by their first task in plan order.
    if (ra < rb) parent[rb] = ra;
    else if (rb < ra) parent[ra] = rb;
  };
  const fileOwner = new Map<string, number>();
  const dependents: number[][] = Array.from({ length: n }, () => []);
  const indegree = new Array<number>(n).fill(0);
  tasks.forEach((task, i) => {
    for (const file of task.files) {
      const owner = fileOwner.get(file);
      if (owner === undefined) fileOwner.set(file, i);
      else union(owner, i);
    }
    for (const dep of new Set(task.dependsOn)) {
      const j = indexOf.get(dep);
      if (j === undefined || j === i) continue;
      union(i, j);
      dependents[j]?.push(i);
      indegree[i] = (indegree[i] ?? 0) + 1;
    }
  });

  const order = topologicalOrder(n, dependents, indegree);

  // Components in order of their first task; tasks inside in the global stable topological order.
  const componentOf = new Array<number>(n);
  const groups: number[][] = [];
  const firsts: number[] = [];
  const slot = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const root = find(i);
    let c = slot.get(root);
    if (c === undefined) {
      c = groups.length;
      slot.set(root, c);
      groups.push([]);
      firsts.push(i);
    }
    componentOf[i] = c;
  }
  for (const i of order) groups[componentOf[i] ?? 0]?.push(i);
  const components = groups.map((members, c) => ({ members, files: filesOf(members.map((i) => tasks[i] as PlanTask)), first: firsts[c] ?? 0 }));

  const fileCount = fileOwner.size;
  const decision = decide(fileCount, components.length, limits);
  const orderedTasks = order.map((i) => tasks[i] as PlanTask);

  let batches: Batch[];
  if (decision.decision === 'parallel') {
    batches = pack(components, limits.maxAgents, tasks);
  } else {
    batches = n === 0 ? [] : [{ id: '', tasks: orderedTasks, files: filesOf(orderedTasks) }];
  }
  nameBatches(batches);

  const componentsOut: Component[] = components.map((c) => ({ tasks: c.members.map((i) => tasks[i]?.id ?? ''), files: c.files }));
  return {
    decision: decision.decision,
    reason: decision.reason,
    recommendation: recommend(decision.decision, orderedTasks, batches, limits),
    files: fileCount,
    tasks: n,
    components: componentsOut,
    batches,
  };
}

export function resolveThresholds(thresholds: Partial<Thresholds>): Thresholds {
  const pick = (value: number | undefined, fallback: number, min: number) => (value !== undefined && Number.isFinite(value) ? Math.max(min, Math.floor(value)) : fallback);
  const directMax = pick(thresholds.directMax, DEFAULT_THRESHOLDS.directMax, 0);
  return {
    directMax,
    sequentialMax: Math.max(directMax, pick(thresholds.sequentialMax, DEFAULT_THRESHOLDS.sequentialMax, 0)),
    maxAgents: pick(thresholds.maxAgents, DEFAULT_THRESHOLDS.maxAgents, 1),
  };
}

function decide(files: number, components: number, t: Thresholds): { decision: Decision; reason: string } {
  const f = `${files} file${files === 1 ? '' : 's'}`;
  const where = components === 1 ? `${f} in 1 component` : `${f} in ${components} independent components`;
  const seqRange = t.directMax + 1 === t.sequentialMax ? `${t.sequentialMax} files` : `${t.directMax + 1}-${t.sequentialMax} files`;
  if (files <= t.directMax) return { decision: 'direct', reason: `${where}: direct (${t.directMax === 0 ? 'no files' : `at most ${t.directMax} file${t.directMax === 1 ? '' : 's'}`})` };
  if (files <= t.sequentialMax) return { decision: 'sequential', reason: `${where}: sequential (${seqRange})` };
  if (components < 2) return { decision: 'sequential', reason: `${where}: sequential (${t.sequentialMax + 1}+ files, but one component: tightly coupled)` };
  if (t.maxAgents < 2) return { decision: 'sequential', reason: `${where}: sequential (max_agents is 1)` };
  return { decision: 'parallel', reason: `${where}: parallel (${t.sequentialMax + 1}+ files, 2+ components)` };
}

function recommend(decision: Decision, ordered: readonly PlanTask[], batches: readonly Batch[], t: Thresholds): string {
  if (decision === 'direct') {
    const files = filesOf(ordered);
    return `Build it here, no agent: edit ${files.length === 0 ? 'the files' : list(files, 5)} directly in this session.`;
  }
  if (decision === 'sequential') return `Run one agent through the tasks in order: ${list(ordered.map((task) => task.id), 8, ' → ')}.`;
  return `Fan out: ${batches.length} batches on ${Math.min(batches.length, t.maxAgents)} parallel agents (fanout orchestrate <plan>).`;
}

function list(items: readonly string[], max: number, separator = ', '): string {
  return items.length <= max ? items.join(separator) : `${items.slice(0, max).join(separator)}${separator}… (${items.length - max} more)`;
}

function filesOf(tasks: readonly PlanTask[]): string[] {
  const seen = new Set<string>();
  for (const task of tasks) for (const file of task.files) seen.add(file);
  return [...seen];
}

/** Kahn's algorithm, ready tasks taken in plan order (a min-heap of indices); cycle leftovers appended in plan order. */
function topologicalOrder(n: number, dependents: number[][], indegree: number[]): number[] {
  const heap = new MinHeap();
  const remaining = indegree.slice();
  for (let i = 0; i < n; i++) if (remaining[i] === 0) heap.push(i);
  const order: number[] = [];
  const placed = new Array<boolean>(n).fill(false);
  while (heap.size > 0) {
    const i = heap.pop();
    placed[i] = true;
    order.push(i);
    for (const k of dependents[i] ?? []) {
      remaining[k] = (remaining[k] ?? 0) - 1;
      if (remaining[k] === 0) heap.push(k);
    }
  }
  if (order.length < n) for (let i = 0; i < n; i++) if (!placed[i]) order.push(i);
  return order;
}

class MinHeap {
  private items: number[] = [];
  get size(): number {
    return this.items.length;
  }
  push(value: number): void {
    const a = this.items;
    a.push(value);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if ((a[p] ?? 0) <= value) break;
      a[i] = a[p] ?? 0;
      i = p;
    }
    a[i] = value;
  }
  pop(): number {
    const a = this.items;
    const top = a[0] ?? 0;
    const last = a.pop() ?? 0;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && (a[r] ?? 0) < (a[l] ?? 0) ? r : l;
        if ((a[c] ?? 0) >= last) break;
        a[i] = a[c] ?? 0;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

/**
 * Largest component first (ties: plan order) onto the batch with the fewest files (ties: lowest index).
 * Batches then list their components in plan order and are themselves ordered by their first task.
 */
function pack(components: ReadonlyArray<{ members: number[]; files: string[]; first: number }>, maxAgents: number, tasks: readonly PlanTask[]): Batch[] {
  const count = Math.min(maxAgents, components.length);
  const bins = Array.from({ length: count }, () => ({ load: 0, parts: [] as Array<{ members: number[]; files: string[]; first: number }> }));
  const bySize = components.slice().sort((a, b) => b.files.length - a.files.length || a.first - b.first);
  for (const component of bySize) {
    let best = 0;
    for (let b = 1; b < bins.length; b++) if ((bins[b]?.load ?? 0) < (bins[best]?.load ?? 0)) best = b;
    const bin = bins[best];
    if (!bin) continue;
    bin.load += component.files.length;
    bin.parts.push(component);
  }
  return bins
    .filter((bin) => bin.parts.length > 0)
    .map((bin) => {
      bin.parts.sort((a, b) => a.first - b.first);
      return { first: bin.parts[0]?.first ?? 0, parts: bin.parts };
    })
    .sort((a, b) => a.first - b.first)
    .map(({ parts }) => ({
      id: '',
      tasks: parts.flatMap((part) => part.members.map((i) => tasks[i] as PlanTask)),
      files: parts.flatMap((part) => part.files),
    }));
}

/** First task id, plus '-and-N-more': readable, unique and a valid git branch path component. */
function nameBatches(batches: Batch[]): void {
  const used = new Set<string>();
  for (const batch of batches) {
    const more = batch.tasks.length - 1;
    const base = batchId(batch.tasks[0]?.id ?? 'batch', more > 0 ? `-and-${more}-more` : '');
    let id = base;
    for (let k = 2; used.has(id); k++) id = batchId(base, `-${k}`);
    used.add(id);
    batch.id = id;
  }
}

/** A git check-ref-format-safe component: [a-z0-9-], no leading '-' or '.', no '..', no '.lock', ≤ MAX_BATCH_ID. */
export function batchId(head: string, suffix: string): string {
  const clean = (text: string) => text.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-{2,}/g, '-');
  const tail = clean(suffix);
  const room = Math.max(1, MAX_BATCH_ID - tail.length);
  const start = clean(head).replace(/^-+/, '').slice(0, room).replace(/-+$/, '') || 'batch';
  return `${start}${tail}`.slice(0, MAX_BATCH_ID);
}
