// The harness itself: the fake API on its own, then one real CLI run where a scripted Bash call runs.
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../helpers/wait-for.js';
import { cleanupE2E } from './harness/cleanup.js';
import { FALLBACK_TEXT, feedbackText, findToolResult, newInputText, requestWithResult, startFakeApi, toolResultText } from './harness/fake-api.js';
import { describeRun, makeGitRepo, runClaude } from './harness/run-claude.js';

afterEach(cleanupE2E);

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

async function post(url: string, body: unknown): Promise<SseEvent[]> {
  const res = await fetch(`${url}/v1/messages?beta=true`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const [eventLine, dataLine] = chunk.split('\n');
      return { event: (eventLine ?? '').replace(/^event: /, ''), data: JSON.parse((dataLine ?? '').replace(/^data: /, '')) as Record<string, unknown> };
    });
}

/** Pids whose command line contains the marker (Linux /proc). */
function processesWith(marker: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'latin1').includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** A Bash command starting a long-lived node process recognisable by its marker argument. */
const lingering = (marker: string) => `node -e "setTimeout(() => {}, 60000)" ${marker}`;

const userMessage = (text: string) => ({ model: 'm', stream: true, messages: [{ role: 'user', content: [{ type: 'text', text }] }] });

describe('fake API', () => {
  it('picks keyed turns first, then defaults in order, then the fallback, and records every request', async () => {
    const api = await startFakeApi([
      { text: 'default one' },
      { match: 'needle', text: 'matched' },
      { when: (r) => newInputText(r).includes('by-function'), toolUses: [{ name: 'Bash', input: { command: 'echo hi' } }] },
      { text: 'default two' },
    ]);
    const texts = async (prompt: string) =>
      (await post(api.url, userMessage(prompt))).filter((e) => e.event === 'content_block_delta').map((e) => e.data['delta'] as Record<string, unknown>);
    expect(await texts('a needle here')).toEqual([{ type: 'text_delta', text: 'matched' }]);
    expect(await texts('plain')).toEqual([{ type: 'text_delta', text: 'default one' }]);
    const toolEvents = await post(api.url, userMessage('call by-function'));
    expect(toolEvents.map((e) => e.event)).toEqual(['message_start', 'content_block_start', 'content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    const start = toolEvents[1]?.data['content_block'] as Record<string, unknown>;
    expect(start['type']).toBe('tool_use');
    expect(String(start['id'])).toMatch(/^toolu_/);
    expect(toolEvents[2]?.data['delta']).toEqual({ type: 'input_json_delta', partial_json: '{"command":"echo hi"}' });
    expect((toolEvents[4]?.data['delta'] as Record<string, unknown>)['stop_reason']).toBe('tool_use');
    expect(await texts('needle again')).toEqual([{ type: 'text_delta', text: 'default two' }]);
    expect(await texts('anything')).toEqual([{ type: 'text_delta', text: FALLBACK_TEXT }]);
    expect(api.requests).toHaveLength(5);
    expect(api.requests[2]?.toolUseIds).toEqual([String(start['id'])]);
    expect(api.unconsumed()).toEqual([]);
    expect((await fetch(`${api.url}/api/hello`, { method: 'HEAD' })).status).toBe(404);
    expect(api.otherRequests).toEqual([{ method: 'HEAD', url: '/api/hello' }]);
  });

  it('holds a turn until its condition holds, answering other requests meanwhile; a hold that never ends times out', async () => {
    const api = await startFakeApi([
      { match: 'first', holdUntil: (requests) => requests.some((r) => r.raw.includes('second')), text: 'first answered' },
      { match: 'second', text: 'second answered' },
      { match: 'never', holdUntil: () => false, holdTimeoutMs: 200, label: 'never-true' },
    ]);
    const order: string[] = [];
    const text = async (prompt: string) => {
      const events = await post(api.url, userMessage(prompt));
      const delta = events.find((e) => e.event === 'content_block_delta')?.data['delta'] as { text?: string } | undefined;
      order.push(delta?.text ?? '');
    };
    const first = text('first');
    // The first request is recorded (and held) before the second is sent.
    for (const end = Date.now() + 10_000; api.requests.length === 0; ) {
      if (Date.now() > end) throw new Error('the first request never reached the fake API within 10 s');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await Promise.all([first, text('second')]);
    expect(order).toEqual(['second answered', 'first answered']);
    await text('never');
    expect(order[2]).toMatch(/held turn 'never-true' timed out/);
    expect(api.holdTimeouts).toEqual(['never-true']);
  });

  it('finds tool_results and system messages as hook feedback', async () => {
    const api = await startFakeApi();
    await post(api.url, {
      model: 'm',
      stream: true,
      messages: [
        { role: 'user', content: 'go' },
        { role: 'assistant', content: [{ type: 'tool_use', id: 'toolu_1', name: 'Bash', input: {} }] },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_1', is_error: true, content: 'PreToolUse:Bash hook error: nope' }] },
        { role: 'system', content: [{ type: 'text', text: 'PostToolUse:Bash hook additional context: note' }] },
      ],
    });
    const request = api.requests[0];
    if (!request) throw new Error('no request recorded');
    expect(toolResultText(findToolResult(request, 'toolu_1') ?? { type: 'none' })).toBe('PreToolUse:Bash hook error: nope');
    expect(findToolResult(request, 'toolu_2')).toBeUndefined();
    expect(feedbackText(request)).toContain('hook error: nope');
    expect(feedbackText(request)).toContain('additional context: note');
    expect(requestWithResult(api.requests, 'toolu_1')).toBe(request);
  });
});

describe('real Claude Code CLI against the fake API', () => {
  it('runs a scripted Bash call when no hook objects and returns the final text; subagent and /compact requests get fallbacks', async () => {
    const repo = makeGitRepo();
    const touch = 'toolu_harness_touch';
    const agent = 'toolu_harness_agent';
    const leftover = `e2e-leftover-${randomUUID()}`;
    const api = await startFakeApi([
      {
        toolUses: [
          {
            id: touch,
            name: 'Bash',
            input: { command: `touch created-by-claude.txt && (${lingering(leftover)} >/dev/null 2>&1 &) && echo "made-it home=$HOME"`, description: 'Create a file' },
          },
        ],
      },
      {
        when: (r) => findToolResult(r, touch) !== undefined,
        toolUses: [{ id: agent, name: 'Agent', input: { description: 'Check', prompt: 'SUBAGENT-TASK: say ok', subagent_type: 'general-purpose', run_in_background: false } }],
      },
      { when: (r) => findToolResult(r, agent) !== undefined, text: 'harness-final-answer' },
    ]);
    const run = await runClaude({ cwd: repo.dir, prompt: 'create the file', api, allowedTools: ['Bash', 'Agent'] });
    expect(run.exitCode, describeRun(run)).toBe(0);
    expect(existsSync(join(repo.dir, 'created-by-claude.txt'))).toBe(true);
    // The subagent's request is told apart from the main loop and gets the fallback, not a scripted turn.
    expect(run.requests.map((r) => r.kind), describeRun(run)).toEqual(['main', 'main', 'subagent', 'main']);
    expect(run.requests[2]?.turn).toBeUndefined();
    expect(run.requests[2]?.raw).toContain('SUBAGENT-TASK');
    expect(JSON.stringify(run.requests[0]?.body?.messages)).toContain('create the file');
    const next = requestWithResult(run.requests, touch);
    expect(next, 'the request after the tool call carries its tool_result').toBe(run.requests[1]);
    const result = findToolResult(next ?? run.requests[0]!, touch);
    expect(result?.['is_error']).not.toBe(true);
    expect(toolResultText(result ?? { type: 'none' })).toContain(`made-it home=${run.home}`);
    expect(run.json?.result).toBe('harness-final-answer');
    expect(run.json?.is_error).toBe(false);
    expect(api.unconsumed()).toEqual([]);
    expect(processesWith(leftover), 'a background process the run left behind is killed with it').toEqual([]);

    // A /compact of that session is a fork the fake recognises and answers with a summary.
    const sessionId = run.json?.session_id;
    if (typeof sessionId !== 'string') throw new Error(`no session_id in the result: ${describeRun(run)}`);
    const compact = await runClaude({ cwd: repo.dir, home: run.home, prompt: '/compact', api, extraArgs: ['--resume', sessionId] });
    expect(compact.exitCode, describeRun(compact)).toBe(0);
    expect(compact.requests.length).toBeGreaterThan(0);
    expect(compact.requests.map((r) => r.kind)).toEqual(compact.requests.map(() => 'compact'));
  });

  it('kills the CLI and the commands it started when the run exceeds timeoutMs', async () => {
    const repo = makeGitRepo();
    const marker = `e2e-timeout-${randomUUID()}`;
    const api = await startFakeApi([{ toolUses: [{ name: 'Bash', input: { command: lingering(marker), description: 'Wait' } }] }]);
    // The timeout is what is tested, so it is a time: long enough for the CLI to start the lingering command
    // however busy the machine (about 2 s when idle), which the test sees happen before the kill.
    let ended = false;
    const running = runClaude({ cwd: repo.dir, prompt: 'wait a minute', api, allowedTools: ['Bash'], timeoutMs: 20_000 }).finally(() => (ended = true));
    const first = await waitFor(() => (processesWith(marker).length > 0 ? 'command started' : ended && 'run ended'), { timeoutMs: 60_000, what: 'the lingering command to start, or the run to end' });
    const run = await running;
    expect(first, `the Bash tool started the lingering command before the timeout\n${describeRun(run)}`).toBe('command started');
    expect(run.timedOut, describeRun(run)).toBe(true);
    expect(run.signal).toBe('SIGKILL');
    expect(processesWith(marker)).toEqual([]);
  });
});
