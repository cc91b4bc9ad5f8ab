// SubagentStart / SubagentStop: record which subagents of a session run, for the parallel-writers rule.
// They only record: a failure here exits 1 (non-blocking) and can only keep a writer claim alive longer.
import { isAbsolute } from 'node:path';
import { findRepo, type Env } from '../constraints/find-repo.js';
import type { HostFs } from '../util/host-fs.js';
import { hostTrackingStore } from './host-tracking-store.js';
import type { HookInput } from './io.js';
import { recordSubagentStart, recordSubagentStop, sessionsRoot, type SubagentEvent } from './writer-tracking.js';

async function eventOf(input: HookInput, env: Env, fs: HostFs, fallbackCwd: string): Promise<SubagentEvent | undefined> {
  const agent = input['agent_id'];
  const session = input.session_id;
  if (typeof agent !== 'string' || agent === '' || typeof session !== 'string' || session === '') {
    throw new Error(`${String(input.hook_event_name ?? 'subagent event')} input has no agent_id or session_id; fanout cannot tell which subagent this is`);
  }
  const cwd = typeof input.cwd === 'string' && isAbsolute(input.cwd) ? input.cwd : fallbackCwd;
  const { commonDir, inRepo } = await findRepo(cwd, env, fs);
  // Outside a repo there is no checkout to share and no git dir to keep records in (and fanout never makes one).
  if (!inRepo) return undefined;
  const agentType = input['agent_type'];
  return { root: sessionsRoot(commonDir), session, agent, agentType: typeof agentType === 'string' ? agentType : undefined, now: Date.now() };
}

export async function subagentStart(input: HookInput, env: Env, fs: HostFs, fallbackCwd: string): Promise<undefined> {
  const event = await eventOf(input, env, fs, fallbackCwd);
  if (event) await recordSubagentStart(hostTrackingStore(fs), event);
  return undefined;
}

export async function subagentStop(input: HookInput, env: Env, fs: HostFs, fallbackCwd: string): Promise<undefined> {
  const event = await eventOf(input, env, fs, fallbackCwd);
  if (event) await recordSubagentStop(hostTrackingStore(fs), event);
  return undefined;
}
