import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute } from 'node:path';
import type { Constraints } from '../constraints/schema.js';
import { evaluateToolCall, writesInCheckout, type GuardContext } from '../guard/index.js';
import { preToolUseDecision, type HookInput } from './io.js';
import { activePlan, readLedgerTail } from './ledger.js';
import { loadConstraintsCached } from './load-constraints.js';
import { nodeTrackingStore } from './node-tracking-store.js';
import { checkScope, readScope } from './scope.js';
import { gateParallelWrite, sessionsRoot } from './writer-tracking.js';

export interface PreToolUseOptions {
  env: NodeJS.ProcessEnv;
  /** Orchestrated agents: a scope.json naming the only files this agent may change. */
  scopeFile?: string | undefined;
}

function deny(ruleId: string, reason: string): string {
  return preToolUseDecision('deny', `[fanout:${ruleId}] ${reason}`);
}

/** Returns what to print on stdout: a deny/ask decision, or undefined to allow (never 'allow': that would skip Claude Code's own prompt). */
export async function preToolUse(input: HookInput, options: PreToolUseOptions): Promise<string | undefined> {
  const toolName = input['tool_name'];
  const toolInput = input['tool_input'];
  if (typeof toolName !== 'string' || toolName === '') {
    return deny('malformed-input', 'the hook input has no tool_name; fanout cannot tell what would run, so it blocks the call. Retry the tool call.');
  }
  if (toolInput === null || typeof toolInput !== 'object' || Array.isArray(toolInput)) {
    return deny('malformed-input', `the hook input for ${toolName} has no tool_input object; fanout blocks what it cannot inspect. Retry the tool call.`);
  }
  const cwd = typeof input.cwd === 'string' && isAbsolute(input.cwd) ? input.cwd : process.cwd();
  const loaded = await loadConstraintsCached(cwd, options.env);
  if ('error' in loaded) {
    return deny(
      'constraints-invalid',
      `every tool call is blocked until the constraints file is fixed:\n${loaded.error}\nA human must fix ${loaded.file} (or delete it to use the defaults); \`fanout doctor\` prints the same.`,
    );
  }
  const { constraints } = loaded;
  // Plans are parsed only when the call could start an orchestration: keeps YAML and zod off the hot path.
  const plans = /orchestrate/.test(JSON.stringify(toolInput)) ? await import('../plan/index.js') : undefined;
  const context: GuardContext = {
    cwd,
    projectDir: loaded.projectDir,
    repoRoot: loaded.repoRoot,
    gitDir: loaded.gitDir,
    home: options.env['HOME'] || homedir(),
    sizePlan: (planPath: string, planCwd: string) => plans?.sizePlanFile(planPath, planCwd, constraints.gate),
    activePlanDecision: () => activePlan(readLedgerTail(loaded.commonDir), stringOr(input.session_id))?.decision,
  };
  const verdict = evaluateToolCall({ toolName, toolInput }, constraints, context);
  if (verdict.decision !== 'allow') {
    return preToolUseDecision(verdict.decision, `[fanout:${verdict.ruleId ?? 'guard'}] ${verdict.reason ?? 'blocked by the Phase 0 guard'}`);
  }
  if (options.scopeFile !== undefined) {
    const scope = readScope(options.scopeFile);
    if ('error' in scope) return deny('scope-invalid', scope.error);
    const outside = checkScope(toolName, toolInput as Record<string, unknown>, scope, context);
    if (outside) return deny(outside.ruleId, outside.reason);
  }
  // Last: a subagent's write that gets this far is allowed, so it claims the checkout.
  return parallelWriters(input, toolName, toolInput as Record<string, unknown>, constraints, context, loaded.commonDir, options.env);
}

/** The parallel-writers rule, its state kept per session in the git dir (src/guard/parallel-writers.ts). */
async function parallelWriters(
  input: HookInput,
  toolName: string,
  toolInput: Record<string, unknown>,
  constraints: Constraints,
  context: GuardContext,
  commonDir: string,
  env: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const policy = constraints.gate.parallelWriters;
  const session = stringOr(input.session_id);
  // Outside a repo there is no git dir to keep claims in; without a session id, sessions cannot be told apart.
  if (policy === 'allow' || session === undefined || !existsSync(commonDir)) return undefined;
  const pid = Number(env['CLAUDE_PID']);
  const decision = await gateParallelWrite(nodeTrackingStore, {
    root: sessionsRoot(commonDir),
    session,
    checkout: context.repoRoot,
    agent: stringOr(input['agent_id']),
    agentType: stringOr(input['agent_type']),
    pid: Number.isInteger(pid) && pid > 1 ? pid : undefined,
    policy,
    now: Date.now(),
    writes: () => writesInCheckout(toolName, toolInput, context),
    plan: () => context.activePlanDecision?.(),
  });
  return decision.action === 'block' ? preToolUseDecision(decision.severity, `[fanout:${decision.ruleId}] ${decision.message}`) : undefined;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
