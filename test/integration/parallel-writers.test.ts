// The parallel-writers rule through the hook protocol, in real git repos: subagent events, claims, release, stale
// claims; then truly concurrent hook processes racing for one checkout.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runHook } from '../../src/hooks/main.js';
import { appendLedger } from '../../src/hooks/ledger.js';
import { nodeFs } from '../../src/util/node-fs.js';
import { checkoutKey, SESSION_RETENTION_MS, sessionsRoot } from '../../src/hooks/writer-tracking.js';
import { tempRepo, type TempRepo } from '../helpers/temp-repo.js';

const DIST_HOOK = join(import.meta.dirname, '../../dist/hook.cjs');
const SESSION = '0b7e6a52-5f0e-4c43-9d7c-1f2a3b4c5d6e';

let repo: TempRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

interface Call {
  agent?: string;
  session?: string;
  tool?: string;
  input?: Record<string, unknown>;
}

function preToolUse(dir: string, call: Call = {}): string {
  return JSON.stringify({
    session_id: call.session ?? SESSION,
    cwd: dir,
    hook_event_name: 'PreToolUse',
    ...(call.agent ? { agent_id: call.agent, agent_type: 'general-purpose' } : {}),
    tool_name: call.tool ?? 'Write',
    tool_input: call.input ?? { file_path: join(dir, 'shared.txt'), content: `by ${call.agent ?? 'main'}\n` },
  });
}

function subagentEvent(dir: string, event: 'SubagentStart' | 'SubagentStop', agent: string, session = SESSION): string {
  return JSON.stringify({ session_id: session, cwd: dir, hook_event_name: event, agent_id: agent, agent_type: 'general-purpose' });
}

/** What the hook answered: 'allow' (nothing printed), or the decision and its reason. */
function answer(stdout: string): { decision: string; reason: string } {
  if (stdout.trim() === '') return { decision: 'allow', reason: '' };
  const out = JSON.parse(stdout) as { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } };
  return { decision: out.hookSpecificOutput.permissionDecision, reason: out.hookSpecificOutput.permissionDecisionReason };
}

async function pre(dir: string, call: Call = {}, env: NodeJS.ProcessEnv = {}) {
  const result = await runHook(['pre-tool-use'], preToolUse(dir, call), { HOME: '/root', ...env });
  expect(result.exitCode).toBe(0);
  return answer(result.stdout);
}

async function event(dir: string, name: 'SubagentStart' | 'SubagentStop', agent: string) {
  const result = await runHook([name === 'SubagentStart' ? 'subagent-start' : 'subagent-stop'], subagentEvent(dir, name, agent), {});
  expect(result, 'subagent events answer nothing and never block').toEqual({ stdout: '', stderr: '', exitCode: 0 });
}

describe('parallel-writers through the hooks', () => {
  it('first writer claims; a second subagent and the main session are denied until it stops; reads are free', async () => {
    repo = tempRepo({ 'README.md': '# r\n', 'shared.txt': 'orig\n' });
    const dir = repo.dir;
    for (const agent of ['agent-a', 'agent-b', 'agent-c']) await event(dir, 'SubagentStart', agent);
    expect(await pre(dir, { agent: 'agent-b' })).toEqual({ decision: 'allow', reason: '' });
    const second = await pre(dir, { agent: 'agent-a' });
    expect(second.decision).toBe('deny');
    expect(second.reason).toMatch(/^\[fanout:parallel-writers\] subagent agent-b \(general-purpose\), started by the same session, is already changing files in this checkout/);
    expect(await pre(dir, { agent: 'agent-a', tool: 'Bash', input: { command: 'git status && cat shared.txt' } })).toEqual({ decision: 'allow', reason: '' });
    expect((await pre(dir, { agent: 'agent-c', tool: 'Bash', input: { command: 'echo x >> shared.txt' } })).reason).toContain('[fanout:parallel-writers]');
    expect((await pre(dir)).reason, 'the main session').toMatch(/^\[fanout:parallel-writers\] subagent agent-b .* running in the background/);
    expect(await pre(dir, { agent: 'agent-b', tool: 'Edit', input: { file_path: join(dir, 'README.md'), old_string: 'r', new_string: 's' } })).toEqual({ decision: 'allow', reason: '' });
    // Writes outside the checkout race with nothing here.
    expect(await pre(dir, { agent: 'agent-c', input: { file_path: '/tmp/fanout-scratch.txt', content: 'x' } })).toEqual({ decision: 'allow', reason: '' });

    await event(dir, 'SubagentStop', 'agent-b');
    expect(await pre(dir)).toEqual({ decision: 'allow', reason: '' });
    expect(await pre(dir, { agent: 'agent-c' })).toEqual({ decision: 'allow', reason: '' });
    expect((await pre(dir, { agent: 'agent-a' })).decision).toBe('deny');
    const claims = readdirSync(join(sessionsRoot(join(dir, '.git')), SESSION, 'claims', checkoutKey(dir))).sort();
    expect(claims).toEqual(['1.claim', '2.claim']);
  });

  it('sessions are separate: another session\'s live claim never blocks this one', async () => {
    repo = tempRepo();
    expect((await pre(repo.dir, { agent: 'agent-a', session: 'other-session' })).decision).toBe('allow');
    expect((await pre(repo.dir, { agent: 'agent-b' })).decision).toBe('allow');
    expect((await pre(repo.dir)).decision).toBe('deny');
  });

  it('a claim made by a Claude Code process that is gone binds no more (a session that died without SubagentStop)', async () => {
    repo = tempRepo();
    const { spawnSync } = await import('node:child_process');
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    expect((await pre(repo.dir, { agent: 'agent-a' }, { CLAUDE_PID: String(dead) })).decision).toBe('allow');
    expect((await pre(repo.dir, { agent: 'agent-b' }, { CLAUDE_PID: String(process.pid) })).decision, 'the dead session\'s claim is void').toBe('allow');
    expect((await pre(repo.dir, { agent: 'agent-c' }, { CLAUDE_PID: String(process.pid) })).decision, 'the live one holds').toBe('deny');
  });

  it('with a plan sized parallel in this session, writers are not blocked; a plan of another session does not count', async () => {
    repo = tempRepo();
    const gitDir = join(repo.dir, '.git');
    await appendLedger(nodeFs, gitDir, { type: 'plan', time: new Date().toISOString(), session: 'other-session', plan: 'p.md', decision: 'parallel', reason: 'r' });
    expect((await pre(repo.dir, { agent: 'agent-a' })).decision).toBe('allow');
    expect((await pre(repo.dir, { agent: 'agent-b' })).decision).toBe('deny');
    await appendLedger(nodeFs, gitDir, { type: 'plan', time: new Date().toISOString(), session: SESSION, plan: 'p.md', decision: 'parallel', reason: 'r' });
    expect((await pre(repo.dir, { agent: 'agent-b' })).decision).toBe('allow');
    expect((await pre(repo.dir)).decision).toBe('allow');
  });

  it('gate.parallel_writers: ask asks, allow turns the rule off', async () => {
    repo = tempRepo({ '.claude/constraints.md': '---\ngate: { parallel_writers: ask }\n---\n' });
    await pre(repo.dir, { agent: 'agent-a' });
    expect((await pre(repo.dir, { agent: 'agent-b' })).decision).toBe('ask');
    repo.write({ '.claude/constraints.md': '---\ngate: { parallel_writers: allow }\n---\n' });
    expect((await pre(repo.dir, { agent: 'agent-c' })).decision).toBe('allow');
    expect(existsSync(join(sessionsRoot(join(repo.dir, '.git')), SESSION, 'claims', checkoutKey(repo.dir), '2.claim'))).toBe(false);
  });

  it('an invalid gate.parallel_writers names the field', async () => {
    repo = tempRepo({ '.claude/constraints.md': '---\ngate: { parallel_writers: sometimes }\n---\n' });
    const result = await pre(repo.dir, { agent: 'agent-a' });
    expect(result.decision).toBe('deny');
    expect(result.reason).toContain('[fanout:constraints-invalid]');
    expect(result.reason).toContain('gate.parallel_writers');
  });

  it('outside a git repo the rule does not apply and no .git dir appears', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-norepo-')));
    try {
      expect((await pre(dir, { agent: 'agent-a' })).decision).toBe('allow');
      expect((await pre(dir, { agent: 'agent-b' })).decision).toBe('allow');
      await event(dir, 'SubagentStart', 'agent-a');
      expect(existsSync(join(dir, '.git'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('SessionStart (startup) sweeps sessions idle for a day, and keeps the others', async () => {
    repo = tempRepo();
    const root = sessionsRoot(join(repo.dir, '.git'));
    for (const session of ['old-session', 'recent-session']) {
      expect((await runHook(['subagent-start'], subagentEvent(repo.dir, 'SubagentStart', 'agent-a', session), {})).exitCode).toBe(0);
      await pre(repo.dir, { agent: 'agent-a', session });
    }
    const dayAgo = (Date.now() - SESSION_RETENTION_MS - 60_000) / 1000;
    for (const sub of ['', '/agents', '/claims', `/claims/${checkoutKey(repo.dir)}`]) utimesSync(`${root}/old-session${sub}`, dayAgo, dayAgo);
    const start = await runHook(['session-start'], JSON.stringify({ session_id: SESSION, cwd: repo.dir, hook_event_name: 'SessionStart', source: 'startup' }), {});
    expect(start.exitCode).toBe(0);
    expect(readdirSync(root)).toEqual(['recent-session']);
  });

  it('subagent events without an agent_id report on stderr and exit 1: non-blocking', async () => {
    repo = tempRepo();
    const result = await runHook(['subagent-stop'], JSON.stringify({ session_id: SESSION, cwd: repo.dir, hook_event_name: 'SubagentStop' }), {});
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/no agent_id/);
  });
});

/** Whether a process sleeps reading a pipe or socket (Linux /proc): where hook.cjs waits for stdin once it has loaded. */
function waitingOnPipe(pid: number): boolean | undefined {
  try {
    return /pipe_read|pipe_wait|unix_stream_read/.test(readFileSync(`/proc/${pid}/wchan`, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Runs hook.cjs processes with their inputs released together: each is spawned, loads, and blocks reading stdin;
 * once all of them wait there, every stdin is written at once. Resolves with each one's output, in order.
 */
async function runHooksAtOnce(inputs: string[], cwd: string): Promise<Array<{ code: number | null; stdout: string; stderr: string }>> {
  const children = inputs.map(() => spawn(process.execPath, [DIST_HOOK, 'pre-tool-use'], { cwd, env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/root' } }));
  const done = children.map(
    (child) =>
      new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
        child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
        child.on('error', reject);
        child.on('close', (code) => resolve({ code, stdout, stderr }));
      }),
  );
  const deadline = Date.now() + 30_000;
  // Without /proc (not Linux) the inputs go at once anyway, with less overlap.
  while (!children.every((child) => waitingOnPipe(child.pid as number) !== false)) {
    if (Date.now() > deadline) throw new Error('the hook processes never all blocked on stdin within 30 s');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  children.forEach((child, i) => child.stdin.end(inputs[i]));
  return Promise.all(done);
}

describe('concurrent hook processes', () => {
  beforeAll(() => {
    if (!existsSync(DIST_HOOK)) throw new Error('dist/hook.cjs is missing: run `npm run build` (npm test does) first');
  });

  it('six subagents\' first writes reach six hook processes at once: exactly one is allowed, every round', { timeout: 120_000 }, async () => {
    repo = tempRepo({ 'shared.txt': 'orig\n' });
    for (let round = 0; round < 4; round++) {
      const session = `race-${round}`;
      const agents = Array.from({ length: 6 }, (_, i) => `agent-${round}-${i}`);
      const results = await runHooksAtOnce(agents.map((agent) => preToolUse(repo!.dir, { agent, session })), repo.dir);
      for (const r of results) expect(r.code, r.stderr).toBe(0);
      const answers = results.map((r) => answer(r.stdout));
      expect(answers.filter((a) => a.decision === 'allow'), JSON.stringify(answers)).toHaveLength(1);
      for (const denied of answers.filter((a) => a.decision !== 'allow')) expect(denied.reason).toMatch(/^\[fanout:parallel-writers\] /);
      const winner = agents[answers.findIndex((a) => a.decision === 'allow')];
      expect(denied(answers).every((a) => a.reason.includes(`subagent ${winner} `)), 'every loser names the winner').toBe(true);
    }
  });
});

function denied(answers: Array<{ decision: string; reason: string }>) {
  return answers.filter((a) => a.decision !== 'allow');
}

/**
 * The claim primitive under contention: processes meet at a file barrier before every round, then race to claim the
 * round's checkout with the command hook's store. A scheme that reads the claims and then writes one lets several
 * through; this must let exactly one through, every round.
 */
describe('claims under contention', () => {
  it('8 processes × 25 rounds, a barrier before each: exactly one winner per round', { timeout: 120_000 }, async () => {
    const work = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-claim-race-')));
    try {
      const driver = join(work, 'driver.mjs');
      await build({
        bundle: true,
        platform: 'node',
        format: 'esm',
        target: 'node20',
        logLevel: 'error',
        outfile: driver,
        stdin: {
          resolveDir: join(import.meta.dirname, '../../src/hooks'),
          sourcefile: 'driver.ts',
          loader: 'ts',
          contents: `
            import { existsSync, readdirSync, writeFileSync } from 'node:fs';
            import { nodeTrackingStore } from './node-tracking-store.js';
            import { gateParallelWrite } from './writer-tracking.js';
            const [root, me, countText, roundsText] = process.argv.slice(2);
            const count = Number(countText), rounds = Number(roundsText);
            const nap = new Int32Array(new SharedArrayBuffer(4));
            const waitFor = (test) => { const end = Date.now() + 60000; while (!test()) { if (Date.now() > end) throw new Error('barrier timed out'); Atomics.wait(nap, 0, 0, 1); } };
            const results = [];
            for (let round = 0; round < rounds; round++) {
              writeFileSync(root + '/ready-' + round + '-' + me, '');
              waitFor(() => readdirSync(root).filter((n) => n.startsWith('ready-' + round + '-')).length === count);
              const d = await gateParallelWrite(nodeTrackingStore, { root: root + '/sessions', session: 'round-' + round, checkout: '/checkout', agent: me, policy: 'deny', now: Date.now(), writes: () => true, plan: () => undefined });
              results.push(d.action);
            }
            process.stdout.write(JSON.stringify(results));
          `,
        },
      });
      const count = 8;
      const rounds = 25;
      const outputs = await Promise.all(
        Array.from({ length: count }, (_, i) => {
          return new Promise<string[]>((resolve, reject) => {
            const child = spawn(process.execPath, [driver, work, `agent-${i}`, String(count), String(rounds)]);
            let stdout = '';
            let stderr = '';
            child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
            child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
            child.on('close', (code) => (code === 0 ? resolve(JSON.parse(stdout) as string[]) : reject(new Error(`driver ${i} exited ${code}: ${stderr}`))));
          });
        }),
      );
      for (let round = 0; round < rounds; round++) {
        const actions = outputs.map((o) => o[round]);
        expect(actions.filter((a) => a === 'allow'), `round ${round}: ${actions.join(',')}`).toHaveLength(1);
        expect(actions.filter((a) => a === 'block')).toHaveLength(count - 1);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
