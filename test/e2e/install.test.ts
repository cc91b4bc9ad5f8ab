// fanout installed both ways, inside the real Claude Code CLI: per repo (`fanout init`) and as a plugin
// (`--plugin-dir <repo>/plugin`, the folder a marketplace install copies; plugin-install.test.ts installs it).
// SessionStart must put the constraints into the first model request, and `/orchestrate <small plan>` must be
// refused with the gate's reason before the model sees it.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONSTRAINTS_PROSE_MARKER, PLUGIN_DIR, renderConstraintsTemplate } from '../../src/install/index.js';
import { cleanupE2E } from './harness/cleanup.js';
import { allText, startFakeApi, systemMessages, type RecordedRequest } from './harness/fake-api.js';
import { requireHookBundle } from './harness/fanout-hooks.js';
import { describeRun, FANOUT_ROOT, makeGitRepo, runClaude, type GitRepo } from './harness/run-claude.js';

beforeAll(requireHookBundle);
afterEach(cleanupE2E);

const SMALL_PLAN = readFileSync(join(FANOUT_ROOT, 'test/fixtures/plans/small-plan.md'), 'utf8');

type Install = 'per-repo' | 'plugin';

/** A repo with the small plan; per repo it gets `fanout init`, for the plugin only the constraints file init would write. */
function setUp(install: Install): { repo: GitRepo; pluginDir: string | undefined; slash: string } {
  const repo = makeGitRepo({ 'README.md': '# e2e\n', 'src/greeting.ts': 'export const hi = "helo";\n', 'small-plan.md': SMALL_PLAN });
  if (install === 'per-repo') {
    execFileSync(process.execPath, [join(FANOUT_ROOT, 'dist', 'cli.mjs'), 'init', '--dir', repo.dir], { encoding: 'utf8' });
    return { repo, pluginDir: undefined, slash: '/orchestrate' };
  }
  repo.write({ '.claude/constraints.md': renderConstraintsTemplate() });
  return { repo, pluginDir: join(FANOUT_ROOT, PLUGIN_DIR), slash: '/fanout:orchestrate' };
}

function systemText(request: RecordedRequest | undefined): string {
  return (request ? systemMessages(request) : []).map((m) => (typeof m.content === 'string' ? m.content : m.content.map((b) => (typeof b['text'] === 'string' ? b['text'] : '')).join('\n'))).join('\n');
}

describe.each(['per-repo', 'plugin'] as const)('fanout installed %s, in the real Claude Code CLI', (install) => {
  it('SessionStart puts the constraints (summary and prose) into the first request; the commands are offered', async () => {
    const { repo, pluginDir, slash } = setUp(install);
    const api = await startFakeApi([{ text: 'install-e2e-hello' }]);
    const run = await runClaude({ cwd: repo.dir, prompt: 'say hello', api, ...(pluginDir === undefined ? {} : { pluginDir }) });
    expect(run.exitCode, describeRun(run)).toBe(0);
    expect(run.json?.result).toBe('install-e2e-hello');
    const first = run.requests[0];
    expect(first, describeRun(run)).toBeDefined();
    const context = systemText(first);
    expect(context).toMatch(/SessionStart hook additional context: fanout Phase 0 constraints \(.*\.claude\/constraints\.md\) are enforced before every tool call/);
    expect(context).toContain(CONSTRAINTS_PROSE_MARKER);
    // The slash commands are installed where this install puts them.
    expect(allText(first ?? ({} as RecordedRequest))).toContain(`- ${slash.slice(1)}: Size a plan with the complexity gate`);
  });

  it('`/orchestrate <small plan>` is refused with the gate\'s reason, before any model request', async () => {
    const { repo, pluginDir, slash } = setUp(install);
    const api = await startFakeApi([{ text: 'the model should never have been asked' }]);
    const run = await runClaude({ cwd: repo.dir, prompt: `${slash} small-plan.md`, api, allowedTools: ['Bash'], ...(pluginDir === undefined ? {} : { pluginDir }) });
    expect(run.exitCode, describeRun(run)).toBe(0);
    expect(run.requests, 'a refused prompt reaches no model').toHaveLength(0);
    const result = run.json?.result ?? '';
    expect(result, describeRun(run)).toMatch(/^UserPromptSubmit operation blocked by hook:/);
    expect(result).toContain('fanout complexity gate');
    expect(result).toMatch(/\b2 files?\b/);
    expect(result).toMatch(/Build it here, no agent/);
    expect(run.json?.num_turns).toBe(0);
  });
});
