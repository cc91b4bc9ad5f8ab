// One guard, three ways in: every command of the guard corpus gets the same decision, rule and reason from the
// command hook (runHook, as hook.cjs runs it), `fanout check`, and the built hooks module. The module answers a deny
// itself, names an allowed call in the marker, and hands an ask (or an allow with a report) on to the command hook.
import { mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { command as check } from '../../../src/cli/commands/check.js';
import { runHook } from '../../../src/hooks/main.js';
import type { CorpusEntry } from '../../../src/guard/measure-corpus.js';
import { judgedIds, loadModule } from '../../helpers/mod-host.js';
import { tempRepo } from '../../helpers/temp-repo.js';

const corpus = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/guard-corpus.json'), 'utf8')) as CorpusEntry[];
const HOME = '/home/dev';
const SESSION = 'b1f0c4d2-0000-4000-8000-000000000001';
// The template `fanout init` writes: locks at every level, stop triggers, the defaults spelled out.
const repo = tempRepo({ 'README.md': '# corpus\n', '.claude/constraints.md': readFileSync(join(import.meta.dirname, '../../../.claude/constraints.md'), 'utf8') });
const data = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-plugin-data-')));
afterAll(() => {
  repo.cleanup();
  rmSync(data, { recursive: true, force: true });
});

type Answer = { decision: 'allow' | 'ask' | 'deny'; reason?: string; reported?: boolean };

async function viaHook(command: string): Promise<Answer> {
  const input = JSON.stringify({ session_id: SESSION, cwd: repo.dir, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: 'toolu_hook' });
  const result = await runHook(['pre-tool-use'], input, { HOME });
  if (result.exitCode !== 0) throw new Error(`hook exit ${result.exitCode}: ${result.stderr}`);
  if (result.stdout === '') return { decision: 'allow', reported: false };
  const output = (JSON.parse(result.stdout) as { hookSpecificOutput: { permissionDecision?: 'ask' | 'deny'; permissionDecisionReason?: string; additionalContext?: string } }).hookSpecificOutput;
  if (output.permissionDecision) return { decision: output.permissionDecision, reason: output.permissionDecisionReason ?? '' };
  return { decision: 'allow', reported: output.additionalContext !== undefined };
}

async function viaCheck(command: string): Promise<Answer> {
  let out = '';
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  try {
    await check.run(['--json', '--cwd', repo.dir, '--', command]);
  } finally {
    write.mockRestore();
  }
  const json = JSON.parse(out) as { decision: Answer['decision']; ruleId: string | null; reason: string | null; warnings: unknown[] };
  return json.decision === 'allow' ? { decision: 'allow', reported: json.warnings.length > 0 } : { decision: json.decision, reason: `[fanout:${json.ruleId}] ${json.reason}` };
}

describe('the guard corpus through the command hook, fanout check and the hooks module', { timeout: 600_000 }, () => {
  it(`answers all ${corpus.length} commands alike`, async () => {
    vi.stubEnv('HOME', HOME);
    vi.stubEnv('CLAUDE_PROJECT_DIR', undefined);
    const module = await loadModule({ cwd: repo.dir, sessionId: SESSION, env: { HOME }, hookEnv: { CLAUDE_CODE_SESSION_ID: SESSION, CLAUDE_PLUGIN_DATA: data }, logs: [] });
    await module.startSession();
    const mismatches: string[] = [];
    const counts = { allow: 0, ask: 0, deny: 0 };
    for (const [i, { command }] of corpus.entries()) {
      const [hook, checked] = [await viaHook(command), await viaCheck(command)];
      const id = `toolu_corpus_${i}`;
      const answer = await module.toolCall({ tool: 'Bash', tool_use_id: id, command, description: 'corpus' });
      // What the module's answer amounts to: its deny, its allow (named in the marker), or the command hook's answer.
      const marked = judgedIds(data, SESSION)[0] === id;
      const viaModule = answer !== 'passed' ? `deny ${answer.deny}` : marked ? 'allow' : 'left to the command hook';
      const expected = hook.decision === 'deny' ? `deny ${hook.reason}` : hook.decision === 'allow' && !hook.reported ? 'allow' : 'left to the command hook';
      counts[hook.decision]++;
      if (JSON.stringify(hook) !== JSON.stringify(checked) || viaModule !== expected) {
        mismatches.push(`${command}\n  hook:   ${JSON.stringify(hook)}\n  check:  ${JSON.stringify(checked)}\n  module: ${viaModule}`);
      }
    }
    vi.unstubAllEnvs();
    console.log(`same decisions: ${corpus.length} commands (${counts.allow} allowed, ${counts.ask} asked, ${counts.deny} denied), ${mismatches.length} mismatches`);
    expect(mismatches.slice(0, 10).join('\n')).toBe('');
    expect(counts.deny).toBeGreaterThan(400);
    expect(counts.allow).toBeGreaterThan(400);
  });
});
