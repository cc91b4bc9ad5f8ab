import { isAbsolute, resolve } from 'node:path';
import * as z from 'zod/mini';
import { locateField, splitFrontMatter } from '../util/front-matter.js';
import { DEFAULT_GATE, DEFAULT_LOCKED, DEFAULT_STOP_TRIGGERS, DEFAULT_TEMP_ROOTS } from './defaults.js';
import { ConstraintsDataSchema, type Constraints, type ConstraintsData } from './schema.js';

export interface ConstraintsIssue {
  /** 1-based line in the file, when known. */
  line: number | undefined;
  /** Dotted field path, e.g. locked[2].level. */
  field: string;
  message: string;
}

export type ParseConstraintsResult = { ok: true; constraints: Constraints } | { ok: false; issues: ConstraintsIssue[] };

export interface ConstraintsContext {
  repoRoot: string;
  /** Path shown in messages and recorded as the source. */
  source: string;
  /** $TMPDIR, if set: always a temp root. */
  tmpdir?: string | undefined;
}

function fieldName(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

/** Fills every default in: a missing file and an empty front matter give the same constraints. */
export function resolveConstraints(data: ConstraintsData, prose: string, context: ConstraintsContext): Constraints {
  const tempRoots = [...DEFAULT_TEMP_ROOTS, ...(context.tmpdir ? [context.tmpdir] : []), ...(data.temp_roots ?? [])];
  const ports: Record<number, string> = {};
  for (const [port, service] of Object.entries(data.ports ?? {})) ports[Number(port)] = service;
  return {
    locked: data.locked ?? DEFAULT_LOCKED,
    stopTriggers: data.stop_triggers ?? DEFAULT_STOP_TRIGGERS,
    boundary: data.boundary === undefined ? context.repoRoot : isAbsolute(data.boundary) ? data.boundary : resolve(context.repoRoot, data.boundary),
    tempRoots: [...new Set(tempRoots.map((root) => root.replace(/\/+$/, '') || '/'))],
    ports,
    gate: {
      directMax: data.gate?.direct_max ?? DEFAULT_GATE.directMax,
      sequentialMax: data.gate?.sequential_max ?? DEFAULT_GATE.sequentialMax,
      maxAgents: data.gate?.max_agents ?? DEFAULT_GATE.maxAgents,
      subagentWorktree: data.gate?.subagent_worktree ?? DEFAULT_GATE.subagentWorktree,
    },
    orchestrate: data.orchestrate ?? {},
    prose: prose.trim(),
    source: context.source,
  };
}

export function defaultConstraints(context: Omit<ConstraintsContext, 'source'>): Constraints {
  return resolveConstraints({}, '', { ...context, source: 'defaults' });
}

export function parseConstraints(text: string, context: ConstraintsContext): ParseConstraintsResult {
  const matter = splitFrontMatter(text);
  if (!matter.ok) return { ok: false, issues: [{ line: matter.line, field: '(front matter)', message: matter.message }] };
  const { data, content } = matter.value;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    return { ok: false, issues: [{ line: 2, field: '(front matter)', message: 'front matter must be a YAML mapping (key: value lines)' }] };
  }
  const parsed = z.safeParse(ConstraintsDataSchema, data);
  if (!parsed.success) {
    return {
      ok: false,
      issues: parsed.error.issues.map((issue) => {
        const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0] ?? ''] : issue.path;
        return { line: locateField(matter.value, path), field: fieldName(path) || '(front matter)', message: describeIssue(issue) };
      }),
    };
  }
  const issues: ConstraintsIssue[] = [];
  const data2 = parsed.data;
  data2.stop_triggers?.forEach((trigger, index) => {
    const builtin = ['add-dependency', 'create-migration', 'sudo', 'git-push', 'publish', 'deploy'].includes(trigger.id);
    if (!builtin && trigger.command === undefined && trigger.write === undefined) {
      const path = ['stop_triggers', index, 'id'];
      issues.push({
        line: locateField(matter.value, path),
        field: fieldName(path),
        message: `'${trigger.id}' is not a built-in trigger (add-dependency, create-migration, sudo, git-push, publish, deploy); a custom trigger needs 'command:' or 'write:'`,
      });
    }
  });
  for (const port of Object.keys(data2.ports ?? {})) {
    const n = Number(port);
    if (n < 1 || n > 65535) issues.push({ line: locateField(matter.value, ['ports', port]), field: `ports.${port}`, message: 'ports are numbers from 1 to 65535' });
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, constraints: resolveConstraints(data2, content, context) };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    return `unknown field '${issue.keys.join("', '")}'; known fields: version, locked, stop_triggers, boundary, temp_roots, ports, gate, orchestrate (and, per lock: path, level, reason, except)`;
  }
  if (issue.code === 'invalid_value' && 'values' in issue) return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  return issue.message;
}

export function formatConstraintsIssues(file: string, issues: ConstraintsIssue[]): string {
  return issues
    .map((issue) => `${file}${issue.line === undefined ? '' : `:${issue.line}`}: ${issue.field}: ${issue.message}`)
    .join('\n');
}
