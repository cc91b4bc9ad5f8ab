// The default agent's argv and the settings that install the guard and the scope hook.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENT_TOOLS, agentSettings, bundleFile, defaultAgentArgs } from '../../../src/orchestrate/agent-command.js';
import { splitWords } from '../../../src/orchestrate/split-words.js';

describe('default agent', () => {
  it('runs claude in print mode with stream-json, acceptEdits, one --allowedTools value and the run settings', () => {
    const args = defaultAgentArgs('/runs/x/a.settings.json', { FANOUT_CLAUDE_BIN: '/opt/claude' });
    expect(args).toEqual(['/opt/claude', '-p', '--output-format', 'stream-json', '--verbose', '--permission-mode', 'acceptEdits', '--allowedTools', AGENT_TOOLS.join(','), '--settings', '/runs/x/a.settings.json']);
    expect(defaultAgentArgs('/s.json', {})[0]).toBe('claude');
    // Agents run in their worktrees: a relative binary is resolved from where fanout started.
    expect(defaultAgentArgs('/s.json', { FANOUT_CLAUDE_BIN: 'node_modules/.bin/claude' })[0]).toBe(resolve('node_modules/.bin/claude'));
  });

  it('settings run the hook bundle fail-closed on PreToolUse with the scope file, and nothing after the call', () => {
    const settings = agentSettings('/opt/fan out/hook.cjs', "/repo/.git/fanout/runs/r/it's.scope.json") as { hooks: Record<string, Array<{ matcher: string; hooks: Array<Record<string, unknown>> }>> };
    const pre = settings.hooks['PreToolUse']?.[0];
    expect(pre?.matcher).toBe('Bash|Write|Edit|MultiEdit|NotebookEdit');
    expect(pre?.hooks[0]).toMatchObject({ type: 'command', onFailure: 'block' });
    // Claude Code runs the command through bash: the words must come back intact.
    const words = splitWords(String(pre?.hooks[0]?.['command']));
    expect(words).toEqual({ ok: true, words: [process.execPath, '/opt/fan out/hook.cjs', 'pre-tool-use', '--scope', "/repo/.git/fanout/runs/r/it's.scope.json"] });
    // One node start per tool call: PreToolUse also records what the call changes.
    expect(Object.keys(settings.hooks)).toEqual(['PreToolUse']);
  });

  it('finds the hook bundle beside the CLI bundle, else in <package root>/dist when running from sources', () => {
    expect(bundleFile('hook.cjs', 'file:///nowhere/x/cli.mjs')).toBe('/nowhere/x/hook.cjs');
    expect(bundleFile('hook.cjs')).toMatch(/\/dist\/hook\.cjs$/);
  });
});
