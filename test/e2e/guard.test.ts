// The Phase 0 guard inside the real CLI: a repo whose .claude/settings.json runs dist/hook.cjs pre-tool-use.
// One session, three scripted tool turns, each keyed off the previous tool_result.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanupE2E } from './harness/cleanup.js';
import { feedbackText, findToolResult, requestWithResult, startFakeApi, toolResultText, type RecordedRequest } from './harness/fake-api.js';
import { fanoutSettings, requireHookBundle } from './harness/fanout-hooks.js';
import { describeRun, makeGitRepo, runClaude, tempDir } from './harness/run-claude.js';

beforeAll(requireHookBundle);
afterEach(cleanupE2E);

const RM = 'toolu_guard_rm_home';
const ENV = 'toolu_guard_write_env';
const STATUS = 'toolu_guard_git_status';
const NOTES = 'toolu_guard_write_notes';
/** A deny from fanout's pre-tool-use hook as Claude Code reports it (spec §2.3): rule id in brackets, then the reason. */
const fanoutDeny = (tool: string) => new RegExp(`^PreToolUse:${tool} hook error: \\[fanout:([a-z0-9-]+)\\] \\S`);
/** Rule ids that mean the hook failed rather than judged the call. */
const FAILURE_RULES = ['malformed-input', 'constraints-invalid', 'guard'];

function resultOf(requests: RecordedRequest[], id: string): { text: string; isError: boolean; next: RecordedRequest } {
  const next = requestWithResult(requests, id);
  if (!next) throw new Error(`no request carried the tool_result of ${id}; requests: ${requests.length}`);
  const block = findToolResult(next, id);
  return { text: toolResultText(block ?? { type: 'none' }), isError: block?.['is_error'] === true, next };
}

describe('guard hook in the real Claude Code CLI', () => {
  it('denies rm -rf ~/… and a Write to .env before they run (the model is told why), lets git status run, and reports a warn-level lock', async () => {
    const home = tempDir('fanout-e2e-home-');
    mkdirSync(join(home, 'precious'));
    writeFileSync(join(home, 'precious', 'file.txt'), 'keep me\n');
    const repo = makeGitRepo({
      'README.md': '# guarded\n',
      '.claude/settings.json': `${JSON.stringify(fanoutSettings(['PreToolUse']), null, 2)}\n`,
      '.claude/constraints.md': '---\nlocked:\n  - { path: NOTES.md, level: warn, reason: curated by hand }\n---\n',
    });
    repo.write({ 'untracked-marker.txt': 'status should list me\n' });
    const envPath = join(repo.dir, '.env');

    const api = await startFakeApi([
      { toolUses: [{ id: RM, name: 'Bash', input: { command: 'rm -rf ~/precious', description: 'Remove the old data' } }] },
      { when: (r) => findToolResult(r, RM) !== undefined, toolUses: [{ id: ENV, name: 'Write', input: { file_path: envPath, content: 'API_KEY=leaked\n' } }] },
      { when: (r) => findToolResult(r, ENV) !== undefined, toolUses: [{ id: STATUS, name: 'Bash', input: { command: 'git status', description: 'Show working tree status' } }] },
      { when: (r) => findToolResult(r, STATUS) !== undefined, toolUses: [{ id: NOTES, name: 'Write', input: { file_path: join(repo.dir, 'NOTES.md'), content: 'a note\n' } }] },
      { when: (r) => findToolResult(r, NOTES) !== undefined, text: 'guard-run-finished' },
    ]);
    const run = await runClaude({ cwd: repo.dir, home, prompt: 'tidy up this repo', api, allowedTools: ['Bash', 'Write'] });
    expect(run.exitCode, describeRun(run)).toBe(0);
    expect(api.unconsumed(), describeRun(run)).toEqual([]);
    expect(run.json?.result).toBe('guard-run-finished');

    // (a) rm -rf ~/precious: never ran, and the next request tells the model which rule and why.
    expect(readFileSync(join(home, 'precious', 'file.txt'), 'utf8')).toBe('keep me\n');
    const rm = resultOf(run.requests, RM);
    expect(rm.isError).toBe(true);
    const rmRule = fanoutDeny('Bash').exec(rm.text)?.[1];
    expect(rmRule, rm.text).toBeDefined();
    expect(FAILURE_RULES).not.toContain(rmRule);
    expect(feedbackText(rm.next)).toContain(`[fanout:${rmRule}]`);

    // (b) Write .env: denied, file not created.
    expect(existsSync(envPath)).toBe(false);
    const env = resultOf(run.requests, ENV);
    expect(env.isError).toBe(true);
    const envRule = fanoutDeny('Write').exec(env.text)?.[1];
    expect(envRule, env.text).toBeDefined();
    expect(FAILURE_RULES).not.toContain(envRule);
    expect(env.text).toMatch(/\.env/);

    // (c) git status: ran, its output reached the model.
    const status = resultOf(run.requests, STATUS);
    expect(status.isError, status.text).toBe(false);
    expect(status.text).toContain('On branch main');
    expect(status.text).toContain('untracked-marker.txt');

    // (d) Write NOTES.md, locked at level warn: it is written, the model is told to report it, and the ledger has it.
    const notes = resultOf(run.requests, NOTES);
    expect(notes.isError, notes.text).toBe(false);
    expect(readFileSync(join(repo.dir, 'NOTES.md'), 'utf8')).toBe('a note\n');
    expect(feedbackText(notes.next)).toMatch(/PreToolUse:Write hook additional context: fanout: this writes NOTES\.md, which is locked \(curated by hand\)/);
    expect(readFileSync(join(repo.dir, '.git/fanout/ledger.jsonl'), 'utf8')).toContain('"tool":"Write","files":["NOTES.md"]');

    const denied = (run.json?.permission_denials ?? []).map((d) => d.tool_use_id).sort();
    expect(denied).toEqual([ENV, RM].sort());
  });
});
