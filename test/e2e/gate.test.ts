// The complexity gate inside the real CLI: prompt hooks refuse `/orchestrate <small plan>` before the model
// sees it, and the pre-tool-use hook refuses a Bash line that starts several agents at once.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanupE2E } from './harness/cleanup.js';
import { findToolResult, requestWithResult, startFakeApi, toolResultText } from './harness/fake-api.js';
import { fanoutSettings, requireHookBundle, type ClaudeHookEvent } from './harness/fanout-hooks.js';
import { describeRun, FANOUT_ROOT, makeGitRepo, runClaude } from './harness/run-claude.js';

beforeAll(requireHookBundle);
afterEach(cleanupE2E);

const PLAN_MARKER = 'PLAN-BODY-MARKER-7f3a';
const SMALL_PLAN = `---
title: Fix a typo in two files
tasks:
  - id: fix-typo
    files: [src/a.ts, src/b.ts]
    depends_on: []
---
${PLAN_MARKER}: shared context every agent would get.
`;

/** The real command file once it exists; a minimal stand-in until then (the hook, not the body, is under test). */
function orchestrateCommand(): string {
  const real = join(FANOUT_ROOT, 'commands', 'orchestrate.md');
  if (existsSync(real)) return readFileSync(real, 'utf8');
  return `---
description: Fan a plan out to parallel agents in git worktrees
argument-hint: <plan file | task description>
---
Orchestrate this: $ARGUMENTS
`;
}

function gatedRepo(events: ClaudeHookEvent[] = ['PreToolUse', 'UserPromptSubmit', 'UserPromptExpansion']) {
  return makeGitRepo({
    'README.md': '# gated\n',
    'src/a.ts': 'export const a = 1;\n',
    'src/b.ts': 'export const b = 2;\n',
    'small-plan.md': SMALL_PLAN,
    '.claude/commands/orchestrate.md': orchestrateCommand(),
    '.claude/settings.json': `${JSON.stringify(fanoutSettings(events), null, 2)}\n`,
  });
}

describe('complexity gate in the real Claude Code CLI', () => {
  // Each prompt hook alone must hold the gate: when both are wired, UserPromptSubmit fires first and hides the other.
  it.each(['UserPromptSubmit', 'UserPromptExpansion'] as const)('%s blocks /orchestrate small-plan.md before any model request carries it, and says why', async (event) => {
    const repo = gatedRepo([event]);
    const api = await startFakeApi([{ text: 'the model should never have been asked' }]);
    const run = await runClaude({ cwd: repo.dir, prompt: '/orchestrate small-plan.md', api, allowedTools: ['Bash'] });
    expect(run.exitCode, describeRun(run)).toBe(0);
    const carrying = run.requests.flatMap((r, i) => (r.raw.includes('small-plan.md') || r.raw.includes(PLAN_MARKER) ? [i] : []));
    expect(carrying, 'indices of model requests that carried the plan').toEqual([]);
    expect(run.requests.length, 'a blocked prompt makes no model request at all').toBe(0);
    const result = run.json?.result ?? '';
    expect(result, describeRun(run)).toMatch(new RegExp(`^${event} operation blocked by hook:`));
    expect(result).toContain('fanout complexity gate');
    // The reason names the numbers the decision came from (2 files → build it directly).
    expect(result).toMatch(/\b2\b[^.\n]*\bfiles?\b/);
    expect(run.json?.num_turns).toBe(0);
  });

  it('denies a Bash command that starts two claude -p agents in the background, with the reason', async () => {
    const repo = gatedRepo();
    const PARALLEL = 'toolu_gate_parallel';
    const api = await startFakeApi([
      { toolUses: [{ id: PARALLEL, name: 'Bash', input: { command: 'claude -p "a" & claude -p "b" &', description: 'Start two agents' } }] },
      { when: (r) => findToolResult(r, PARALLEL) !== undefined, text: 'gate-run-finished' },
    ]);
    const run = await runClaude({ cwd: repo.dir, prompt: 'split this work across two agents', api, allowedTools: ['Bash'] });
    expect(run.exitCode, describeRun(run)).toBe(0);
    expect(run.json?.result).toBe('gate-run-finished');
    const next = requestWithResult(run.requests, PARALLEL);
    const block = next && findToolResult(next, PARALLEL);
    expect(block?.['is_error']).toBe(true);
    const text = toolResultText(block ?? { type: 'none' });
    expect(text).toMatch(/^PreToolUse:Bash hook error: \[fanout:parallel-agents\] \S/);
    expect(text).toMatch(/orchestrate/);
    expect((run.json?.permission_denials ?? []).map((d) => d.tool_use_id)).toEqual([PARALLEL]);
  });
});
