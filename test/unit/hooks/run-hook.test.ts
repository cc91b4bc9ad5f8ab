import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runHook } from '../../../src/hooks/main.js';
import { tempRepo, type TempRepo } from '../../helpers/temp-repo.js';

let repo: TempRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

function bash(dir: string, command: string) {
  return JSON.stringify({ session_id: 's1', cwd: dir, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command } });
}

function decisionOf(stdout: string): { permissionDecision?: string; permissionDecisionReason?: string } {
  return stdout.trim() === '' ? {} : (JSON.parse(stdout) as { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } }).hookSpecificOutput;
}

describe('runHook: failure policy', () => {
  it.each([
    ['empty stdin', ''],
    ['not JSON', '{"tool_name": "Bash",'],
    ['a JSON array', '[1,2]'],
    ['no tool_name', JSON.stringify({ cwd: '/tmp', tool_input: { command: 'ls' } })],
    ['tool_input not an object', JSON.stringify({ cwd: '/tmp', tool_name: 'Bash', tool_input: 'ls' })],
  ])('pre-tool-use denies malformed input (%s)', async (_name, raw) => {
    const result = await runHook(['pre-tool-use'], raw, {});
    expect(result.exitCode).toBe(0);
    const decision = decisionOf(result.stdout);
    expect(decision.permissionDecision).toBe('deny');
    expect(decision.permissionDecisionReason).toContain('[fanout:malformed-input]');
  });

  it('prompt hooks block malformed input, post-tool-use reports it without blocking', async () => {
    const prompt = await runHook(['user-prompt-submit'], 'nope', {});
    expect(JSON.parse(prompt.stdout)).toMatchObject({ decision: 'block' });
    const post = await runHook(['post-tool-use'], 'nope', {});
    expect(post.exitCode).toBe(1);
    expect(post.stdout).toBe('');
    expect(post.stderr).toContain('not valid JSON');
  });

  it('rejects an unknown event or option with exit 2', async () => {
    expect((await runHook(['pre-tool', ], '{}', {})).exitCode).toBe(2);
    expect((await runHook(['pre-tool-use', '--nope'], '{}', {})).exitCode).toBe(2);
  });
});

describe('runHook: pre-tool-use', () => {
  it('allows ordinary work by printing nothing (never an explicit allow)', async () => {
    repo = tempRepo();
    const result = await runHook(['pre-tool-use'], bash(repo.dir, 'git status && npm test'), { HOME: '/root' });
    expect(result).toEqual({ stdout: '', stderr: '', exitCode: 0 });
  });

  it('denies a destructive command with the rule id in the reason', async () => {
    repo = tempRepo();
    const result = await runHook(['pre-tool-use'], bash(repo.dir, 'rm -rf ~/projects'), { HOME: '/home/dev' });
    const decision = decisionOf(result.stdout);
    expect(decision.permissionDecision).toBe('deny');
    expect(decision.permissionDecisionReason).toMatch(/^\[fanout:[a-z0-9-]+\] /);
  });

  it('denies every tool call, naming file, line and field, while the constraints file is invalid', async () => {
    repo = tempRepo({ '.claude/constraints.md': '---\nlocked:\n  - path: .env\n    level: forbid\n    reason: secrets\n---\n' });
    const read = JSON.stringify({ cwd: repo.dir, tool_name: 'Read', tool_input: { file_path: `${repo.dir}/README.md` } });
    const decision = decisionOf((await runHook(['pre-tool-use'], read, {})).stdout);
    expect(decision.permissionDecision).toBe('deny');
    expect(decision.permissionDecisionReason).toContain('[fanout:constraints-invalid]');
    expect(decision.permissionDecisionReason).toContain('.claude/constraints.md:4: locked[0].level');
  });

  it('picks up an edited constraints file at once (the parse cache is keyed by the file)', async () => {
    repo = tempRepo({ '.claude/constraints.md': '---\nlocked:\n  - { path: "docs/**", level: block, reason: frozen docs }\n---\n' });
    const write = JSON.stringify({ cwd: repo.dir, tool_name: 'Write', tool_input: { file_path: `${repo.dir}/docs/a.md`, content: 'x' } });
    expect(decisionOf((await runHook(['pre-tool-use'], write, {})).stdout).permissionDecision).toBe('deny');
    expect(decisionOf((await runHook(['pre-tool-use'], write, {})).stdout).permissionDecision).toBe('deny');
    repo.write({ '.claude/constraints.md': '---\nlocked: []\n---\n' });
    expect(decisionOf((await runHook(['pre-tool-use'], write, {})).stdout).permissionDecision).toBeUndefined();
  });
});

describe('runHook: session-start, the ledger record and warn-level locks', () => {
  it('session-start in the plugin sweeps the hooks module\'s markers of sessions idle for a day', async () => {
    repo = tempRepo();
    const data = join(repo.dir, '.plugin-data');
    mkdirSync(join(data, 'judged'), { recursive: true });
    for (const name of ['old-session', 'this-session']) writeFileSync(join(data, 'judged', name), 'toolu_x\n');
    const old = (Date.now() - 2 * 24 * 60 * 60_000) / 1000;
    for (const name of ['old-session', 'this-session']) utimesSync(join(data, 'judged', name), old, old);
    const input = JSON.stringify({ session_id: 'this-session', cwd: repo.dir, hook_event_name: 'SessionStart', source: 'startup' });
    expect((await runHook(['session-start'], input, { CLAUDE_PLUGIN_DATA: data })).exitCode).toBe(0);
    expect(existsSync(join(data, 'judged', 'old-session'))).toBe(false);
    expect(existsSync(join(data, 'judged', 'this-session'))).toBe(true);
  });

  it('loads the prose and a summary of the active rules', async () => {
    repo = tempRepo({ '.claude/constraints.md': '---\nports: { "5432": postgres }\n---\nNever touch the billing module.\n' });
    const result = await runHook(['session-start'], JSON.stringify({ cwd: repo.dir, hook_event_name: 'SessionStart', source: 'startup' }), {});
    const context = (JSON.parse(result.stdout) as { hookSpecificOutput: { hookEventName: string; additionalContext: string } }).hookSpecificOutput;
    expect(context.hookEventName).toBe('SessionStart');
    expect(context.additionalContext).toContain('Never touch the billing module.');
    expect(context.additionalContext).toContain('5432 → postgres');
    expect(context.additionalContext).toContain('.env');
    expect(context.additionalContext).toMatch(/while one subagent changes files here, other subagents and this session may not \(parallel-writers\)/);
  });

  it('pre-tool-use records the files a call it lets through changes, and tells the model to report warn-level locks', async () => {
    repo = tempRepo({ '.claude/constraints.md': '---\nlocked:\n  - { path: CHANGELOG.md, level: warn, reason: curated }\n---\n' });
    const call = (tool_name: string, tool_input: Record<string, unknown>) => JSON.stringify({ session_id: 's1', cwd: repo?.dir, hook_event_name: 'PreToolUse', tool_name, tool_input });
    const { readLedgerTail } = await import('../../../src/hooks/ledger.js');
    const { nodeFs } = await import('../../../src/util/node-fs.js');

    const write = await runHook(['pre-tool-use'], call('Write', { file_path: `${repo.dir}/CHANGELOG.md`, content: 'x' }), {});
    const output = JSON.parse(write.stdout).hookSpecificOutput as { hookEventName: string; permissionDecision?: string; additionalContext: string };
    expect(output.hookEventName).toBe('PreToolUse');
    expect(output.permissionDecision).toBeUndefined();
    expect(output.additionalContext).toMatch(/^fanout: this writes CHANGELOG\.md, which is locked \(curated\).*Tell the user/);
    expect((await readLedgerTail(nodeFs, `${repo.dir}/.git`)).at(-1)).toMatchObject({ type: 'tool', session: 's1', tool: 'Write', files: ['CHANGELOG.md'] });

    // A shell write is recorded with its command; a call that changes nothing, or is denied, is not.
    expect((await runHook(['pre-tool-use'], call('Bash', { command: 'echo x > notes.txt' }), {})).stdout).toBe('');
    await runHook(['pre-tool-use'], call('Bash', { command: 'git status' }), {});
    await runHook(['pre-tool-use'], call('Write', { file_path: `${repo.dir}/.env`, content: 'SECRET=1' }), {});
    const entries = await readLedgerTail(nodeFs, `${repo.dir}/.git`);
    expect(entries.map((e) => (e.type === 'tool' ? e.files : []))).toEqual([['CHANGELOG.md'], ['notes.txt']]);
    expect(entries.at(-1)).toMatchObject({ tool: 'Bash', command: 'echo x > notes.txt' });
  });

  it('post-tool-use, still wired by settings an older fanout wrote, answers nothing and records nothing', async () => {
    repo = tempRepo();
    const input = JSON.stringify({ session_id: 's1', cwd: repo.dir, hook_event_name: 'PostToolUse', tool_name: 'Write', tool_input: { file_path: `${repo.dir}/a.txt`, content: 'x' }, tool_response: {} });
    expect(await runHook(['post-tool-use'], input, {})).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(existsSync(`${repo.dir}/.git/fanout/ledger.jsonl`)).toBe(false);
  });

  it('outside a git repo the hooks work and never create a .git dir (it would make the folder a repo root)', async () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-norepo-')));
    try {
      mkdirSync(join(dir, '.claude'));
      writeFileSync(join(dir, '.claude/constraints.md'), '---\nports: { "5432": postgres }\n---\nNo repo here.\n');
      const pre = await runHook(['pre-tool-use'], bash(dir, 'ls'), {});
      expect(pre).toMatchObject({ exitCode: 0, stdout: '' });
      const write = await runHook(['pre-tool-use'], JSON.stringify({ cwd: dir, hook_event_name: 'PreToolUse', tool_name: 'Write', tool_input: { file_path: join(dir, 'a.txt'), content: 'x' } }), {});
      expect(write).toMatchObject({ exitCode: 0, stdout: '' });
      expect(existsSync(join(dir, '.git'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
