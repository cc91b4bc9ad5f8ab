// The rules every plan obeys, whichever form it was written in: ids, files, dependencies, no cycles.
import { normalizePlanPath } from './normalize-plan-path.js';
import type { PlanIssue, PlanTask } from './types.js';

export const TASK_ID = /^[a-z0-9-]+$/;

/** A task as read from the file, before validation; undefined parts were of the wrong type (already reported). */
export interface RawTask {
  id: string | undefined;
  files: string[] | undefined;
  dependsOn: string[] | undefined;
  prompt: string | undefined;
}

export type TaskPart = { kind: 'task' } | { kind: 'id' } | { kind: 'files' } | { kind: 'file'; index: number } | { kind: 'dep'; index: number };

/** Where a part of a task is written: the issue's line and field. */
export type Locate = (task: number, part: TaskPart) => { line: number | undefined; field: string };

/** Validates and normalises tasks; returns every issue found, in file order. */
export function validateTasks(raw: readonly RawTask[], locate: Locate): { tasks: PlanTask[]; issues: PlanIssue[] } {
  const issues: PlanIssue[] = [];
  const report = (task: number, part: TaskPart, message: string) => issues.push({ ...locate(task, part), message });
  const firstIndex = new Map<string, number>();
  const tasks: PlanTask[] = [];

  raw.forEach((task, index) => {
    const { id } = task;
    if (id !== undefined) {
      if (!TASK_ID.test(id)) {
        const suggestion = id.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '') || 'task-1';
        report(index, { kind: 'id' }, `'${id}' is not a valid id: use lowercase letters, digits and dashes only ([a-z0-9-]+), e.g. '${suggestion}'`);
      }
      const seen = firstIndex.get(id);
      if (seen !== undefined) {
        report(index, { kind: 'id' }, `duplicate id '${id}' (already used by task ${seen + 1}): give every task its own id`);
      } else firstIndex.set(id, index);
    }
    const files: string[] = [];
    if (task.files !== undefined) {
      if (task.files.length === 0) report(index, { kind: 'files' }, `task '${id ?? index + 1}' lists no files: add the repo-relative files it changes (at least one)`);
      const seenFiles = new Set<string>();
      task.files.forEach((file, fileIndex) => {
        const checked = normalizePlanPath(file);
        if (!checked.ok) report(index, { kind: 'file', index: fileIndex }, checked.message);
        else if (!seenFiles.has(checked.path)) {
          seenFiles.add(checked.path);
          files.push(checked.path);
        }
      });
    }
    const dependsOn = [...new Set(task.dependsOn ?? [])];
    tasks.push({ id: id ?? '', files, dependsOn, ...(task.prompt === undefined ? {} : { prompt: task.prompt }) });
  });

  const known = [...firstIndex.keys()];
  raw.forEach((task, index) => {
    task.dependsOn?.forEach((dep, depIndex) => {
      if (dep === task.id) {
        report(index, { kind: 'dep', index: depIndex }, `task '${dep}' depends on itself: remove '${dep}' from its depends_on`);
      } else if (!firstIndex.has(dep)) {
        const hint = known.length <= 1000 ? closest(dep, known) : undefined;
        report(index, { kind: 'dep', index: depIndex }, `unknown task id '${dep}'${hint ? ` (did you mean '${hint}'?)` : ''}; known ids: ${listIds(known)}`);
      }
    });
  });

  for (const cycle of findCycles(tasks, firstIndex)) {
    const first = cycle[0] ?? '';
    const at = firstIndex.get(first) ?? 0;
    report(at, { kind: 'task' }, `depends_on forms a cycle: ${[...cycle, first].join(' → ')} (each waits for the next); remove one of these dependencies`);
  }
  return { tasks, issues };
}

/** Each elementary cycle reachable in the depends_on graph, found once, without recursion (Kahn, then walks). */
export function findCycles(tasks: readonly PlanTask[], index: ReadonlyMap<string, number>): string[][] {
  const n = tasks.length;
  const indegree = new Array<number>(n).fill(0);
  const dependents: number[][] = Array.from({ length: n }, () => []);
  const deps: number[][] = Array.from({ length: n }, () => []);
  tasks.forEach((task, i) => {
    if (index.get(task.id) !== i) return;
    for (const dep of task.dependsOn) {
      const j = index.get(dep);
      if (j === undefined || j === i) continue;
      deps[i]?.push(j);
      dependents[j]?.push(i);
      indegree[i] = (indegree[i] ?? 0) + 1;
    }
  });
  const queue: number[] = [];
  for (let i = 0; i < n; i++) if (indegree[i] === 0) queue.push(i);
  const done = new Array<boolean>(n).fill(false);
  for (let head = 0; head < queue.length; head++) {
    const i = queue[head] ?? 0;
    done[i] = true;
    for (const k of dependents[i] ?? []) {
      indegree[k] = (indegree[k] ?? 0) - 1;
      if (indegree[k] === 0) queue.push(k);
    }
  }
  // Every task left waits on another task left: following any such dependency must come back round.
  const cycles: string[][] = [];
  const visited = new Array<number>(n).fill(-1);
  for (let startAt = 0; startAt < n; startAt++) {
    if (done[startAt] || visited[startAt] !== -1) continue;
    const path: number[] = [];
    let at = startAt;
    while (visited[at] === -1) {
      visited[at] = startAt;
      path.push(at);
      const next = (deps[at] ?? []).find((j) => !done[j]);
      if (next === undefined) break;
      at = next;
    }
    if (visited[at] === startAt && path.includes(at)) {
      const cycle = path.slice(path.indexOf(at));
      // Named from its first task in plan order: the same cycle reads the same whichever task the walk began at.
      const lowest = cycle.indexOf(cycle.reduce((a, b) => Math.min(a, b)));
      cycles.push([...cycle.slice(lowest), ...cycle.slice(0, lowest)].map((i) => tasks[i]?.id ?? ''));
    }
  }
  return cycles;
}

function listIds(ids: readonly string[]): string {
  if (ids.length === 0) return '(none)';
  return ids.length <= 12 ? ids.join(', ') : `${ids.slice(0, 12).join(', ')}, … (${ids.length - 12} more)`;
}

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
  for (const candidate of candidates) {
    if (Math.abs(candidate.length - word.length) >= bestDistance) continue;
    const d = distance(word, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
