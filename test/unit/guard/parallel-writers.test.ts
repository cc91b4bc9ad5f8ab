// The parallel-writers rule as a pure function of the session's records, the caller, the write and the plan.
import { describe, expect, it } from 'vitest';
import {
  CLAIM_IDLE_MS,
  decideParallelWrite,
  liveClaim,
  writesInCheckout,
  type ParallelWriteQuestion,
  type WriterState,
} from '../../../src/guard/index.js';
import { context, HOME, REPO } from './helpers.js';

const NOW = 1_000_000_000;
const claimBy = (agent: string, extra: Partial<WriterState> & { since?: number; generation?: number } = {}): WriterState => ({
  claim: { generation: extra.generation ?? 1, agent, agentType: 'general-purpose', since: extra.since ?? NOW - 5_000 },
  subagents: extra.subagents ?? { [agent]: { started: NOW - 10_000 } },
  ownerAlive: extra.ownerAlive,
});
const EMPTY: WriterState = { claim: undefined, subagents: {} };

function ask(overrides: Partial<ParallelWriteQuestion>): ReturnType<typeof decideParallelWrite> {
  return decideParallelWrite({ agent: 'agent-b', writes: true, plan: undefined, policy: 'deny', state: EMPTY, now: NOW, checkout: REPO, ...overrides });
}

describe('decideParallelWrite', () => {
  it('the first subagent to write claims generation 1; after a released claim, the next generation', () => {
    expect(ask({})).toEqual({ action: 'claim', generation: 1 });
    const stopped = claimBy('agent-a', { generation: 3, subagents: { 'agent-a': { started: NOW - 10_000, stopped: NOW - 1_000 } } });
    expect(ask({ state: stopped })).toEqual({ action: 'claim', generation: 4 });
  });

  it('the holder writes on', () => {
    expect(ask({ agent: 'agent-a', state: claimBy('agent-a') })).toEqual({ action: 'allow', because: 'holder' });
  });

  it('a second subagent is denied while the holder runs, with the rule id and what to do', () => {
    const decision = ask({ state: claimBy('agent-a') });
    expect(decision).toMatchObject({ action: 'block', severity: 'deny', ruleId: 'parallel-writers', holder: { agent: 'agent-a' } });
    const message = decision.action === 'block' ? decision.message : '';
    expect(message).toContain('subagent agent-a (general-purpose)');
    expect(message).toContain(REPO);
    expect(message).toMatch(/Do not write here/);
    expect(message).toMatch(/report the exact changes/);
    expect(message).toMatch(/\/orchestrate <plan>/);
    expect(message).toContain('since 5 s ago');
  });

  it('the main session never claims, and is refused while a subagent holds the checkout', () => {
    expect(ask({ agent: undefined })).toEqual({ action: 'allow', because: 'unclaimed' });
    const decision = ask({ agent: undefined, state: claimBy('agent-a') });
    expect(decision).toMatchObject({ action: 'block', severity: 'deny', ruleId: 'parallel-writers' });
    expect(decision.action === 'block' ? decision.message : '').toMatch(/running in the background.*Wait for its task notification/s);
  });

  it('reads, a parallel plan and gate.parallel_writers: allow let everything through; ask asks', () => {
    const held = claimBy('agent-a');
    expect(ask({ state: held, writes: false })).toEqual({ action: 'allow', because: 'no-write' });
    expect(ask({ state: held, plan: 'parallel' })).toEqual({ action: 'allow', because: 'parallel-plan' });
    expect(ask({ state: held, plan: 'sequential' })).toMatchObject({ action: 'block' });
    expect(ask({ state: held, policy: 'allow' })).toEqual({ action: 'allow', because: 'rule-off' });
    expect(ask({ state: held, policy: 'ask' })).toMatchObject({ action: 'block', severity: 'ask' });
    expect(ask({ agent: undefined, state: held, policy: 'ask' })).toMatchObject({ action: 'block', severity: 'ask' });
  });
});

describe('liveClaim: when a claim stops binding', () => {
  it('binds while the holder runs and was active lately', () => {
    expect(liveClaim(claimBy('agent-a'), NOW)?.agent).toBe('agent-a');
    expect(liveClaim(EMPTY, NOW)).toBeUndefined();
  });

  it('ends at the holder\'s SubagentStop', () => {
    expect(liveClaim(claimBy('agent-a', { subagents: { 'agent-a': { stopped: NOW - 1 } } }), NOW)).toBeUndefined();
  });

  it('a stop older than the claim, or followed by a new start, belongs to an earlier run of the agent', () => {
    expect(liveClaim(claimBy('agent-a', { since: NOW - 100, subagents: { 'agent-a': { stopped: NOW - 200 } } }), NOW)?.agent).toBe('agent-a');
    expect(liveClaim(claimBy('agent-a', { since: NOW - 500, subagents: { 'agent-a': { stopped: NOW - 300, started: NOW - 200 } } }), NOW)?.agent).toBe('agent-a');
  });

  it('ends when the session\'s Claude Code process is gone (a crashed or killed session)', () => {
    expect(liveClaim(claimBy('agent-a', { ownerAlive: false }), NOW)).toBeUndefined();
    expect(liveClaim(claimBy('agent-a', { ownerAlive: undefined }), NOW)?.agent).toBe('agent-a');
  });

  it('ends after CLAIM_IDLE_MS without a gated call from the holder (a SubagentStop that never came)', () => {
    const old = NOW - CLAIM_IDLE_MS - 1;
    expect(liveClaim(claimBy('agent-a', { since: old }), NOW)).toBeUndefined();
    expect(liveClaim(claimBy('agent-a', { since: old, subagents: { 'agent-a': { lastSeen: NOW - 60_000 } } }), NOW)?.agent).toBe('agent-a');
    expect(ask({ state: claimBy('agent-a', { since: old }) })).toEqual({ action: 'claim', generation: 2 });
  });
});

describe('writesInCheckout: the guard\'s own write targets, inside the repo', () => {
  const ctx = context();
  it.each([
    ['Write', { file_path: `${REPO}/src/a.ts`, content: 'x' }],
    ['Edit', { file_path: 'src/a.ts', old_string: 'a', new_string: 'b' }],
    ['NotebookEdit', { notebook_path: `${REPO}/n.ipynb`, new_source: 'x' }],
    ['mcp__fs__write_file', { path: `${REPO}/a.txt`, content: 'x' }],
    ['Bash', { command: 'echo hi > notes.txt' }],
    ['Bash', { command: 'sed -i s/a/b/ src/a.ts' }],
    ['Bash', { command: 'rm -rf build' }],
    ['Bash', { command: 'cd src && touch x.ts' }],
  ])('%s %j writes', (name, input) => expect(writesInCheckout(name, input, ctx)).toBe(true));

  it.each([
    ['Bash', { command: 'git status && cat README.md' }],
    ['Bash', { command: 'npm test' }],
    ['Bash', { command: 'echo x > /tmp/scratch.txt' }],
    ['Bash', { command: `echo x > ${HOME}/elsewhere.txt` }],
    ['Write', { file_path: '/tmp/out.txt', content: 'x' }],
    ['Agent', { description: 'scout', prompt: 'read' }],
    ['Read', { file_path: `${REPO}/a.ts` }],
    ['mcp__fs__read_file', { path: `${REPO}/a.txt` }],
  ])('%s %j does not', (name, input) => expect(writesInCheckout(name, input, ctx)).toBe(false));
});
