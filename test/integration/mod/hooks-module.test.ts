// The built hooks module (dist/plugin/fanout-hooks.mjs), run in node through a `$` shaped like Claude Code's: what it
// denies, what it lets through (and names in the marker file for the plugin's command hook), what it leaves to that
// command hook, and that every failure denies or hands the call to the command hook, never allows it unjudged.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { judgedIds, loadModule, MODULE_BUNDLE, type HostState } from '../../helpers/mod-host.js';
import { tempRepo, type TempRepo } from '../../helpers/temp-repo.js';

let repo: TempRepo | undefined;
let data: string | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
  if (data) rmSync(data, { recursive: true, force: true });
  data = undefined;
});

beforeAll(() => {
  if (!existsSync(MODULE_BUNDLE)) throw new Error(`${MODULE_BUNDLE} is missing: run \`npm run build\` (npm test does) before these tests`);
});

const SESSION = '5f61b454-fcd5-443e-8f2e-4cc565fd0e5f';

function host(files?: Record<string, string>): HostState {
  repo = tempRepo(files);
  data = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-plugin-data-')));
  return {
    cwd: repo.dir,
    sessionId: SESSION,
    env: { HOME: '/home/dev', TMPDIR: undefined },
    hookEnv: { CLAUDE_CODE_SESSION_ID: SESSION, CLAUDE_PLUGIN_DATA: data, CLAUDE_PROJECT_DIR: repo.dir },
    logs: [],
  };
}

const bash = (id: string, command: string) => ({ tool: 'Bash', tool_use_id: id, command, description: 'test' });

describe('the hooks module, built', () => {
  it('registers a session.start hook and a tool.call hook for the tools the command hook matches, with a .catch', async () => {
    const module = await loadModule(host());
    expect([...module.hooks.keys()]).toEqual(['session.start', 'tool.call']);
    const call = module.hooks.get('tool.call');
    expect(call?.onError).toBeTypeOf('function');
    for (const tool of ['Bash', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'Agent', 'Task', 'Skill', 'mcp__fs__write_file']) expect(call?.matcher?.tool.test(tool), tool).toBe(true);
    for (const tool of ['Read', 'Glob', 'Grep', 'WebFetch', 'Bashful']) expect(call?.matcher?.tool.test(tool), tool).toBe(false);
  });

  it('denies in-process with the reason the command hook gives, and names what it lets through in the marker, newest first', async () => {
    const state = host();
    const module = await loadModule(state);
    await module.startSession();
    const denied = await module.toolCall(bash('toolu_rm', 'rm -rf ~/projects'));
    expect(denied).toEqual({ deny: expect.stringMatching(/^\[fanout:rm-outside-repo\] /) });
    expect(await module.toolCall(bash('toolu_status', 'git status'))).toBe('passed');
    expect(await module.toolCall({ tool: 'Write', tool_use_id: 'toolu_env', file_path: `${state.cwd}/.env`, content: 'KEY=1' })).toEqual({ deny: expect.stringMatching(/^\[fanout:write-env-file\] /) });
    expect(await module.toolCall({ tool: 'Write', tool_use_id: 'toolu_src', file_path: `${state.cwd}/src/a.ts`, content: 'x' })).toBe('passed');
    expect(judgedIds(data as string, SESSION)).toEqual(['toolu_src', 'toolu_status']);
    // Keeps the latest 16: enough for the calls of one message that run at once.
    for (let i = 0; i < 20; i++) await module.toolCall(bash(`toolu_n${i}`, 'ls'));
    const ids = judgedIds(data as string, SESSION);
    expect(ids).toHaveLength(16);
    expect(ids[0]).toBe('toolu_n19');
    expect(state.logs).toEqual([]);
  });

  it('records what a call it lets through changes, in the same ledger as the command hook', async () => {
    const state = host();
    const module = await loadModule(state);
    await module.startSession();
    expect(await module.toolCall(bash('toolu_w', 'echo x > notes.txt'))).toBe('passed');
    const ledger = join(state.cwd, '.git/fanout/ledger.jsonl');
    // The append runs after the call is answered: wait for it.
    for (let i = 0; i < 200 && !existsSync(ledger); i++) await new Promise((resolve) => setTimeout(resolve, 25));
    expect(existsSync(ledger), 'the module wrote no ledger record within 5 s').toBe(true);
    expect(JSON.parse(readFileSync(ledger, 'utf8').trim())).toMatchObject({ type: 'tool', session: SESSION, tool: 'Bash', files: ['notes.txt'], command: 'echo x > notes.txt' });
  });

  it('keeps the parallel-writers claims in the same files as the command hook: one subagent writes, the others are refused', async () => {
    const state = host();
    state.hookEnv['CLAUDE_PID'] = String(process.pid);
    const module = await loadModule(state);
    await module.startSession();
    const write = (id: string, agentId: string) => module.toolCall({ tool: 'Write', tool_use_id: id, agentId, file_path: `${state.cwd}/shared.txt`, content: agentId });
    expect(await write('toolu_a', 'agent-a')).toBe('passed');
    const refused = await write('toolu_b', 'agent-b');
    expect(refused).toEqual({ deny: expect.stringMatching(/^\[fanout:parallel-writers\] subagent agent-a, started by the same session, is already changing files/) });
    // The command hook reads the module's claim: a third subagent is refused there too, with the same words.
    const { runHook } = await import('../../../src/hooks/main.js');
    const input = { session_id: SESSION, cwd: state.cwd, hook_event_name: 'PreToolUse', tool_name: 'Write', tool_input: { file_path: `${state.cwd}/shared.txt`, content: 'c' }, agent_id: 'agent-b' };
    const viaHook = JSON.parse((await runHook(['pre-tool-use'], JSON.stringify(input), { HOME: '/home/dev', CLAUDE_PID: String(process.pid) })).stdout).hookSpecificOutput;
    const sinceless = (text: string) => text.replace(/since \d+ s ago/, 'since … ago');
    expect(sinceless(viaHook.permissionDecisionReason)).toBe(sinceless((refused as { deny: string }).deny));
    // The holder goes on writing.
    expect(await write('toolu_a2', 'agent-a')).toBe('passed');
  });

  it("keeps an orchestrated agent in its batch as the command hook's --scope does: same denials, same reasons", async () => {
    const state = host();
    const scopeFile = join(data as string, 'scope.json');
    // The agent's worktree: a directory of the checkout, so that a write elsewhere in the repo is the scope's to refuse.
    const root = `${state.cwd}/wt`;
    writeFileSync(scopeFile, JSON.stringify({ root, files: ['src/api.ts'] }));
    // The module takes the scope from FANOUT_SCOPE_FILE; the command hook from --scope.
    state.env['FANOUT_SCOPE_FILE'] = scopeFile;
    const module = await loadModule(state);
    await module.startSession();
    const { runHook } = await import('../../../src/hooks/main.js');
    const viaHook = async (tool_name: string, tool_input: Record<string, unknown>) => {
      const input = { session_id: SESSION, cwd: state.cwd, hook_event_name: 'PreToolUse', tool_name, tool_input };
      const stdout = (await runHook(['pre-tool-use', '--scope', scopeFile], JSON.stringify(input), { HOME: '/home/dev' })).stdout;
      return stdout === '' ? 'allow' : (JSON.parse(stdout).hookSpecificOutput.permissionDecisionReason as string);
    };
    const calls: Array<[string, Record<string, unknown>]> = [
      ['Write', { file_path: `${root}/src/api.ts`, content: 'x' }],
      ['Write', { file_path: `${root}/src/web.ts`, content: 'x' }],
      ['Bash', { command: "printf 'x' > wt/src/web.ts" }],
      ['Write', { file_path: `${state.cwd}/README.md`, content: 'x' }],
      ['Bash', { command: 'echo x > wt/src/api.ts' }],
    ];
    const answers: string[] = [];
    for (const [i, [tool, input]] of calls.entries()) {
      const answer = await module.toolCall({ tool, tool_use_id: `toolu_scope_${i}`, ...input });
      answers.push(answer === 'passed' ? 'allow' : answer.deny);
      expect(answers[i], `${tool} ${JSON.stringify(input)}`).toBe(await viaHook(tool, input));
    }
    expect(answers.map((a) => a.match(/^\[fanout:([a-z-]+)\]/)?.[1] ?? a)).toEqual(['allow', 'scope-outside-batch', 'scope-outside-batch', 'scope-outside-worktree', 'allow']);
    // A scope file the orchestrator did not write whole: denied, in both.
    writeFileSync(scopeFile, '{"root": "relative"}');
    const broken = await module.toolCall(bash('toolu_scope_broken', 'ls'));
    expect(broken).toEqual({ deny: await viaHook('Bash', { command: 'ls' }) });
    expect((broken as { deny: string }).deny).toMatch(/^\[fanout:scope-invalid\] /);
  });

  it('leaves an ask and a warn-level report to the command hook: passes them on unmarked', async () => {
    const state = host({ '.claude/constraints.md': '---\nlocked:\n  - { path: package-lock.json, level: ask, reason: lockfiles change through npm }\n  - { path: NOTES.md, level: warn, reason: curated }\n---\n' });
    const module = await loadModule(state);
    await module.startSession();
    expect(await module.toolCall({ tool: 'Write', tool_use_id: 'toolu_lock', file_path: `${state.cwd}/package-lock.json`, content: '{}' })).toBe('passed');
    expect(await module.toolCall({ tool: 'Write', tool_use_id: 'toolu_notes', file_path: `${state.cwd}/NOTES.md`, content: 'x' })).toBe('passed');
    expect(judgedIds(data as string, SESSION)).toEqual([]);
  });

  it('denies every call while the constraints file is invalid, says so at session start, and follows an edit of the file', async () => {
    const state = host({ '.claude/constraints.md': '---\nlocked:\n  - path: .env\n    level: forbid\n    reason: secrets\n---\n' });
    const module = await loadModule(state);
    await module.startSession();
    const answer = await module.toolCall(bash('toolu_ls', 'ls'));
    expect(answer).toEqual({ deny: expect.stringContaining('[fanout:constraints-invalid]') });
    expect((answer as { deny: string }).deny).toContain('.claude/constraints.md:4: locked[0].level');
    expect(state.logs.join('\n')).toMatch(/constraints\.md is invalid, so every tool call is denied/);
    repo?.write({ '.claude/constraints.md': '---\nlocked: []\n---\n' });
    expect(await module.toolCall(bash('toolu_ls2', 'ls'))).toBe('passed');
  });

  it('denies with a clear reason when its file access fails, and its .catch denies a hook that timed out', async () => {
    const state = host();
    const module = await loadModule(state);
    await module.startSession();
    expect(await module.toolCall(bash('toolu_ok', 'git status'))).toBe('passed');
    state.override = { stat: () => Promise.reject(new Error('fanout: $.fs.stat refused: EACCES')) };
    const failed = await module.toolCall(bash('toolu_x', 'git status'));
    expect(failed).toEqual({ deny: expect.stringMatching(/^\[fanout:guard-failed\] fanout's in-process guard failed on this Bash call \(.*EACCES\)/) });
    expect(await module.toolCallFailed(bash('toolu_y', 'git status'), 'timeout')).toEqual({ deny: expect.stringMatching(/^\[fanout:guard-failed\] .*\(timeout\)/) });
    expect(judgedIds(data as string, SESSION)).toEqual(['toolu_ok']);
  });

  it('stands down when it cannot read the constraints at session start: every call goes on unmarked to the command hook', async () => {
    const state = host();
    state.override = { stat: () => Promise.reject(new Error('fanout: $.fs.stat refused: EACCES')) };
    const module = await loadModule(state);
    await module.startSession();
    expect(await module.toolCall(bash('toolu_rm', 'rm -rf ~/projects'))).toBe('passed');
    expect(judgedIds(data as string, SESSION)).toEqual([]);
    expect(state.logs.join('\n')).toMatch(/the in-process guard is off because it could not start \(.*EACCES\)/);
  });

  it('stands down, saying so, when it cannot learn the session: every call goes on unmarked to the command hook', async () => {
    const state = host();
    state.override = { hookEnv: () => Promise.reject(new Error('$.process.hookEnv is not available')) };
    const module = await loadModule(state);
    await module.startSession();
    expect(await module.toolCall(bash('toolu_rm', 'rm -rf ~/projects'))).toBe('passed');
    expect(judgedIds(data as string, SESSION)).toEqual([]);
    expect(state.logs.join('\n')).toMatch(/the in-process guard is off because it could not start \(.*hookEnv is not available\); fanout's command hook judges every tool call instead/);
  });

  it('without a plugin data dir it still denies, and names nothing (the command hook judges what it allows again)', async () => {
    const state = host();
    state.hookEnv = { CLAUDE_CODE_SESSION_ID: SESSION };
    const module = await loadModule(state);
    await module.startSession();
    expect(await module.toolCall(bash('toolu_rm', 'rm -rf ~/projects'))).toEqual({ deny: expect.stringContaining('[fanout:rm-outside-repo]') });
    expect(await module.toolCall(bash('toolu_ok', 'ls'))).toBe('passed');
    mkdirSync(join(data as string, 'judged'), { recursive: true });
    expect(judgedIds(data as string, SESSION)).toEqual([]);
  });
});
