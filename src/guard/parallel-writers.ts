// The parallel-writers rule: Claude Code runs subagents in the background, several at once, all in the session's
// checkout. Reading side by side is free; writing side by side overwrites work. The first subagent whose write is
// allowed claims the checkout for its session; another writer (subagent or the main session) is refused while that
// claim is live, unless a plan sized parallel is active. Pure: the hooks read and record the state (writer-tracking).
import { posix } from 'node:path';
import { toolFileTargets } from './evaluate-tool-call.js';
import { shellWriteTargets } from './shell-write-targets.js';
import type { GuardContext, PlanDecision } from './types.js';

export const PARALLEL_WRITERS_RULE = 'parallel-writers';

/**
 * A claim whose holder made no gated tool call for this long is void: the SubagentStop that would have released it
 * never came (a hook that timed out, an agent killed without one). Long enough for a test run between two writes.
 */
export const CLAIM_IDLE_MS = 20 * 60_000;

export type ParallelWritersPolicy = 'allow' | 'ask' | 'deny';

/** The claim of one checkout by one subagent, generation n of that (session, checkout). */
export interface WriterClaim {
  generation: number;
  /** The holder's agent_id. */
  agent: string;
  agentType?: string;
  /** When the claim was made (ms since the epoch). */
  since: number;
  /** The Claude Code process (CLAUDE_PID) of the session, when known. */
  pid?: number;
}

/** What the hooks recorded about one subagent of the session. */
export interface SubagentRecord {
  type?: string;
  /** SubagentStart, SubagentStop, and the last gated tool call it made while holding a claim (ms). */
  started?: number;
  stopped?: number;
  lastSeen?: number;
}

/** Everything the rule knows about one (session, checkout). */
export interface WriterState {
  /** The newest claim (highest generation), live or not. */
  claim: WriterClaim | undefined;
  /** The claim holder's record (or every subagent's: only the holder's is read). */
  subagents: Record<string, SubagentRecord>;
  /** Whether the claim's Claude Code process still runs; undefined when it cannot be told. */
  ownerAlive?: boolean | undefined;
}

/** The claim, if it still binds: its holder has not stopped, its session's process lives, and it was active lately. */
export function liveClaim(state: WriterState, now: number): WriterClaim | undefined {
  const claim = state.claim;
  if (!claim || state.ownerAlive === false) return undefined;
  const holder = state.subagents[claim.agent] ?? {};
  // A stop before the claim belongs to an earlier run of the same agent (an agent continued with SendMessage).
  const stopped = holder.stopped !== undefined && holder.stopped >= claim.since && !(holder.started !== undefined && holder.started > holder.stopped);
  if (stopped) return undefined;
  const lastActive = Math.max(claim.since, holder.lastSeen ?? 0);
  return now - lastActive > CLAIM_IDLE_MS ? undefined : claim;
}

export interface ParallelWriteQuestion {
  /** The calling subagent's agent_id; undefined for the main session. */
  agent: string | undefined;
  /** Whether the call writes or deletes inside the checkout (see writesInCheckout). */
  writes: boolean;
  /** The decision of the plan active in this session. */
  plan: PlanDecision | undefined;
  policy: ParallelWritersPolicy;
  state: WriterState;
  now: number;
  /** The checkout, for the message. */
  checkout: string;
}

export type ParallelWriteDecision =
  | { action: 'allow'; because: 'rule-off' | 'no-write' | 'parallel-plan' | 'holder' | 'unclaimed' }
  /** Allowed once this subagent wins the claim of this generation; a lost race means: decide again. */
  | { action: 'claim'; generation: number }
  | { action: 'block'; severity: 'deny' | 'ask'; ruleId: typeof PARALLEL_WRITERS_RULE; message: string; holder: WriterClaim };

/**
 * The rule. The main session never claims (its writes before or between subagents are ordinary sequential work);
 * it is refused while a subagent holds a live claim. A subagent claims on its first write; the holder writes on.
 */
export function decideParallelWrite(q: ParallelWriteQuestion): ParallelWriteDecision {
  if (q.policy === 'allow') return { action: 'allow', because: 'rule-off' };
  if (!q.writes) return { action: 'allow', because: 'no-write' };
  if (q.plan === 'parallel') return { action: 'allow', because: 'parallel-plan' };
  const holder = liveClaim(q.state, q.now);
  if (holder && holder.agent === q.agent) return { action: 'allow', because: 'holder' };
  if (holder) return { action: 'block', severity: q.policy, ruleId: PARALLEL_WRITERS_RULE, message: blockMessage(q, holder), holder };
  if (q.agent === undefined) return { action: 'allow', because: 'unclaimed' };
  return { action: 'claim', generation: (q.state.claim?.generation ?? 0) + 1 };
}

function blockMessage(q: ParallelWriteQuestion, holder: WriterClaim): string {
  const who = `subagent ${holder.agent}${holder.agentType ? ` (${holder.agentType})` : ''}`;
  const since = ago(q.now - holder.since);
  const plan = 'To split work across writers that run at once, write a plan and run it with /orchestrate <plan>: one git worktree per agent.';
  if (q.agent === undefined) {
    return `${who} of this session is running in the background and has been changing files in this checkout (${q.checkout}) since ${since}; writing here at the same time races with it and one of you overwrites the other. Wait for its task notification before writing here (or leave this change to it), or stop it first. ${plan}`;
  }
  return `${who}, started by the same session, is already changing files in this checkout (${q.checkout}) since ${since}, and subagents that write in one checkout at once overwrite each other's work. Do not write here: finish without changing files and report the exact changes you would make (file and edit), so one agent applies all of them. ${plan}`;
}

function ago(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds < 90 ? `${seconds} s ago` : `${Math.round(seconds / 60)} min ago`;
}

function inside(root: string, path: string): boolean {
  const rel = posix.relative(root, path);
  return rel === '' || (!rel.startsWith('../') && rel !== '..' && !posix.isAbsolute(rel));
}

/**
 * Whether the call writes or deletes inside the checkout, as the guard sees it: a file tool's path, an MCP tool
 * that writes by name, or a shell command's write targets. Writes the guard cannot see (a package script, a
 * formatter run through npx, git commands that rewrite the working tree) do not count.
 */
export function writesInCheckout(toolName: string, input: Record<string, unknown>, context: GuardContext): boolean {
  const targets =
    toolName === 'Bash' ? (typeof input['command'] === 'string' ? shellWriteTargets(input['command'], context).paths : []) : toolFileTargets(toolName, input, context);
  return targets.some((path) => inside(context.repoRoot, path));
}
