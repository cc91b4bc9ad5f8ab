import * as z from 'zod/mini';
import { locateField, splitFrontMatter } from '../util/front-matter.js';
import { resolveConstraints, type ConstraintsContext } from './resolve-constraints.js';
import { BUILTIN_TRIGGERS } from './triggers.js';
import { ConstraintsDataSchema, type Constraints, type ConstraintsData } from './schema.js';

export type { ConstraintsContext } from './resolve-constraints.js';

export interface ConstraintsIssue {
  /** 1-based line in the file, when known. */
  line: number | undefined;
  /** Dotted field path, e.g. locked[2].level. */
  field: string;
  message: string;
}

export type ParseConstraintsResult = { ok: true; constraints: Constraints } | { ok: false; issues: ConstraintsIssue[] };

function fieldName(path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>((out, key) => (typeof key === 'number' ? `${out}[${key}]` : out ? `${out}.${String(key)}` : String(key)), '');
}

export type ValidateConstraintsResult = { ok: true; data: ConstraintsData; prose: string } | { ok: false; issues: ConstraintsIssue[] };

export function parseConstraints(text: string, context: ConstraintsContext): ParseConstraintsResult {
  const validated = validateConstraints(text);
  return validated.ok ? { ok: true, constraints: resolveConstraints(validated.data, validated.prose, context) } : validated;
}

/** Parses and validates the file's text; the result's data is what the hook caches. */
export function validateConstraints(text: string): ValidateConstraintsResult {
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
    const builtin = (BUILTIN_TRIGGERS as readonly string[]).includes(trigger.id);
    if (!builtin && trigger.command === undefined && trigger.write === undefined) {
      const path = ['stop_triggers', index, 'id'];
      issues.push({
        line: locateField(matter.value, path),
        field: fieldName(path),
        message: `'${trigger.id}' is not a built-in trigger (${BUILTIN_TRIGGERS.join(', ')}); a custom trigger needs 'command:' or 'write:'`,
      });
    }
  });
  for (const port of Object.keys(data2.ports ?? {})) {
    const n = Number(port);
    if (n < 1 || n > 65535) issues.push({ line: locateField(matter.value, ['ports', port]), field: `ports.${port}`, message: 'ports are numbers from 1 to 65535' });
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, data: data2, prose: content };
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
