// The guard's verdict on one tool call, with the files its gate rules ask for. The guard is pure and synchronous,
// but two rules want what only files know: the sizing of a plan a command names, and the decision of the
// session's active plan. So the guard runs, says what it asked for, the edge reads those files, and the guard runs
// again with the answers (it takes microseconds). Calls that ask for nothing, nearly all, run once and read nothing.
import { evaluateToolCall, type GuardContext, type PlanDecision, type PlanSizing, type ToolCall, type Verdict } from '../guard/index.js';
import type { Constraints } from '../constraints/schema.js';

export interface GateLookups {
  sizePlan(planPath: string, cwd: string): Promise<PlanSizing>;
  activePlanDecision(): Promise<PlanDecision | undefined>;
}

/** Each pass answers at least one new question; a guard that kept asking would be a bug, not a slow call. */
const MAX_PASSES = 8;

export async function judgeToolCall(call: ToolCall, constraints: Constraints, context: Omit<GuardContext, 'sizePlan' | 'activePlanDecision'>, lookups: GateLookups): Promise<Verdict> {
  const sizings = new Map<string, PlanSizing>();
  let active: { decision: PlanDecision | undefined } | undefined;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const wanted = new Map<string, [string, string]>();
    let wantsActive = false;
    const verdict = evaluateToolCall(call, constraints, {
      ...context,
      sizePlan: (planPath, cwd) => {
        const key = `${cwd}\u0000${planPath}`;
        if (sizings.has(key)) return sizings.get(key);
        wanted.set(key, [planPath, cwd]);
        return undefined;
      },
      activePlanDecision: () => {
        if (active) return active.decision;
        wantsActive = true;
        return undefined;
      },
    });
    if (wanted.size === 0 && !wantsActive) return verdict;
    for (const [key, [planPath, cwd]] of wanted) sizings.set(key, await lookups.sizePlan(planPath, cwd));
    if (wantsActive) active = { decision: await lookups.activePlanDecision() };
  }
  throw new Error(`the guard asked for files ${MAX_PASSES} times on one ${call.toolName} call`);
}
