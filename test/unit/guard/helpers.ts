// Tables for the guard: assertDenied(cmd, ruleId) / assertAsk(cmd, ruleId) / assertAllowed(cmd).
import { expect } from 'vitest';
import { defaultConstraints, resolveConstraints } from '../../../src/constraints/resolve-constraints.js';
import type { Constraints, ConstraintsData } from '../../../src/constraints/schema.js';
import { evaluateToolCall, type GuardContext, type PlanDecision, type PlanSizing, type Verdict } from '../../../src/guard/index.js';

export const HOME = '/home/dev';
export const REPO = '/home/dev/proj';

export function context(overrides: Partial<GuardContext> = {}): GuardContext {
  return { cwd: REPO, projectDir: REPO, repoRoot: REPO, gitDir: `${REPO}/.git`, home: HOME, ...overrides };
}

export function constraints(data: ConstraintsData = {}): Constraints {
  return Object.keys(data).length === 0 ? defaultConstraints({ repoRoot: REPO }) : resolveConstraints(data, '', { repoRoot: REPO, source: 'test' });
}

export interface Options {
  constraints?: Constraints;
  context?: GuardContext;
}

export function bash(command: string, options: Options = {}): Verdict {
  return evaluateToolCall({ toolName: 'Bash', toolInput: { command } }, options.constraints ?? constraints(), options.context ?? context());
}

export function tool(toolName: string, toolInput: unknown, options: Options = {}): Verdict {
  return evaluateToolCall({ toolName, toolInput }, options.constraints ?? constraints(), options.context ?? context());
}

function describe(verdict: Verdict): string {
  return `${verdict.decision} ${verdict.findings.map((f) => `${f.severity}:${f.ruleId}`).join(', ')} — ${verdict.reason ?? ''}`;
}

export function expectVerdict(verdict: Verdict, decision: 'deny' | 'ask', ruleId: string): void {
  expect(verdict.decision, describe(verdict)).toBe(decision);
  expect(verdict.findings.filter((f) => f.severity === decision).map((f) => f.ruleId), describe(verdict)).toContain(ruleId);
  expect(verdict.reason, describe(verdict)).toBeTruthy();
}

export function assertDenied(command: string, ruleId: string, options: Options = {}): void {
  expectVerdict(bash(command, options), 'deny', ruleId);
}

export function assertAsk(command: string, ruleId: string, options: Options = {}): void {
  expectVerdict(bash(command, options), 'ask', ruleId);
}

export function assertAllowed(command: string, options: Options = {}): void {
  const verdict = bash(command, options);
  expect(verdict.decision, describe(verdict)).toBe('allow');
}

export function sizing(decision: PlanDecision | 'error'): (plan: string) => PlanSizing {
  return () => (decision === 'error' ? { error: 'tasks[0].files: expected an array' } : { decision, reason: `the plan touches 2 files`, recommendation: 'Build it directly in this session.' });
}
