// Subagents and writer claims per session, on a small file store: what the parallel-writers rule reads and records.
// No Node APIs here: the command hook passes a node:fs store (node-tracking-store.ts); an in-process hook can pass
// its own. Layout, under <git common dir>/fanout/sessions/<session>/:
//   agents/<agent_id>.start | .stop | .seen   SubagentStart, SubagentStop, the claim holder's last gated call
//   claims/<checkout key>/<n>.claim             generation n of the writer claim of one checkout
// A claim is taken by creating the next generation's file exclusively: of writers racing for it, exactly one wins.
import {
  decideParallelWrite,
  liveClaim,
  type ParallelWriteDecision,
  type ParallelWritersPolicy,
  type SubagentRecord,
  type WriterClaim,
  type WriterState,
} from '../guard/parallel-writers.js';
import type { PlanDecision } from '../guard/types.js';

type Awaitable<T> = T | Promise<T>;

/** The only I/O the tracking does. Paths are absolute, '/'-separated; every method may be sync or async. */
export interface TrackingStore {
  /** Names in a directory; [] when it does not exist. */
  list(dir: string): Awaitable<string[]>;
  /** A file's text; undefined when it does not exist. */
  read(path: string): Awaitable<string | undefined>;
  /** Replaces a file (creating its directories) so that readers see the old or the new text, never a part. */
  write(path: string, text: string): Awaitable<void>;
  /**
   * Creates a file (and its directories) holding text, only if it does not exist yet: true when this call created
   * it. Must be exclusive: of concurrent callers exactly one gets true, and no reader sees a partial file.
   */
  create(path: string, text: string): Awaitable<boolean>;
  /** Modification time in ms; undefined when absent. Only for sweeping old sessions. */
  mtime?(path: string): Awaitable<number | undefined>;
  /** Removes a file or directory tree. Without it, old sessions are never swept. */
  remove?(path: string): Awaitable<void>;
  /** Whether a process runs; undefined when it cannot be told. Without it, claims expire only by idleness. */
  processAlive?(pid: number): Awaitable<boolean | undefined>;
}

/** Where one repository keeps its sessions: `<git common dir>/fanout/sessions`. */
export function sessionsRoot(commonDir: string): string {
  return `${commonDir.replace(/\/+$/, '')}/fanout/sessions`;
}

function fnv(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16).padStart(8, '0');
}

/** A file-name-safe key: ids as they are when they are plain, else a hash (never a path). */
export function safeKey(id: string): string {
  return /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,99}$/.test(id) ? id : `h-${fnv(id)}`;
}

/** One directory per checkout: its base name for people, a hash of its path for uniqueness. */
export function checkoutKey(checkout: string): string {
  const base = checkout.replace(/\/+$/, '').split('/').pop() ?? '';
  return `${base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '').slice(0, 40) || 'root'}-${fnv(checkout)}`;
}

const sessionDir = (root: string, session: string) => `${root}/${safeKey(session)}`;
const agentFile = (root: string, session: string, agent: string, kind: 'start' | 'stop' | 'seen') => `${sessionDir(root, session)}/agents/${safeKey(agent)}.${kind}`;
const claimsDir = (root: string, session: string, checkout: string) => `${sessionDir(root, session)}/claims/${checkoutKey(checkout)}`;

async function readJson(store: TrackingStore, path: string): Promise<Record<string, unknown> | undefined> {
  const text = await store.read(path);
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

/** A subagent's records, as the rule reads them. */
export async function readSubagent(store: TrackingStore, root: string, session: string, agent: string): Promise<SubagentRecord> {
  const [start, stop, seen] = await Promise.all((['start', 'stop', 'seen'] as const).map((kind) => readJson(store, agentFile(root, session, agent, kind))));
  const record: SubagentRecord = {};
  const type = str(start?.['type']);
  if (type !== undefined) record.type = type;
  const started = num(start?.['time']);
  if (started !== undefined) record.started = started;
  const stopped = num(stop?.['time']);
  if (stopped !== undefined) record.stopped = stopped;
  const lastSeen = num(seen?.['time']);
  if (lastSeen !== undefined) record.lastSeen = lastSeen;
  return record;
}

/** The newest claim of a checkout and its holder's records. */
export async function readWriterState(store: TrackingStore, root: string, session: string, checkout: string): Promise<WriterState> {
  const dir = claimsDir(root, session, checkout);
  const generations = (await store.list(dir)).flatMap((name) => {
    const match = /^(\d{1,9})\.claim$/.exec(name);
    return match ? [Number(match[1])] : [];
  });
  if (generations.length === 0) return { claim: undefined, subagents: {} };
  const generation = Math.max(...generations);
  const data = await readJson(store, `${dir}/${generation}.claim`);
  const agent = str(data?.['agent']);
  const since = num(data?.['since']);
  // An unreadable claim still holds (fail closed); it stops binding once it has been idle long enough.
  const claim: WriterClaim = { generation, agent: agent ?? '(unknown)', since: since ?? 0 };
  const agentType = str(data?.['agentType']);
  if (agentType !== undefined) claim.agentType = agentType;
  const pid = num(data?.['pid']);
  if (pid !== undefined) claim.pid = pid;
  if (since === undefined) claim.since = (await store.mtime?.(`${dir}/${generation}.claim`)) ?? 0;
  const holder = agent === undefined ? {} : await readSubagent(store, root, session, agent);
  return { claim, subagents: { [claim.agent]: holder }, ownerAlive: pid === undefined ? undefined : await store.processAlive?.(pid) };
}

export interface SubagentEvent {
  root: string;
  session: string;
  agent: string;
  agentType?: string | undefined;
  now: number;
}

/** SubagentStart: the agent runs. */
export async function recordSubagentStart(store: TrackingStore, event: SubagentEvent): Promise<void> {
  await store.write(agentFile(event.root, event.session, event.agent, 'start'), JSON.stringify({ time: event.now, ...(event.agentType ? { type: event.agentType } : {}) }));
}

/** SubagentStop: the agent is done; a claim it holds no longer binds. */
export async function recordSubagentStop(store: TrackingStore, event: SubagentEvent): Promise<void> {
  await store.write(agentFile(event.root, event.session, event.agent, 'stop'), JSON.stringify({ time: event.now }));
}

export interface WriteGateCall {
  root: string;
  session: string;
  /** The checkout the call runs in (its repo root). */
  checkout: string;
  /** agent_id of the calling subagent; undefined for the main session. */
  agent: string | undefined;
  agentType?: string | undefined;
  /** CLAUDE_PID of the hook: the session's Claude Code process. */
  pid?: number | undefined;
  policy: ParallelWritersPolicy;
  now: number;
  /** Whether the call writes in the checkout (asked only when the answer matters: it may parse a command). */
  writes: () => boolean;
  /** The active plan's decision (asked only when the answer matters: it reads the ledger). */
  plan: () => Awaitable<PlanDecision | undefined>;
}

/** The holder's calls refresh its claim at most this often (the claim lapses after CLAIM_IDLE_MS without one). */
export const HEARTBEAT_EVERY_MS = 60_000;

/** A lost claim race is decided again against the winner; this many losses in a row means something is wrong. */
const MAX_CLAIM_ATTEMPTS = 8;

/**
 * Decides a tool call under the parallel-writers rule and records what it decided: a subagent's first allowed write
 * claims the checkout, and the holder's later calls keep its claim fresh. Returns the decision (allow or block).
 */
export async function gateParallelWrite(store: TrackingStore, call: WriteGateCall): Promise<ParallelWriteDecision> {
  if (call.policy === 'allow') return { action: 'allow', because: 'rule-off' };
  let writes: boolean | undefined;
  let plan: PlanDecision | undefined;
  for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
    const state = await readWriterState(store, call.root, call.session, call.checkout);
    const live = liveClaim(state, call.now);
    // The main session with no subagent writing: nothing to ask (no command parsed, no ledger read).
    if (call.agent === undefined && live === undefined) return { action: 'allow', because: 'unclaimed' };
    if (call.agent !== undefined && live?.agent === call.agent) {
      // Fresh enough for CLAIM_IDLE_MS: most of the holder's calls write nothing.
      if (call.now - Math.max(live.since, state.subagents[live.agent]?.lastSeen ?? 0) > HEARTBEAT_EVERY_MS) await heartbeat(store, call);
      return { action: 'allow', because: 'holder' };
    }
    if (writes === undefined) {
      writes = call.writes();
      plan = writes ? await call.plan() : undefined;
    }
    const decision = decideParallelWrite({ agent: call.agent, writes, plan, policy: call.policy, state, now: call.now, checkout: call.checkout });
    if (decision.action !== 'claim' || call.agent === undefined) return decision;
    const claim: Record<string, unknown> = { agent: call.agent, since: call.now };
    if (call.agentType) claim['agentType'] = call.agentType;
    if (call.pid !== undefined) claim['pid'] = call.pid;
    if (await store.create(`${claimsDir(call.root, call.session, call.checkout)}/${decision.generation}.claim`, JSON.stringify(claim))) {
      return { action: 'allow', because: 'holder' };
    }
  }
  throw new Error(`could not settle the writer claim of ${call.checkout} after ${MAX_CLAIM_ATTEMPTS} attempts; the claims in ${claimsDir(call.root, call.session, call.checkout)} may be damaged`);
}

async function heartbeat(store: TrackingStore, call: WriteGateCall): Promise<void> {
  if (call.agent !== undefined) await store.write(agentFile(call.root, call.session, call.agent, 'seen'), JSON.stringify({ time: call.now }));
}

/** Sessions untouched this long are removed at the next SessionStart: nothing in them can bind any more. */
export const SESSION_RETENTION_MS = 24 * 60 * 60_000;

/** Removes the records of sessions idle for SESSION_RETENTION_MS (never `keep`). Returns how many went. */
export async function sweepSessions(store: TrackingStore, root: string, options: { keep?: string | undefined; now: number; limit?: number }): Promise<number> {
  const { mtime, remove } = store;
  if (!mtime || !remove) return 0;
  const keep = options.keep === undefined ? undefined : safeKey(options.keep);
  let removed = 0;
  for (const name of (await store.list(root)).slice(0, options.limit ?? 200)) {
    if (name === keep) continue;
    const dir = `${root}/${name}`;
    const subdirs = [dir, `${dir}/agents`, `${dir}/claims`, ...(await store.list(`${dir}/claims`)).map((c) => `${dir}/claims/${c}`)];
    const times = await Promise.all(subdirs.map((path) => mtime.call(store, path)));
    const newest = Math.max(0, ...times.map((t) => t ?? 0));
    if (options.now - newest > SESSION_RETENTION_MS) {
      await remove.call(store, dir);
      removed++;
    }
  }
  return removed;
}
