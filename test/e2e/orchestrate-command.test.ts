// `/orchestrate <12-file plan>` end to end in the real Claude Code CLI, installed per repo and as a plugin: the
// command expands, the scripted model sizes the plan and runs `fanout orchestrate` through Bash (granted by the
// command's allowed-tools alone, and passed by the guard), and the branch ends with every file merged and no
// worktree left. The first two runs use the offline fixture agent (one Claude Code process each); the last runs
// the orchestrator's default agent, real `claude -p` processes scripted by the same fake API.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanupE2E } from './harness/cleanup.js';
import { parsePlan, sizePlan } from '../../src/plan/index.js';
import { allText, findToolResult, startFakeApi, toolResults, toolResultText, type RecordedRequest, type Turn } from './harness/fake-api.js';
import { requireHookBundle } from './harness/fanout-hooks.js';
import { CLAUDE_BIN, describeRun, FANOUT_ROOT, makeGitRepo, runClaude, type GitRepo } from './harness/run-claude.js';

beforeAll(requireHookBundle);
afterEach(cleanupE2E);

const TWELVE = readFileSync(join(FANOUT_ROOT, 'test/fixtures/plans/twelve-files.md'), 'utf8');
const PLAN_FILES = [...TWELVE.matchAll(/files: \[([^\]]+)\]/g)].flatMap((m) => (m[1] ?? '').split(',').map((f) => f.trim()));
const AGENT = join(FANOUT_ROOT, 'test/fixtures/agents/write-files.mjs');
const SIZE = 'toolu_orch_size';
const RUN = 'toolu_orch_run';

describe.each(['per-repo', 'plugin'] as const)('/orchestrate <12-file plan>, fanout installed %s', (install) => {
  it('sizes the plan, runs fanout orchestrate through Bash, merges every file and leaves no worktree', async () => {
    expect(PLAN_FILES).toHaveLength(12);
    const repo = makeGitRepo({ 'README.md': '# orchestrate e2e\n', 'plans/twelve.md': TWELVE });
    let cli: string;
    let prompt: string;
    if (install === 'per-repo') {
      execFileSync(process.execPath, [join(FANOUT_ROOT, 'dist', 'cli.mjs'), 'init', '--dir', repo.dir], { encoding: 'utf8' });
      // The orchestrator starts from a clean tree: commit the install, as a team would.
      repo.git('add', '-A');
      repo.git('commit', '-q', '-m', 'Add fanout');
      cli = join(repo.dir, '.claude/fanout/cli.mjs');
      prompt = '/orchestrate plans/twelve.md';
    } else {
      cli = join(FANOUT_ROOT, 'dist', 'cli.mjs');
      prompt = '/fanout:orchestrate plans/twelve.md';
    }
    const base = repo.git('rev-parse', 'HEAD').trim();
    const fanout = `node "${cli}"`;
    const api = await startFakeApi([
      { toolUses: [{ id: SIZE, name: 'Bash', input: { command: `${fanout} plan plans/twelve.md --json`, description: 'Size the plan' } }] },
      {
        when: (r) => findToolResult(r, SIZE) !== undefined,
        toolUses: [
          {
            id: RUN,
            name: 'Bash',
            input: { command: `${fanout} orchestrate plans/twelve.md --agent 'node ${AGENT}' --validate '' --json`, description: 'Fan the plan out', timeout: 120_000 },
          },
        ],
      },
      { when: (r) => findToolResult(r, RUN) !== undefined, text: 'orchestrate-e2e-done' },
    ]);
    // No --allowedTools: the command's allowed-tools must be what lets the CLI run.
    const run = await runClaude({ cwd: repo.dir, prompt, api, timeoutMs: 150_000, ...(install === 'plugin' ? { pluginDir: FANOUT_ROOT } : {}) });
    expect(run.exitCode, describeRun(run)).toBe(0);
    expect(api.unconsumed(), describeRun(run)).toEqual([]);
    expect(run.json?.result).toBe('orchestrate-e2e-done');
    expect(run.json?.permission_denials ?? []).toEqual([]);

    // The command expanded, with the CLI path substituted.
    const first = allText(run.requests[0] ?? { body: undefined } as never);
    expect(first).toContain(`<command-name>${prompt.split(' ')[0]}</command-name>`);
    expect(first).toContain(`fanout's CLI for this command is \`${fanout}\``);

    // The model saw the gate's decision, then the report.
    const sized = run.requests.find((r) => findToolResult(r, SIZE));
    const sizing = JSON.parse(toolResultText(findToolResult(sized ?? (run.requests[0] as never), SIZE) ?? { type: 'none' })) as { decision: string; batches: unknown[] };
    expect(sizing).toMatchObject({ decision: 'parallel' });
    expect(sizing.batches).toHaveLength(3);
    const ran = run.requests.find((r) => findToolResult(r, RUN));
    const runResult = findToolResult(ran ?? (run.requests[0] as never), RUN);
    expect(runResult?.['is_error'], toolResultText(runResult ?? { type: 'none' })).not.toBe(true);
    expect(toolResultText(runResult ?? { type: 'none' })).toMatch(/"status": "merged"/);

    // On disk: every planned file on main, which moved forward from the base; no worktree, no batch branch.
    assertMerged(repo, base);
  });
});

/** The session's working directory, as Claude Code tells the model. */
function workingDirectory(request: RecordedRequest): string {
  const match = /working directory: (\S+)/i.exec(allText(request));
  if (!match?.[1]) throw new Error('no working directory in the request');
  return match[1];
}

/** One agent per batch: it writes all its files in one turn (paths in its own worktree), then finishes. */
function agentTurns(batch: string, files: readonly string[]): Turn[] {
  const ids = files.map((_, i) => `toolu_${batch}_${i}`);
  const write: Turn = { label: `${batch}: write` };
  write.when = (r) => {
    if (!allText(r).includes(`batch ${batch})`) || toolResults(r).length > 0) return false;
    const dir = workingDirectory(r);
    write.toolUses = files.map((file, i) => ({ id: ids[i] ?? '', name: 'Write', input: { file_path: join(dir, file), content: `// ${file}: written by claude for ${batch}\n` } }));
    return true;
  };
  return [write, { label: `${batch}: done`, when: (r) => ids.every((id) => findToolResult(r, id) !== undefined), text: `${batch} finished` }];
}

function assertMerged(repo: GitRepo, base: string): void {
  const onMain = repo.git('ls-tree', '-r', '--name-only', 'main').split('\n');
  for (const file of PLAN_FILES) expect(onMain, file).toContain(file);
  expect(repo.git('merge-base', '--is-ancestor', base, 'main')).toBe('');
  expect(repo.git('worktree', 'list', '--porcelain').match(/^worktree /gm)).toHaveLength(1);
  expect(repo.git('branch', '--list', 'fanout/*').trim()).toBe('');
  expect(existsSync(`${repo.dir}.fanout`)).toBe(false);
  expect(repo.git('status', '--porcelain').trim()).toBe('');
}

describe('/orchestrate <12-file plan> with real claude -p agents', () => {
  it('the session runs fanout orchestrate; three scripted Claude Code agents write their batches; all merged', async () => {
    const parsed = parsePlan(TWELVE);
    if (!parsed.ok) throw new Error('fixture plan must parse');
    const { batches } = sizePlan(parsed.plan);
    expect(batches).toHaveLength(3);
    const repo = makeGitRepo({ 'README.md': '# orchestrate e2e\n', 'plans/twelve.md': TWELVE });
    execFileSync(process.execPath, [join(FANOUT_ROOT, 'dist', 'cli.mjs'), 'init', '--dir', repo.dir], { encoding: 'utf8' });
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'Add fanout');
    const base = repo.git('rev-parse', 'HEAD').trim();
    const fanout = `node "${join(repo.dir, '.claude/fanout/cli.mjs')}"`;
    const api = await startFakeApi([
      {
        label: 'session: orchestrate',
        when: (r) => allText(r).includes('<command-name>/orchestrate</command-name>') && toolResults(r).length === 0,
        toolUses: [{ id: RUN, name: 'Bash', input: { command: `${fanout} orchestrate plans/twelve.md --validate '' --timeout 120s --json`, description: 'Fan the plan out', timeout: 200_000 } }],
      },
      { label: 'session: done', when: (r) => findToolResult(r, RUN) !== undefined, text: 'orchestrate-e2e-done' },
      ...batches.flatMap((batch) => agentTurns(batch.id, batch.files)),
    ]);
    const run = await runClaude({ cwd: repo.dir, prompt: '/orchestrate plans/twelve.md', api, timeoutMs: 220_000, env: { FANOUT_CLAUDE_BIN: CLAUDE_BIN } });
    const ran = run.requests.find((r) => findToolResult(r, RUN));
    const output = toolResultText(findToolResult(ran ?? (run.requests[0] as never), RUN) ?? { type: 'none' });
    const why = `${describeRun(run)}\nunconsumed: ${api.unconsumed().map((t) => t.label).join(', ')}\norchestrate output: ${output.slice(-3000)}`;
    expect(run.exitCode, why).toBe(0);
    expect(run.json?.result, why).toBe('orchestrate-e2e-done');
    expect(api.unconsumed(), why).toEqual([]);
    expect(output, why).toMatch(/"status": "merged"/);
    // Each file was written by the Claude Code agent of its batch, not by a fixture.
    for (const batch of batches) for (const file of batch.files) expect(repo.git('show', `main:${file}`)).toBe(`// ${file}: written by claude for ${batch.id}\n`);
    assertMerged(repo, base);
  });
});
