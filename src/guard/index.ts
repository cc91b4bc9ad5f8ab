// The Phase 0 guard: shell analysis, file targets and the policy that turns findings into allow | ask | deny.
export { evaluateToolCall, toolFileTargets, verdictOf } from './evaluate-tool-call.js';
export { Analysis, analyzeShell, analyzeShell as analyzeCommand } from './analyze-command.js';
export { shellWriteTargets } from './shell-write-targets.js';
export {
  CLAIM_IDLE_MS,
  decideParallelWrite,
  liveClaim,
  PARALLEL_WRITERS_RULE,
  writesInCheckout,
  type ParallelWriteDecision,
  type ParallelWriteQuestion,
  type ParallelWritersPolicy,
  type SubagentRecord,
  type WriterClaim,
  type WriterState,
} from './parallel-writers.js';
export { lockFor } from './judge-targets.js';
export { lockedPortBindings, type PortBinding } from './judge-ports.js';
export type { Decision, Finding, GuardContext, PlanDecision, PlanSizing, Severity, ToolCall, Verdict } from './types.js';
