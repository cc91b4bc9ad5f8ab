// Sizes the plan a command names (`fanout orchestrate <plan>`), for the guard's gate rules: the hook and
// `fanout check` must answer alike. Reads synchronously: the hook has no time for more.
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parsePlan } from './parse-plan.js';
import { sizePlan } from './size-plan.js';
import type { Decision, Thresholds } from './types.js';

export type PlanFileSizing = { decision: Decision; reason: string; recommendation: string } | { error: string };

export function sizePlanFile(planPath: string, cwd: string, thresholds: Partial<Thresholds>): PlanFileSizing {
  const path = isAbsolute(planPath) ? planPath : resolve(cwd, planPath);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { error: `cannot read plan ${planPath} (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  const parsed = parsePlan(text, { source: planPath });
  if (!parsed.ok) return { error: parsed.issues.map((issue) => `${planPath}${issue.line ? `:${issue.line}` : ''}: ${issue.field}: ${issue.message}`).join('\n') };
  const sizing = sizePlan(parsed.plan, thresholds);
  return { decision: sizing.decision, reason: sizing.reason, recommendation: sizing.recommendation };
}
