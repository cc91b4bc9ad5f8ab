// Writer claims and subagent records on a store: the logic with an async in-memory store (the shape an in-process
// hook would pass), and the node:fs store the command hooks use.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, realpathSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeTrackingStore } from '../../../src/hooks/node-tracking-store.js';
import {
  checkoutKey,
  gateParallelWrite,
  readWriterState,
  recordSubagentStart,
  recordSubagentStop,
  safeKey,
  sweepSessions,
  SESSION_RETENTION_MS,
  type TrackingStore,
  type WriteGateCall,
} from '../../../src/hooks/writer-tracking.js';

const ROOT = '/repo/.git/fanout/sessions';
const CHECKOUT = '/repo';
const NOW = 1_700_000_000_000;

/** Async, and yields between every step, so concurrent calls interleave as concurrent hooks would. */
function memoryStore(): TrackingStore & { files: Map<string, string> } {
  const files = new Map<string, string>();
  const tick = () => new Promise<void>((resolve) => setImmediate(resolve));
  return {
    files,
    async list(dir) {
      await tick();
      const prefix = `${dir}/`;
      return [...new Set([...files.keys()].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length).split('/')[0] as string))];
    },
    async read(path) {
      await tick();
      return files.get(path);
    },
    async write(path, text) {
      await tick();
      files.set(path, text);
    },
    async create(path, text) {
      await tick();
      if (files.has(path)) return false;
      files.set(path, text);
      return true;
    },
  };
}

function call(store: TrackingStore, overrides: Partial<WriteGateCall> = {}) {
  let writesAsked = 0;
  let planAsked = 0;
  const promise = gateParallelWrite(store, {
    root: ROOT,
    session: 'session-1',
    checkout: CHECKOUT,
    agent: 'agent-a',
    agentType: 'general-purpose',
    policy: 'deny',
    now: NOW,
    writes: () => {
      writesAsked++;
      return true;
    },
    plan: () => {
      planAsked++;
      return undefined;
    },
    ...overrides,
  });
  return { promise, asked: () => ({ writes: writesAsked, plan: planAsked }) };
}
const decide = async (store: TrackingStore, overrides: Partial<WriteGateCall> = {}) => (await call(store, overrides).promise).action;

describe('gateParallelWrite on an async store', () => {
  it('first writer claims, a second is refused, the holder writes on and keeps its claim fresh', async () => {
    const store = memoryStore();
    expect(await decide(store)).toBe('allow');
    expect(store.files.get(`${ROOT}/session-1/claims/${checkoutKey(CHECKOUT)}/1.claim`)).toBe(JSON.stringify({ agent: 'agent-a', since: NOW, agentType: 'general-purpose' }));
    expect(await decide(store, { agent: 'agent-b' })).toBe('block');
    expect(await decide(store, { now: NOW + 30_000 })).toBe('allow');
    expect(store.files.has(`${ROOT}/session-1/agents/agent-a.seen`), 'fresh enough: no write').toBe(false);
    expect(await decide(store, { now: NOW + 61_000 })).toBe('allow');
    expect(store.files.get(`${ROOT}/session-1/agents/agent-a.seen`)).toBe(JSON.stringify({ time: NOW + 61_000 }));
    // Another session, or another checkout, is not affected.
    expect(await decide(store, { agent: 'agent-b', session: 'session-2' })).toBe('allow');
    expect(await decide(store, { agent: 'agent-c', checkout: '/repo/.claude/worktrees/agent-c' })).toBe('allow');
  });

  it('SubagentStop releases the claim: the next writer takes generation 2; the main session waits for it', async () => {
    const store = memoryStore();
    await recordSubagentStart(store, { root: ROOT, session: 'session-1', agent: 'agent-a', agentType: 'general-purpose', now: NOW - 1_000 });
    expect(await decide(store)).toBe('allow');
    expect(await decide(store, { agent: undefined })).toBe('block');
    await recordSubagentStop(store, { root: ROOT, session: 'session-1', agent: 'agent-a', now: NOW + 1 });
    expect(await decide(store, { agent: undefined, now: NOW + 2 })).toBe('allow');
    expect(await decide(store, { agent: 'agent-b', now: NOW + 2 })).toBe('allow');
    const state = await readWriterState(store, ROOT, 'session-1', CHECKOUT);
    expect(state.claim).toMatchObject({ generation: 2, agent: 'agent-b' });
  });

  it('asks the costly questions only when they matter', async () => {
    const store = memoryStore();
    const main = call(store, { agent: undefined });
    expect((await main.promise).action).toBe('allow');
    expect(main.asked(), 'main session, nothing claimed: no command parsed, no ledger read').toEqual({ writes: 0, plan: 0 });
    const read = call(store, { writes: () => false });
    expect((await read.promise).action).toBe('allow');
    expect(read.asked().plan).toBe(0);
    expect(await decide(store)).toBe('allow');
    const holder = call(store);
    await holder.promise;
    expect(holder.asked(), 'the holder again').toEqual({ writes: 0, plan: 0 });
  });

  it('a parallel plan lets a second writer through without claiming', async () => {
    const store = memoryStore();
    await decide(store);
    expect(await decide(store, { agent: 'agent-b', plan: () => 'parallel' })).toBe('allow');
    expect((await readWriterState(store, ROOT, 'session-1', CHECKOUT)).claim?.agent).toBe('agent-a');
  });

  it('writers racing on an interleaving store: exactly one wins; two calls of one agent both pass', async () => {
    const store = memoryStore();
    const agents = ['agent-a', 'agent-b', 'agent-c', 'agent-d', 'agent-e'];
    const results = await Promise.all(agents.map((agent) => decide(store, { agent })));
    expect(results.filter((r) => r === 'allow')).toHaveLength(1);
    expect(results.filter((r) => r === 'block')).toHaveLength(4);
    const same = memoryStore();
    expect(await Promise.all([decide(same), decide(same), decide(same)])).toEqual(['allow', 'allow', 'allow']);
  });

  it('fails closed (throws) when claims can never be settled', async () => {
    const store = memoryStore();
    store.create = async () => false;
    await expect(decide(store)).rejects.toThrow(/could not settle the writer claim/);
  });

  it('an unreadable claim holds until it has been idle too long', async () => {
    const store = memoryStore();
    store.files.set(`${ROOT}/session-1/claims/${checkoutKey(CHECKOUT)}/1.claim`, '{torn');
    const state = await readWriterState(store, ROOT, 'session-1', CHECKOUT);
    expect(state.claim).toMatchObject({ generation: 1, agent: '(unknown)', since: 0 });
    expect(await decide(store), 'no mtime to date it: treated as old').toBe('allow');
  });
});

describe('keys', () => {
  it('plain ids stay readable; anything path-like becomes a hash', () => {
    expect(safeKey('a9f74d2ac1c9dbf06')).toBe('a9f74d2ac1c9dbf06');
    expect(safeKey('b31c50a9-b239-4e73-96c8-14c56d05414c')).toBe('b31c50a9-b239-4e73-96c8-14c56d05414c');
    for (const bad of ['../../etc', '.hidden', 'a/b', '', 'x'.repeat(200)]) expect(safeKey(bad)).toMatch(/^h-[0-9a-f]{8}$/);
    expect(checkoutKey('/home/dev/my proj')).toMatch(/^my_proj-[0-9a-f]{8}$/);
    expect(checkoutKey('/home/dev/a')).not.toBe(checkoutKey('/srv/a'));
  });
});

describe('the node:fs store', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });
  const temp = () => (dir = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-tracking-'))));

  it('creates exclusively, replaces whole, lists missing dirs as empty, leaves no temp files', async () => {
    const root = temp();
    const file = join(root, 'a', 'b', '1.claim');
    expect(await nodeTrackingStore.create(file, 'first')).toBe(true);
    expect(await nodeTrackingStore.create(file, 'second')).toBe(false);
    expect(await nodeTrackingStore.read(file)).toBe('first');
    await nodeTrackingStore.write(join(root, 'a', 'seen'), 'one');
    await nodeTrackingStore.write(join(root, 'a', 'seen'), 'two');
    expect(await nodeTrackingStore.read(join(root, 'a', 'seen'))).toBe('two');
    expect(readdirSync(join(root, 'a')).sort()).toEqual(['b', 'seen']);
    expect(readdirSync(join(root, 'a', 'b'))).toEqual(['1.claim']);
    expect(await nodeTrackingStore.list(join(root, 'nope'))).toEqual([]);
    expect(await nodeTrackingStore.read(join(root, 'nope'))).toBeUndefined();
  });

  it('tells a running process from a finished one', async () => {
    expect(await nodeTrackingStore.processAlive?.(process.pid)).toBe(true);
    const child = spawnSync(process.execPath, ['-e', '']);
    expect(child.pid).toBeGreaterThan(1);
    expect(await nodeTrackingStore.processAlive?.(child.pid as number)).toBe(false);
    expect(await nodeTrackingStore.processAlive?.(0)).toBeUndefined();
    expect(await nodeTrackingStore.processAlive?.(-1)).toBeUndefined();
  });

  it('sweeps sessions idle for a day, never the current one or a recent one', async () => {
    const root = join(temp(), 'sessions');
    for (const session of ['old', 'current', 'recent']) {
      await recordSubagentStart(nodeTrackingStore, { root, session, agent: 'a1', now: Date.now() });
      await gateParallelWrite(nodeTrackingStore, { root, session, checkout: '/repo', agent: 'a1', policy: 'deny', now: Date.now(), writes: () => true, plan: () => undefined });
    }
    const dayAgo = (Date.now() - SESSION_RETENTION_MS - 60_000) / 1000;
    for (const session of ['old', 'current']) {
      for (const sub of ['', '/agents', '/claims', `/claims/${checkoutKey('/repo')}`]) utimesSync(`${root}/${session}${sub}`, dayAgo, dayAgo);
    }
    expect(await sweepSessions(nodeTrackingStore, root, { keep: 'current', now: Date.now() })).toBe(1);
    expect(readdirSync(root).sort()).toEqual(['current', 'recent']);
    expect(existsSync(`${root}/recent/agents/a1.start`)).toBe(true);
  });
});
