// Plan files → the Plan model. Pure: the text in, the plan or every issue (with line and field) out.
import * as z from 'zod/mini';
import { splitFrontMatter } from '../util/front-matter.js';
import { locateYamlField, yamlLocator } from '../util/locate-yaml-field.js';
import { convertHumanPlan, looksLikeHumanPlan } from './parse-human-plan.js';
import { HumanPlanDataSchema, PLAN_FIELDS, PlanDataSchema, TASK_FIELDS } from './plan-schema.js';
import type { ParsePlanResult, PlanIssue } from './types.js';
import { validateTasks, type Locate, type RawTask, type TaskPart } from './validate-tasks.js';

export interface ParsePlanOptions {
  /** The file name: a human plan without a heading takes its title from it. */
  source?: string;
}

/** A parse result plus where each task's parts are written (readPlan reports symlink escapes with it). */
export interface ParsedPlanDetail {
  result: ParsePlanResult;
  locate: Locate;
}

const OPEN = /^\uFEFF?---[ \t]*\r?\n/;
const nowhere: Locate = () => ({ line: undefined, field: '(plan)' });

/**
 * Parses a plan in the canonical form (YAML front matter with `tasks:`) or the human template (a File Changes
 * table and/or an Implementation Sequence list), detected from the text: front matter with `tasks` is canonical;
 * otherwise a document with a File Changes / Implementation Sequence section (or a table with a File column) is
 * converted; otherwise front matter is read as canonical (and reported incomplete), and plain prose is not a plan.
 */
export function parsePlan(text: string, options: ParsePlanOptions = {}): ParsePlanResult {
  return parsePlanDetail(text, options).result;
}

export function parsePlanDetail(text: string, options: ParsePlanOptions = {}): ParsedPlanDetail {
  const matter = splitFrontMatter(text);
  if (!matter.ok) return fail([{ line: matter.line, field: '(front matter)', message: matter.message }]);
  const { data, content, yaml, dataLine } = matter.value;
  const hasFrontMatter = OPEN.test(text);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return fail([{ line: 1, field: '(front matter)', message: 'front matter must be a YAML mapping (title:, tasks: …), not a list or a single value' }]);
  }
  const record = data as Record<string, unknown>;
  const bodyLine = hasFrontMatter ? dataLine + yaml.split('\n').length : 1;
  if (!('tasks' in record) && looksLikeHumanPlan(content)) return parseHuman(record, yaml, dataLine, content, bodyLine, options);
  if (!hasFrontMatter) {
    return fail([
      {
        line: 1,
        field: '(plan)',
        message:
          "not a plan: expected YAML front matter with 'tasks:' (canonical form) or a '## File Changes' table / '## Implementation Sequence' list (human template); see docs/plan-format.md",
      },
    ]);
  }
  return parseCanonical(record, yaml, dataLine, content);
}

function parseCanonical(data: Record<string, unknown>, yaml: string, dataLine: number, content: string): ParsedPlanDetail {
  const at = yamlLocator(yaml, dataLine);
  const issues: PlanIssue[] = [];
  const parsed = z.safeParse(PlanDataSchema, data);
  if (!parsed.success) for (const issue of parsed.error.issues) issues.push(...describeIssue(issue, data, at));

  if (typeof data['title'] === 'string' && data['title'].trim() === '') {
    issues.push({ line: at(['title']), field: 'title', message: "empty: write one line saying what the plan does, e.g. 'title: Add password reset'" });
  }
  const rawTasks = Array.isArray(data['tasks']) ? (data['tasks'] as unknown[]) : [];
  if (Array.isArray(data['tasks']) && rawTasks.length === 0) {
    issues.push({ line: at(['tasks']), field: 'tasks', message: 'no tasks: add at least one task (- id: …, files: […])' });
  }
  const tasks: RawTask[] = rawTasks.map((raw) => {
    const task = raw !== null && typeof raw === 'object' && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
    return {
      id: typeof task['id'] === 'string' ? task['id'] : undefined,
      files: stringList(task['files']),
      dependsOn: task['depends_on'] === null ? [] : stringList(task['depends_on']),
      prompt: typeof task['prompt'] === 'string' ? task['prompt'] : undefined,
    };
  });
  const locate: Locate = (task: number, part: TaskPart) => {
    const id = tasks[task]?.id;
    const base = `tasks[${task}]${id ? ` (${id})` : ''}`;
    switch (part.kind) {
      case 'task':
        return { line: at(['tasks', task]), field: base };
      case 'id':
        return { line: at(['tasks', task, 'id']), field: `${base}.id` };
      case 'files':
        return { line: at(['tasks', task, 'files']), field: `${base}.files` };
      case 'file':
        return { line: at(['tasks', task, 'files', part.index]), field: `${base}.files[${part.index}]` };
      case 'dep':
        return { line: at(['tasks', task, 'depends_on', part.index]), field: `${base}.depends_on[${part.index}]` };
    }
  };
  const validated = validateTasks(tasks, locate);
  issues.push(...validated.issues);
  if (issues.length > 0) return { result: { ok: false, issues: sortIssues(issues) }, locate };
  const title = (data['title'] as string).trim();
  const validate = typeof data['validate'] === 'string' && data['validate'].trim() !== '' ? data['validate'] : undefined;
  return {
    result: { ok: true, plan: { title, ...(validate === undefined ? {} : { validate }), tasks: validated.tasks, context: trimContext(content), format: 'canonical' } },
    locate,
  };
}

function parseHuman(data: Record<string, unknown>, yaml: string, dataLine: number, content: string, bodyLine: number, options: ParsePlanOptions): ParsedPlanDetail {
  const issues: PlanIssue[] = [];
  const parsed = z.safeParse(HumanPlanDataSchema, data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          issues.push({
            line: locateYamlField(yaml, dataLine, [key]),
            field: key,
            message: `unknown field '${key}': a human-template plan's front matter may only have title and validate (tasks come from the File Changes table); for the canonical form add 'tasks:'`,
          });
        }
      } else issues.push({ line: locateYamlField(yaml, dataLine, issue.path.map(String)), field: issue.path.join('.') || '(front matter)', message: 'expected a single line of text' });
    }
  }
  const fallbackTitle = options.source ? (options.source.split(/[\\/]/).pop() ?? options.source).replace(/\.(md|markdown)$/i, '') : 'Untitled plan';
  const converted = convertHumanPlan(content, bodyLine, fallbackTitle);
  if ('issues' in converted) return fail(sortIssues([...issues, ...converted.issues]));
  const { draft } = converted;
  const validated = validateTasks(draft.tasks, draft.locate);
  issues.push(...validated.issues);
  if (issues.length > 0) return { result: { ok: false, issues: sortIssues(issues) }, locate: draft.locate };
  const title = typeof data['title'] === 'string' && data['title'].trim() !== '' ? data['title'].trim() : draft.title;
  const validate = typeof data['validate'] === 'string' && data['validate'].trim() !== '' ? data['validate'] : undefined;
  return {
    result: { ok: true, plan: { title, ...(validate === undefined ? {} : { validate }), tasks: validated.tasks, context: trimContext(content), format: 'human' } },
    locate: draft.locate,
  };
}

function describeIssue(issue: z.core.$ZodIssue, data: Record<string, unknown>, at: (path: ReadonlyArray<string | number>) => number | undefined): PlanIssue[] {
  const path = issue.path.map((p) => (typeof p === 'number' ? p : String(p)));
  const inTask = path[0] === 'tasks' && typeof path[1] === 'number';
  const field = fieldName(path, data);
  if (issue.code === 'unrecognized_keys') {
    const known = inTask ? TASK_FIELDS : PLAN_FIELDS;
    return issue.keys.map((key) => {
      const near = suggestField(key, known);
      return {
        line: at([...path, key]),
        field: field ? `${field}.${key}` : key,
        message: `unknown field '${key}'${near ? ` (did you mean '${near}'?)` : ''}; known ${inTask ? 'task ' : ''}fields: ${known.join(', ')}`,
      };
    });
  }
  const value = path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[key] : undefined), data);
  const last = path[path.length - 1];
  let message = issue.message;
  if (issue.code === 'invalid_type' && value === undefined) {
    message =
      last === 'title'
        ? "missing: add 'title: <what the plan does>'"
        : last === 'tasks'
          ? "no tasks: add a 'tasks:' list (- id: …, files: […], depends_on: […]); see docs/plan-format.md"
          : last === 'id'
            ? "missing: every task needs 'id: <lowercase-and-dashes>'"
            : last === 'files'
              ? "missing: list the files the task changes, e.g. 'files: [src/app.ts]'"
              : `missing ${String(last)}`;
  } else if (issue.code === 'invalid_type') {
    const got = value === null ? 'nothing' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'a mapping' : `${typeof value} ${JSON.stringify(value)}`;
    const want = issue.expected === 'array' ? 'a list ([a, b] or one "- item" per line)' : issue.expected === 'string' ? 'text (quote it: "…")' : issue.expected === 'object' ? 'a mapping (id: …, files: […])' : issue.expected;
    message = `expected ${want}, got ${got}`;
  }
  return [{ line: at(path), field: field || '(front matter)', message }];
}

function fieldName(path: ReadonlyArray<string | number>, data: Record<string, unknown>): string {
  let out = '';
  path.forEach((key, i) => {
    if (typeof key === 'number') {
      out += `[${key}]`;
      if (i === 1 && path[0] === 'tasks') {
        const task = (data['tasks'] as unknown[])[key];
        const id = task !== null && typeof task === 'object' ? (task as Record<string, unknown>)['id'] : undefined;
        if (typeof id === 'string') out += ` (${id})`;
      }
    } else out = out ? `${out}.${key}` : key;
  });
  return out;
}

function suggestField(key: string, known: readonly string[]): string | undefined {
  const flat = (s: string) => s.toLowerCase().replace(/[^a-z]/g, '');
  const aliases: Record<string, string> = { dependson: 'depends_on', depends: 'depends_on', deps: 'depends_on', dependencies: 'depends_on', after: 'depends_on', file: 'files', paths: 'files', name: 'id', description: 'prompt', task: 'prompt', name_: 'title', context: 'title' };
  const hit = known.find((k) => flat(k) === flat(key)) ?? aliases[flat(key)];
  return hit !== undefined && known.includes(hit) ? hit : undefined;
}

function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((v): v is string => typeof v === 'string');
}

function trimContext(content: string): string {
  return content.replace(/^(?:[ \t]*\r?\n)+/, '').trimEnd();
}

function sortIssues(issues: PlanIssue[]): PlanIssue[] {
  return issues.map((issue, i) => ({ issue, i })).sort((a, b) => (a.issue.line ?? Infinity) - (b.issue.line ?? Infinity) || a.i - b.i).map(({ issue }) => issue);
}

function fail(issues: PlanIssue[]): ParsedPlanDetail {
  return { result: { ok: false, issues }, locate: nowhere };
}
