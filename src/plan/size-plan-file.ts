// Sizes the plan a command names (`fanout orchestrate <plan>`), for the guard's gate rules: the hook, the hooks
// module and `fanout check` must answer alike.
import { isAbsolute, resolve } from 'node:path';
import type { HostFs } from '../util/host-fs.js';
import { parsePlan } from './parse-plan.js';
import { sizePlan } from './size-plan.js';
import type { Decision, Thresholds } from './types.js';

export type PlanFileSizing = { decision: Decision; reason: string; recommendation: string } | { error: string };

export async function sizePlanFile(planPath: string, cwd: string, thresholds: Partial<Thresholds>, fs: HostFs): Promise<PlanFileSizing> {
  const path = isAbsolute(planPath) ? planPath : resolve(cwd, planPath);
  let text: string | undefined;
  try {
    text = await fs.readText(path);
  } catch (error) {
    return { error: `cannot read plan ${planPath} (${(error as { code?: string } | null)?.code ?? String(error)})` };
  }
  if (text === undefined) return { error: `cannot read plan ${planPath} (ENOENT)` };
  const parsed = parsePlan(text, { source: planPath });
  if (!parsed.ok) return { error: parsed.issues.map((issue) => `${planPath}${issue.line ? `:${issue.line}` : ''}: ${issue.field}: ${issue.message}`).join('\n') };
  const sizing = sizePlan(parsed.plan, thresholds);
  return { decision: sizing.decision, reason: sizing.reason, recommendation: sizing.recommendation };
}
