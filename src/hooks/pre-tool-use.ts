// PreToolUse: the Phase 0 guard, the scope of an orchestrated agent, the gate, the parallel-writers rule and the
// ledger record, over injected file access: the command hook (node) and the in-process hooks module ($.fs) run this
// same code.
import { isAbsolute } from 'node:path';
import type { Env } from '../constraints/find-repo.js';
import type { Constraints } from '../constraints/schema.js';
import { writesInCheckout, type GuardContext } from '../guard/index.js';
import type { HostFs } from '../util/host-fs.js';
import { hostTrackingStore } from './host-tracking-store.js';
import { additionalContext, preToolUseDecision, type HookInput } from './io.js';
import { humanRequest } from './human-requests.js';
import { judgeToolCall } from './judge-tool-call.js';
import { activePlan, readLedgerTail } from './ledger.js';
import { loadConstraintsCached, type ConstraintsCache } from './load-constraints.js';
import { recordToolCall, toolRecord, type ToolRecord } from './record-tool-call.js';
import { checkScope, readScope } from './scope.js';
import { gateParallelWrite, readSubagent, sessionsRoot } from './writer-tracking.js';

export interface PreToolUseOptions {
  env: Env;
  fs: HostFs;
  /** Where a hook input without an absolute cwd runs: the hook process's own directory. */
  fallbackCwd: string;
  /** The home directory when $HOME is unset. */
  fallbackHome: string;
  /** Orchestrated agents: a scope.json naming the only files this agent may change. */
  scopeFile?: string | undefined;
  cache?: ConstraintsCache;
  now?: () => Date;
}

export type PreToolUseAnswer =
  | { decision: 'deny'; ruleId: string; reason: string }
  | { decision: 'ask'; ruleId: string; reason: string }
  /** `context`: what the model should be told (warn-level locks); `record`: what to append to the ledger. */
  | { decision: 'allow'; context?: string; record?: ToolRecord };

function refuse(ruleId: string, reason: string, decision: 'deny' | 'ask' = 'deny'): PreToolUseAnswer {
  return { decision, ruleId, reason: `[fanout:${ruleId}] ${reason}` };
}

/** The verdict on one tool call; writes the constraints cache and, under the parallel-writers rule, a subagent's claim. */
export async function judgePreToolUse(input: HookInput, options: PreToolUseOptions): Promise<PreToolUseAnswer> {
  const toolName = input['tool_name'];
  const toolInput = input['tool_input'];
  if (typeof toolName !== 'string' || toolName === '') {
    return refuse('malformed-input', 'the hook input has no tool_name; fanout cannot tell what would run, so it blocks the call. Retry the tool call.');
  }
  if (toolInput === null || typeof toolInput !== 'object' || Array.isArray(toolInput)) {
    return refuse('malformed-input', `the hook input for ${toolName} has no tool_input object; fanout blocks what it cannot inspect. Retry the tool call.`);
  }
  const { env, fs } = options;
  const cwd = typeof input.cwd === 'string' && isAbsolute(input.cwd) ? input.cwd : options.fallbackCwd;
  const loaded = await loadConstraintsCached(cwd, env, fs, options.cache);
  if ('error' in loaded) {
    return refuse(
      'constraints-invalid',
      `every tool call is blocked until the constraints file is fixed:\n${loaded.error}\nA human must fix ${loaded.file} (or delete it to use the defaults); \`fanout doctor\` prints the same.`,
    );
  }
  const { constraints } = loaded;
  const session = stringOr(input.session_id);
  const now = (options.now ?? (() => new Date()))();
  const context: GuardContext = { cwd, projectDir: loaded.projectDir, repoRoot: loaded.repoRoot, gitDir: loaded.gitDir, home: env['HOME'] || options.fallbackHome };
  const verdict = await judgeToolCall({ toolName, toolInput }, constraints, context, {
    // Plans are parsed only when a rule names one: keeps YAML and zod off the hot path.
    sizePlan: async (planPath, planCwd) => (await import('../plan/size-plan-file.js')).sizePlanFile(planPath, planCwd, constraints.gate, fs),
    activePlanDecision: async () => activePlan(await readLedgerTail(fs, loaded.commonDir), session)?.decision,
  });
  // An orchestrated agent runs in print mode, where nobody can answer an ask: the request is recorded for the run's report, or let through once approved.
  const needsHuman = verdict.decision === 'ask' && options.scopeFile !== undefined ? await humanRequest(fs, options.scopeFile, toolName, verdict) : undefined;
  if (needsHuman !== undefined && needsHuman !== 'approved') return needsHuman;
  if (verdict.decision !== 'allow' && needsHuman !== 'approved') return refuse(verdict.ruleId ?? 'guard', verdict.reason ?? 'blocked by the Phase 0 guard', verdict.decision);
  if (options.scopeFile !== undefined) {
    const scope = await readScope(fs, options.scopeFile);
    if ('error' in scope) return refuse('scope-invalid', scope.error);
    const outside = checkScope(toolName, toolInput as Record<string, unknown>, scope, context, env['TMPDIR']);
    if (outside) return refuse(outside.ruleId, outside.reason);
  }
  // Last: a subagent's write that gets this far is allowed, so it claims the checkout (the claim is recorded now).
  const parallel = loaded.inRepo ? await parallelWriters(input, session, now, toolName, toolInput as Record<string, unknown>, constraints, context, loaded.commonDir, options) : undefined;
  if (parallel) return parallel;
  const record = toolRecord(toolName, toolInput as Record<string, unknown>, context, loaded.commonDir, session, now);
  // warn-level locks: the call goes ahead, and the model is told to report it.
  const report = verdict.warnings.length === 0 ? undefined : `fanout: ${verdict.warnings.map((w) => w.message).join(' ')} Tell the user about this change and why you made it.`;
  return { decision: 'allow', ...(report === undefined ? {} : { context: report }), ...(record === undefined ? {} : { record }) };
}

/** The parallel-writers rule, its state kept per session in the git dir (src/guard/parallel-writers.ts). */
async function parallelWriters(
  input: HookInput,
  session: string | undefined,
  now: Date,
  toolName: string,
  toolInput: Record<string, unknown>,
  constraints: Constraints,
  context: GuardContext,
  commonDir: string,
  options: PreToolUseOptions,
): Promise<PreToolUseAnswer | undefined> {
  const policy = constraints.gate.parallelWriters;
  // Outside a repo there is no git dir to keep claims in (the caller checks); without a session id, sessions cannot be told apart.
  if (policy === 'allow' || session === undefined) return undefined;
  const pid = Number(options.env['CLAUDE_PID']);
  const store = hostTrackingStore(options.fs);
  const root = sessionsRoot(commonDir);
  const agent = stringOr(input['agent_id']);
  // The hooks module learns only the agent's id from Claude Code; its type is in the SubagentStart record.
  const agentType = stringOr(input['agent_type']) ?? (agent === undefined ? undefined : (await readSubagent(store, root, session, agent)).type);
  const decision = await gateParallelWrite(store, {
    root,
    session,
    checkout: context.repoRoot,
    agent,
    agentType,
    pid: Number.isInteger(pid) && pid > 1 ? pid : undefined,
    policy,
    now: now.getTime(),
    writes: () => writesInCheckout(toolName, toolInput, context),
    plan: async () => activePlan(await readLedgerTail(options.fs, commonDir), session)?.decision,
  });
  return decision.action === 'block' ? refuse(decision.ruleId, decision.message, decision.severity) : undefined;
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The command hook: judge, record what goes ahead, and answer in Claude Code's PreToolUse protocol. */
export async function preToolUse(input: HookInput, options: PreToolUseOptions): Promise<string | undefined> {
  const answer = await judgePreToolUse(input, options);
  if (answer.decision !== 'allow') return preToolUseDecision(answer.decision, answer.reason);
  if (answer.record) await recordToolCall(options.fs, answer.record);
  // Never an explicit allow: that would skip Claude Code's own permission prompt.
  return answer.context === undefined ? undefined : additionalContext('PreToolUse', answer.context);
}
