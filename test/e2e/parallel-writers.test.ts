// The parallel-writers rule in the real CLI, fanout installed per repo (`fanout init`: every hook event it wires), and
// (the first case) as the plugin, where the hooks module judges the writes in-process.
// The scripted model answers the main session and each subagent (told apart by the subagent's prompt), and holds
// some answers so that subagents are provably running at the same time when they write.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readWriterState, sessionsRoot } from '../../src/hooks/writer-tracking.js';
import { nodeTrackingStore } from '../../src/hooks/node-tracking-store.js';
import { cleanupE2E } from './harness/cleanup.js';
import { feedbackText, findToolResult, requestWithResult, startFakeApi, toolResultText, type RecordedRequest, type Turn } from './harness/fake-api.js';
import { requireHookBundle } from './harness/fanout-hooks.js';
import { describeRun, FANOUT_ROOT, makeGitRepo, runClaude, type GitRepo } from './harness/run-claude.js';

beforeAll(requireHookBundle);
afterEach(cleanupE2E);

const CLI = join(FANOUT_ROOT, 'dist', 'cli.mjs');

function installedRepo(files: Record<string, string>): GitRepo {
  const repo = makeGitRepo({ 'README.md': '# parallel writers\n', 'shared.txt': 'original\n', ...files });
  execFileSync(process.execPath, [CLI, 'init', '--dir', repo.dir], { encoding: 'utf8' });
  return repo;
}

function resultOf(requests: RecordedRequest[], id: string): { text: string; isError: boolean } {
  const next = requestWithResult(requests, id);
  if (!next) throw new Error(`no request carried the tool_result of ${id} (${requests.length} requests)`);
  const block = findToolResult(next, id);
  return { text: toolResultText(block ?? { type: 'none' }), isError: block?.['is_error'] === true };
}

/** The agentId the CLI reports in an Agent call's tool_result. */
function agentIdOf(requests: RecordedRequest[], agentToolUse: string): string {
  const match = /agentId: (\w+)/.exec(resultOf(requests, agentToolUse).text);
  if (!match?.[1]) throw new Error(`no agentId in the result of ${agentToolUse}: ${resultOf(requests, agentToolUse).text.slice(0, 300)}`);
  return match[1];
}

const hasResult = (id: string) => (r: RecordedRequest) => findToolResult(r, id) !== undefined;
const anyHasResult = (id: string) => (requests: RecordedRequest[]) => requests.some(hasResult(id));
const allFeedback = (requests: RecordedRequest[]) => requests.map(feedbackText).join('\n');

/** A refusal as the model reads it: from the command hook (per repo), or from the hooks module (plugin). */
const refused = (install: 'per-repo' | 'plugin') => `^${install === 'per-repo' ? 'PreToolUse:Write hook error: ' : '<tool_use_error>'}\\[fanout:parallel-writers\\] `;

describe('parallel writers in the real Claude Code CLI', { timeout: 180_000 }, () => {
  it.each(['per-repo', 'plugin'] as const)('three writer subagents in one message for a one-file task: one write lands, the others and the main session get the reason (%s)', async (install) => {
    const REFUSED = refused(install);
    const repo = install === 'per-repo' ? installedRepo({}) : makeGitRepo({ 'README.md': '# parallel writers\n', 'shared.txt': 'original\n' });
    const shared = join(repo.dir, 'shared.txt');
    const notes = join(repo.dir, 'notes.txt');
    const writers = ['A', 'B', 'C'] as const;
    const agentCall = (x: string) => `toolu_pw_agent_${x}`;
    const writeCall = (x: string) => `toolu_pw_write_${x}`;
    const MAIN_WRITE = 'toolu_pw_main_write';
    const allWritesJudged = (requests: RecordedRequest[]) => writers.every((x) => requests.some(hasResult(writeCall(x))));
    const api = await startFakeApi([
      // No run_in_background, no isolation: what a model sends, and what this CLI runs in the background at once.
      { toolUses: writers.map((x) => ({ id: agentCall(x), name: 'Agent', input: { description: `Writer ${x}`, prompt: `PW-WRITER-${x}: put the greeting into shared.txt` } })) },
      ...writers.map((x): Turn => ({ kind: 'subagent', match: `PW-WRITER-${x}`, toolUses: [{ id: writeCall(x), name: 'Write', input: { file_path: shared, content: `written by ${x}\n` } }] })),
      // Every writer stays running until the main session's own write has been judged.
      ...writers.map((x): Turn => ({ kind: 'subagent', label: `writer ${x} ends`, when: hasResult(writeCall(x)), holdUntil: anyHasResult(MAIN_WRITE), text: `writer ${x} done` })),
      // The main session carries on while they run, and writes once all three writes were judged.
      { label: 'main writes', when: hasResult(agentCall('A')), holdUntil: allWritesJudged, toolUses: [{ id: MAIN_WRITE, name: 'Write', input: { file_path: notes, content: 'notes from the main session\n' } }] },
      { when: hasResult(MAIN_WRITE), text: 'main-session-done' },
    ]);
    const run = await runClaude({ cwd: repo.dir, prompt: 'write the greeting into shared.txt', api, allowedTools: ['Agent', 'Write', 'Bash'], timeoutMs: 150_000, ...(install === 'plugin' ? { pluginDir: FANOUT_ROOT } : {}) });
    expect(run.exitCode, describeRun(run)).toBe(0);
    expect(api.holdTimeouts, describeRun(run)).toEqual([]);

    const writes = writers.map((x) => ({ x, ...resultOf(run.requests, writeCall(x)) }));
    const landed = writes.filter((w) => !w.isError);
    expect(landed.map((w) => w.x), JSON.stringify(writes, null, 1)).toHaveLength(1);
    const winner = landed[0]!.x;
    const winnerId = agentIdOf(run.requests, agentCall(winner));
    for (const refused of writes.filter((w) => w.isError)) {
      // The subagent itself (the model answering it) reads fanout's reason in its tool_result.
      expect(refused.text).toMatch(new RegExp(`${REFUSED}subagent \\w+ \\(general-purpose\\), started by the same session, is already changing files`));
      expect(refused.text).toContain(`subagent ${winnerId} `);
      expect(refused.text).toMatch(/report the exact changes.*\/orchestrate <plan>/s);
    }
    expect(readFileSync(shared, 'utf8')).toBe(`written by ${winner}\n`);

    const main = resultOf(run.requests, MAIN_WRITE);
    expect(main.isError).toBe(true);
    expect(main.text).toMatch(new RegExp(`${REFUSED}subagent ${winnerId} \\(general-purpose\\) of this session is running in the background`));
    expect(existsSync(notes)).toBe(false);
  });

  it('three read-only scouts in one message all run; a background writer, and after it stopped another, both write', async () => {
    const repo = installedRepo({});
    const shared = join(repo.dir, 'shared.txt');
    const scouts = [
      ['A', {}],
      ['B', { run_in_background: true }],
      ['C', { run_in_background: false }],
    ] as const;
    const scoutCall = (x: string) => `toolu_pw_scout_${x}`;
    const scoutRead = (x: string) => `toolu_pw_scout_read_${x}`;
    const FIRST = 'toolu_pw_first_writer';
    const SECOND = 'toolu_pw_second_writer';
    const FIRST_WRITE = 'toolu_pw_first_write';
    const SECOND_WRITE = 'toolu_pw_second_write';
    const notified = (id: string) => (r: RecordedRequest) => r.kind === 'main' && r.raw.includes(`<tool-use-id>${id}</tool-use-id>`);
    const api = await startFakeApi([
      { toolUses: scouts.map(([x, flags]) => ({ id: scoutCall(x), name: 'Agent', input: { description: `Scout ${x}`, prompt: `PW-SCOUT-${x}: find where the greeting lives`, ...flags } })) },
      ...scouts.map(([x]): Turn => ({
        kind: 'subagent',
        match: `PW-SCOUT-${x}`,
        toolUses: [{ id: scoutRead(x), name: 'Bash', input: { command: 'cat README.md shared.txt && git log --oneline -1 && ls', description: 'Look around' } }],
      })),
      { label: 'first writer', when: hasResult(scoutCall('A')), toolUses: [{ id: FIRST, name: 'Agent', input: { description: 'First writer', prompt: 'PW-FIRST: write the first version of shared.txt' } }] },
      { kind: 'subagent', match: 'PW-FIRST', toolUses: [{ id: FIRST_WRITE, name: 'Write', input: { file_path: shared, content: 'first version\n' } }] },
      // After the first writer's task notification (it has stopped), a second writer; listed before the turn that
      // would end the main turn, so it wins if the notification arrives with the first writer's launch result.
      { label: 'second writer', when: notified(FIRST), toolUses: [{ id: SECOND, name: 'Agent', input: { description: 'Second writer', prompt: 'PW-SECOND: write the second version of shared.txt' } }] },
      { when: hasResult(FIRST), text: 'waiting for the first writer' },
      { kind: 'subagent', match: 'PW-SECOND', toolUses: [{ id: SECOND_WRITE, name: 'Write', input: { file_path: shared, content: 'second version\n' } }] },
    ]);
    const run = await runClaude({ cwd: repo.dir, prompt: 'look around, then update shared.txt', api, allowedTools: ['Agent', 'Write', 'Bash'], timeoutMs: 150_000 });
    expect(run.exitCode, describeRun(run)).toBe(0);

    for (const [x] of scouts) {
      expect(resultOf(run.requests, scoutCall(x)).isError, `scout ${x} was not refused at spawn`).toBe(false);
      const read = resultOf(run.requests, scoutRead(x));
      expect(read.isError, `scout ${x}'s read: ${read.text}`).toBe(false);
      expect(read.text).toContain('# parallel writers');
    }
    expect(resultOf(run.requests, FIRST_WRITE)).toMatchObject({ isError: false });
    expect(resultOf(run.requests, SECOND_WRITE)).toMatchObject({ isError: false });
    expect(readFileSync(shared, 'utf8')).toBe('second version\n');
    expect(allFeedback(run.requests)).not.toContain('[fanout:');
    expect(run.json?.permission_denials ?? [], describeRun(run)).toEqual([]);

    // What the hooks recorded: the first writer's claim was released by its SubagentStop; the second took the next one.
    const session = run.json?.session_id ?? '';
    const state = await readWriterState(nodeTrackingStore, sessionsRoot(join(repo.dir, '.git')), session, repo.dir);
    const first = agentIdOf(run.requests, FIRST);
    const second = agentIdOf(run.requests, SECOND);
    expect(state.claim).toMatchObject({ generation: 2, agent: second, agentType: 'general-purpose' });
    const firstRecord = readFileSync(join(sessionsRoot(join(repo.dir, '.git')), session, 'agents', `${first}.stop`), 'utf8');
    expect(JSON.parse(firstRecord).time).toBeLessThanOrEqual(state.claim?.since ?? 0);
  });

  it('with a plan sized parallel in this session (/orchestrate after fanout plan), writers in one checkout are not blocked', async () => {
    const repo = installedRepo({ 'plans/twelve.md': readFileSync(join(FANOUT_ROOT, 'test/fixtures/plans/twelve-files.md'), 'utf8') });
    const shared = join(repo.dir, 'shared.txt');
    const SIZE = 'toolu_pw_size';
    const writers = ['A', 'B', 'C'] as const;
    const agentCall = (x: string) => `toolu_pw_par_agent_${x}`;
    const writeCall = (x: string) => `toolu_pw_par_write_${x}`;
    const allWritesJudged = (requests: RecordedRequest[]) => writers.every((x) => requests.some(hasResult(writeCall(x))));
    const api = await startFakeApi([
      { toolUses: [{ id: SIZE, name: 'Bash', input: { command: `node "${join(repo.dir, '.claude/fanout/cli.mjs')}" plan plans/twelve.md --json`, description: 'Size the plan' } }] },
      { when: hasResult(SIZE), toolUses: writers.map((x) => ({ id: agentCall(x), name: 'Agent', input: { description: `Part ${x}`, prompt: `PW-PART-${x}: write your part` } })) },
      ...writers.map((x): Turn => ({ kind: 'subagent', match: `PW-PART-${x}`, toolUses: [{ id: writeCall(x), name: 'Write', input: { file_path: shared, content: `part ${x}\n` } }] })),
      // All three are still running when each of them writes.
      ...writers.map((x): Turn => ({ kind: 'subagent', label: `part ${x} ends`, when: hasResult(writeCall(x)), holdUntil: allWritesJudged, text: `part ${x} done` })),
      { when: hasResult(agentCall('A')), text: 'parts launched' },
    ]);
    const run = await runClaude({ cwd: repo.dir, prompt: '/orchestrate plans/twelve.md', api, allowedTools: ['Agent', 'Write', 'Bash'], timeoutMs: 150_000 });
    expect(run.exitCode, describeRun(run)).toBe(0);
    expect(api.holdTimeouts, describeRun(run)).toEqual([]);
    expect(JSON.parse(resultOf(run.requests, SIZE).text)).toMatchObject({ decision: 'parallel' });
    for (const x of writers) expect(resultOf(run.requests, writeCall(x)), `part ${x}`).toMatchObject({ isError: false });
    expect(allFeedback(run.requests)).not.toContain('[fanout:parallel-writers]');
    expect(run.json?.permission_denials ?? []).toEqual([]);
  });
});
