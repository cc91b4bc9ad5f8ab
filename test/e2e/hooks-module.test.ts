// fanout's hooks module in the real Claude Code CLI (the pinned 2.1.328), loaded as the plugin ships it
// (--plugin-dir <repo root>). Function hooks are early access: these runs fail CI when the API under the module
// changes, instead of the guard silently dropping out. `node` on PATH is a wrapper that logs each start, so the tests
// see which calls the module judged in-process (no node start) and which the command hook judged (one start).
import { spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanupE2E } from './harness/cleanup.js';
import { feedbackText, findToolResult, requestWithResult, startFakeApi, toolResultText, type RecordedRequest, type Turn } from './harness/fake-api.js';
import { requireHookBundle } from './harness/fanout-hooks.js';
import { describeRun, FANOUT_ROOT, makeGitRepo, minimalPath, runClaude, tempDir } from './harness/run-claude.js';

beforeAll(() => {
  requireHookBundle();
  if (!existsSync(join(FANOUT_ROOT, 'dist/plugin/fanout-hooks.mjs'))) throw new Error('dist/plugin/fanout-hooks.mjs is missing: run `node scripts/build.mjs` (npm test does)');
});
afterEach(cleanupE2E);

/** A PATH whose `node` logs its arguments to `log`, then runs the real node. */
function loggingNodePath(): { path: string; starts: (what: string) => number } {
  const dir = tempDir('fanout-e2e-node-');
  const log = join(dir, 'node.log');
  writeFileSync(join(dir, 'node'), `#!/bin/sh\nprintf '%s\\n' "$*" >> '${log}'\nexec '${process.execPath}' "$@"\n`);
  chmodSync(join(dir, 'node'), 0o755);
  const starts = (what: string) => (existsSync(log) ? readFileSync(log, 'utf8').split('\n').filter((line) => line.endsWith(what)).length : 0);
  return { path: `${dir}:${minimalPath()}`, starts };
}

/** One tool call per turn, each turn keyed off the previous call's result; `before` runs as its request arrives. */
function script(calls: Array<{ id: string; name: string; input: Record<string, unknown>; before?: () => void }>, final: string): Turn[] {
  const turns: Turn[] = calls.map((call, i) => {
    const previous = calls[i - 1];
    return {
      ...(previous === undefined ? {} : { when: (r: RecordedRequest) => findToolResult(r, previous.id) !== undefined && (call.before?.(), true) }),
      toolUses: [{ id: call.id, name: call.name, input: call.input }],
    };
  });
  const last = calls[calls.length - 1] as { id: string };
  return [...turns, { when: (r) => findToolResult(r, last.id) !== undefined, text: final }];
}

function resultOf(requests: RecordedRequest[], id: string): { text: string; isError: boolean; feedback: string } {
  const next = requestWithResult(requests, id);
  if (!next) throw new Error(`no request carried the tool_result of ${id}; requests: ${requests.length}`);
  const block = findToolResult(next, id);
  return { text: toolResultText(block ?? { type: 'none' }), isError: block?.['is_error'] === true, feedback: feedbackText(next) };
}

/** A deny from the hooks module, as the model reads it: the tool's error, not a hook error. */
const moduleDeny = (rule: string) => new RegExp(`^<tool_use_error>\\[fanout:${rule}\\] \\S`);

describe('the hooks module in the real Claude Code CLI', () => {
  it('judges in-process: denies with fanout\'s reason, lets calls run without a node start, leaves reports to the command hook, and denies everything once the constraints break', async () => {
    const home = tempDir('fanout-e2e-home-');
    mkdirSync(join(home, 'precious'));
    writeFileSync(join(home, 'precious', 'file.txt'), 'keep me\n');
    const repo = makeGitRepo({ 'README.md': '# module\n', '.claude/constraints.md': '---\nlocked:\n  - { path: NOTES.md, level: warn, reason: curated by hand }\n---\nModule e2e.\n' });
    const node = loggingNodePath();
    const api = await startFakeApi(
      script(
        [
          { id: 'toolu_mod_rm', name: 'Bash', input: { command: 'rm -rf ~/precious', description: 'Clean up' } },
          { id: 'toolu_mod_status', name: 'Bash', input: { command: 'git status', description: 'Status' } },
          { id: 'toolu_mod_notes', name: 'Write', input: { file_path: join(repo.dir, 'NOTES.md'), content: 'a note\n' } },
          {
            id: 'toolu_mod_after',
            name: 'Bash',
            input: { command: 'echo after-the-edit', description: 'Echo' },
            // A human breaks the constraints file mid-session: the module must notice at once.
            before: () => repo.write({ '.claude/constraints.md': '---\nlocked:\n  - path: .env\n    level: forbid\n    reason: secrets\n---\n' }),
          },
        ],
        'module-run-finished',
      ),
    );
    const run = await runClaude({ cwd: repo.dir, home, prompt: 'tidy up', api, allowedTools: ['Bash', 'Write'], pluginDir: FANOUT_ROOT, env: { PATH: node.path } });
    expect(run.exitCode, describeRun(run)).toBe(0);
    expect(api.unconsumed(), describeRun(run)).toEqual([]);

    const rm = resultOf(run.requests, 'toolu_mod_rm');
    expect(rm.isError).toBe(true);
    expect(rm.text).toMatch(moduleDeny('rm-outside-repo'));
    expect(readFileSync(join(home, 'precious', 'file.txt'), 'utf8')).toBe('keep me\n');

    const status = resultOf(run.requests, 'toolu_mod_status');
    expect(status.isError, status.text).toBe(false);
    expect(status.text).toContain('On branch main');

    // A warn-level lock: the module leaves the call to the command hook, whose report reaches the model.
    const notes = resultOf(run.requests, 'toolu_mod_notes');
    expect(notes.isError, notes.text).toBe(false);
    expect(notes.feedback).toMatch(/PreToolUse:Write hook additional context: fanout: this writes NOTES\.md, which is locked \(curated by hand\)/);

    const after = resultOf(run.requests, 'toolu_mod_after');
    expect(after.text).toMatch(moduleDeny('constraints-invalid'));
    expect(after.text).toContain('constraints.md:4: locked[0].level');

    // node started for the prompt and session hooks and for NOTES.md only: the module judged the other three calls.
    expect(node.starts('hook.cjs pre-tool-use')).toBe(1);
    expect(node.starts('hook.cjs session-start')).toBe(1);

    // `fanout doctor` finds the module's marker where this CLI keeps the plugin's data, and says the guard ran in-process.
    repo.write({ '.claude/settings.json': '{"enabledPlugins": {"fanout@fanout": true}}\n' });
    const doctor = spawnSync(process.execPath, [join(FANOUT_ROOT, 'dist/cli.mjs'), 'doctor', '--json'], { cwd: repo.dir, env: { PATH: minimalPath(), HOME: home, CLAUDE_CONFIG_DIR: join(home, '.claude') }, encoding: 'utf8' });
    const guardPath = (JSON.parse(doctor.stdout) as Array<{ id: string; summary: string }>).find((c) => c.id === 'guard-path');
    expect(guardPath?.summary, doctor.stdout + doctor.stderr).toMatch(new RegExp(`^plugin guard: in-process, fanout's hooks module judged tool calls in session ${run.json?.session_id ?? '\\S+'},`));
  });

  it('denies with the reason when the guard throws, and through its .catch when the guard hangs past the time limit; a worktree subagent\'s Bash still runs', async () => {
    // A subagent in its own worktree, allowed by the constraints: a tool.call hook on Bash once made every Bash call of
    // such a subagent fail (anthropics/claude-code#92533); not on the pinned CLI, and this keeps it that way.
    const repo = makeGitRepo({ 'README.md': '# faults\n', '.claude/constraints.md': '---\ngate: { subagent_worktree: allow }\n---\n' });
    const node = loggingNodePath();
    const api = await startFakeApi([
      ...script(
        [
          { id: 'toolu_fault_throw', name: 'Bash', input: { command: 'echo fanout-fault-throw', description: 'Echo' } },
          { id: 'toolu_fault_hang', name: 'Bash', input: { command: 'echo fanout-fault-hang', description: 'Echo' } },
          { id: 'toolu_wt_agent', name: 'Agent', input: { description: 'pwd in a worktree', prompt: 'MODULE-WT-SUB: run pwd', isolation: 'worktree', run_in_background: false } },
        ],
        'fault-run-finished',
      ),
      { kind: 'subagent', match: 'MODULE-WT-SUB', toolUses: [{ id: 'toolu_wt_pwd', name: 'Bash', input: { command: 'pwd', description: 'Where am I' } }] },
      { kind: 'subagent', when: (r) => findToolResult(r, 'toolu_wt_pwd') !== undefined, text: 'subagent done' },
    ]);
    const run = await runClaude({ cwd: repo.dir, prompt: 'echo', api, allowedTools: ['Bash', 'Agent'], pluginDir: FANOUT_ROOT, env: { PATH: node.path, FANOUT_MODULE_FAULTS: '1' }, timeoutMs: 180_000 });
    expect(run.exitCode, describeRun(run)).toBe(0);
    const thrown = resultOf(run.requests, 'toolu_fault_throw');
    expect(thrown.text).toMatch(moduleDeny('guard-failed'));
    expect(thrown.text).toContain('a fault injected by FANOUT_MODULE_FAULTS');
    const hung = resultOf(run.requests, 'toolu_fault_hang');
    expect(hung.text).toMatch(moduleDeny('guard-failed'));
    expect(hung.text).toContain('(timeout)');
    const pwd = resultOf(run.requests, 'toolu_wt_pwd');
    expect(pwd.isError, pwd.text).toBe(false);
    expect(pwd.text).toMatch(/\/\.claude\/worktrees\/agent-\w+$/);
    expect(node.starts('hook.cjs pre-tool-use')).toBe(0);
  });

  it('where the module does not load, the command hook is the fail-closed backstop', async () => {
    // The plugin as shipped, but with a module that throws while loading: Claude Code drops it and goes on.
    const plugin = tempDir('fanout-e2e-plugin-');
    for (const part of ['.claude-plugin', 'hooks', 'commands', 'dist']) cpSync(join(FANOUT_ROOT, part), join(plugin, part), { recursive: true });
    writeFileSync(join(plugin, 'dist/plugin/fanout-hooks.mjs'), "throw new Error('broken on purpose');\nexport function register(on) {}\n");
    const home = tempDir('fanout-e2e-home-');
    mkdirSync(join(home, 'precious'));
    writeFileSync(join(home, 'precious', 'file.txt'), 'keep me\n');
    const repo = makeGitRepo();
    const node = loggingNodePath();
    const api = await startFakeApi(
      script(
        [
          { id: 'toolu_back_rm', name: 'Bash', input: { command: 'rm -rf ~/precious', description: 'Clean up' } },
          { id: 'toolu_back_status', name: 'Bash', input: { command: 'git status', description: 'Status' } },
        ],
        'backstop-run-finished',
      ),
    );
    const run = await runClaude({ cwd: repo.dir, home, prompt: 'tidy up', api, allowedTools: ['Bash'], pluginDir: plugin, env: { PATH: node.path } });
    expect(run.exitCode, describeRun(run)).toBe(0);
    const rm = resultOf(run.requests, 'toolu_back_rm');
    expect(rm.isError).toBe(true);
    expect(rm.text).toMatch(/^PreToolUse:Bash hook error: \[fanout:rm-outside-repo\] /);
    expect(readFileSync(join(home, 'precious', 'file.txt'), 'utf8')).toBe('keep me\n');
    expect(resultOf(run.requests, 'toolu_back_status').text).toContain('On branch main');
    expect(node.starts('hook.cjs pre-tool-use')).toBe(2);
  });
});
