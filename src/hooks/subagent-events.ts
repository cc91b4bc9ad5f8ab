// SubagentStart / SubagentStop: record which subagents of a session run, for the parallel-writers rule.
// They only record: a failure here exits 1 (non-blocking) and can only keep a writer claim alive longer.
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { findRepo } from '../constraints/find-repo.js';
import type { HookInput } from './io.js';
import { nodeTrackingStore } from './node-tracking-store.js';
import { recordSubagentStart, recordSubagentStop, sessionsRoot, type SubagentEvent } from './writer-tracking.js';

function eventOf(input: HookInput, env: NodeJS.ProcessEnv): SubagentEvent | undefined {
  const agent = input['agent_id'];
  const session = input.session_id;
  if (typeof agent !== 'string' || agent === '' || typeof session !== 'string' || session === '') {
    throw new Error(`${String(input.hook_event_name ?? 'subagent event')} input has no agent_id or session_id; fanout cannot tell which subagent this is`);
  }
  const cwd = typeof input.cwd === 'string' && isAbsolute(input.cwd) ? input.cwd : process.cwd();
  const { commonDir } = findRepo(cwd, env);
  // Outside a repo there is no checkout to share and no git dir to keep records in (and fanout never makes one).
  if (!existsSync(commonDir)) return undefined;
  const agentType = input['agent_type'];
  return { root: sessionsRoot(commonDir), session, agent, agentType: typeof agentType === 'string' ? agentType : undefined, now: Date.now() };
}

export async function subagentStart(input: HookInput, env: NodeJS.ProcessEnv): Promise<undefined> {
  const event = eventOf(input, env);
  if (event) await recordSubagentStart(nodeTrackingStore, event);
  return undefined;
}

export async function subagentStop(input: HookInput, env: NodeJS.ProcessEnv): Promise<undefined> {
  const event = eventOf(input, env);
  if (event) await recordSubagentStop(nodeTrackingStore, event);
  return undefined;
}
