// The orchestrator with its default agent: real `claude -p` runs (one per batch, scripted by the fake API)
// started by the built CLI. Each agent writes its own file in its worktree, commits it with `git add -A` in
// Bash (nothing fanout provisioned comes with it), and is denied by the scope hook when it writes the other
// batch's file; the run merges both batches.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { within } from '../helpers/wait-for.js';
import { cleanupE2E, killRun, RUN_TOKEN_VAR, trackRun } from './harness/cleanup.js';
import { allText, feedbackText, findToolResult, requestWithResult, startFakeApi, toolResults, toolResultText, type RecordedRequest, type Turn } from './harness/fake-api.js';
import { requireHookBundle } from './harness/fanout-hooks.js';
import { CLAUDE_BIN, FANOUT_ROOT, makeGitRepo, minimalPath, tempDir } from './harness/run-claude.js';

const CLI = join(FANOUT_ROOT, 'dist', 'cli.mjs');

beforeAll(() => {
  requireHookBundle();
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
});
afterEach(cleanupE2E);

const BATCHES = ['alpha', 'beta'] as const;
const other = (batch: string) => (batch === 'alpha' ? 'beta' : 'alpha');

/** The session's working directory, as Claude Code tells the model. */
function workingDirectory(request: RecordedRequest): string {
  const match = /working directory: (\S+)/i.exec(allText(request));
  if (!match?.[1]) throw new Error('no working directory in the request');
  return match[1];
}

/**
 * Four turns per batch: write its own file, commit everything with `git add -A` in Bash (what provisioning
 * put in the worktree must stay out of it), write the other batch's file, finish. Keyed on the batch named
 * in the prompt.
 */
function turnsFor(batch: string): Turn[] {
  const own: Turn = { label: `${batch}: write own file` };
  own.when = (r) => {
    if (!allText(r).includes(`batch ${batch})`) || toolResults(r).length > 0) return false;
    own.toolUses = [{ id: `toolu_own_${batch}`, name: 'Write', input: { file_path: join(workingDirectory(r), `${batch}.txt`), content: `${batch} by claude\n` } }];
    return true;
  };
  const commit: Turn = {
    label: `${batch}: git add -A and commit`,
    when: (r) => findToolResult(r, `toolu_own_${batch}`) !== undefined && findToolResult(r, `toolu_commit_${batch}`) === undefined,
    toolUses: [{ id: `toolu_commit_${batch}`, name: 'Bash', input: { command: `git add -A && git commit -q -m "${batch} by claude"`, description: 'Commit my work' } }],
  };
  const intrude: Turn = { label: `${batch}: write ${other(batch)}'s file` };
  intrude.when = (r) => {
    if (!findToolResult(r, `toolu_commit_${batch}`) || findToolResult(r, `toolu_other_${batch}`)) return false;
    intrude.toolUses = [{ id: `toolu_other_${batch}`, name: 'Write', input: { file_path: join(workingDirectory(r), `${other(batch)}.txt`), content: `${batch} was here\n` } }];
    return true;
  };
  return [own, commit, intrude, { label: `${batch}: done`, when: (r) => findToolResult(r, `toolu_other_${batch}`) !== undefined, text: `${batch} finished` }];
}

describe('fanout orchestrate with the real Claude Code agent', () => {
  it('each agent edits its batch file in its worktree and is denied outside its batch', async () => {
    const plan = [
      '---',
      'title: Two files, two agents',
      'tasks:',
      '  - { id: alpha, files: [alpha.txt], prompt: Create alpha.txt. }',
      '  - { id: beta, files: [beta.txt], prompt: Create beta.txt. }',
      '---',
      'Each agent writes one text file.',
      '',
    ].join('\n');
    // .worktreeinclude carries notes/ (untracked, not ignored) into every worktree: only the worktree's
    // excludes file, which reaches Claude Code's Bash tool through GIT_CONFIG_*, keeps the agent's
    // `git add -A` from committing it.
    const repo = makeGitRepo({ 'README.md': '# e2e orchestrate\n', 'plans/plan.md': plan, '.worktreeinclude': 'notes/\n' });
    mkdirSync(join(repo.dir, 'notes'));
    writeFileSync(join(repo.dir, 'notes', 'private.md'), 'not for the agents to commit\n');
    const api = await startFakeApi(BATCHES.flatMap(turnsFor));
    const home = tempDir('fanout-e2e-home-');
    mkdirSync(join(home, '.claude'), { recursive: true });
    mkdirSync(join(home, '.tmp'), { recursive: true });
    const token = randomUUID();
    const env: Record<string, string> = {
      PATH: minimalPath(),
      HOME: home,
      SHELL: '/bin/bash',
      LANG: 'C.UTF-8',
      TMPDIR: join(home, '.tmp'),
      ANTHROPIC_BASE_URL: api.url,
      ANTHROPIC_API_KEY: 'sk-ant-fake',
      DISABLE_TELEMETRY: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CONFIG_DIR: join(home, '.claude'),
      FANOUT_CLAUDE_BIN: CLAUDE_BIN,
      GIT_CONFIG_NOSYSTEM: '1',
      [RUN_TOKEN_VAR]: token,
    };
    const child = spawn(process.execPath, [CLI, 'orchestrate', 'plans/plan.md', '--force', '--validate', '', '--timeout', '120s', '--json'], { cwd: repo.dir, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    trackRun(token, child.pid);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await within(new Promise<number | null>((resolve) => child.once('close', (c) => resolve(c))), { timeoutMs: 170_000, what: 'fanout orchestrate with two claude -p agents to exit', detail: () => `stderr so far:\n${stderr.slice(-3000)}` });
    await killRun(token);
    const describeRun = () => `exit ${code}\nstderr:\n${stderr.slice(-3000)}\nrequests: ${api.requests.length}, unconsumed: ${api.unconsumed().map((t) => t.label).join(', ')}`;

    expect(code, describeRun()).toBe(0);
    const report = JSON.parse(stdout) as { status: string; batches: Array<{ id: string; changedFiles: string[]; log: string }> };
    expect(report.status).toBe('merged');
    expect(api.unconsumed(), describeRun()).toEqual([]);
    // Both files on main, each written by its own agent; neither agent's intrusion landed.
    expect(readFileSync(join(repo.dir, 'alpha.txt'), 'utf8')).toBe('alpha by claude\n');
    expect(readFileSync(join(repo.dir, 'beta.txt'), 'utf8')).toBe('beta by claude\n');
    for (const batch of report.batches) expect(batch.changedFiles).toEqual([`${batch.id}.txt`]);
    // The agents' own commits (through Claude Code's Bash tool) are on main, and hold only their files.
    for (const batch of BATCHES) {
      const sha = execFileSync('git', ['log', '--format=%H', '--grep', `^${batch} by claude$`, 'main'], { cwd: repo.dir, encoding: 'utf8' }).trim();
      expect(sha, `${batch}'s own commit`).toMatch(/^[0-9a-f]{40}$/);
      expect(execFileSync('git', ['show', '--name-only', '--format=', sha], { cwd: repo.dir, encoding: 'utf8' }).trim()).toBe(`${batch}.txt`);
    }
    expect(execFileSync('git', ['ls-tree', '-r', '--name-only', 'main'], { cwd: repo.dir, encoding: 'utf8' })).not.toContain('notes/');

    for (const batch of BATCHES) {
      // The agent ran in its own worktree, outside the repo, beside it.
      const first = api.requests.find((r) => r.turn?.label === `${batch}: write own file`);
      expect(first ? workingDirectory(first) : '').toMatch(new RegExp(`\\.fanout/\\d{8}-\\d{6}-[0-9a-f]{4}/${batch}$`));
      // Its own Write went through.
      const ownResult = requestWithResult(api.requests, `toolu_own_${batch}`);
      const own = ownResult ? findToolResult(ownResult, `toolu_own_${batch}`) : undefined;
      expect(own?.['is_error'], own ? toolResultText(own) : 'no result').not.toBe(true);
      // The Write to the other batch's file was denied by the scope hook, and the model was told why.
      const next = requestWithResult(api.requests, `toolu_other_${batch}`);
      expect(next, describeRun()).toBeDefined();
      const denied = next ? findToolResult(next, `toolu_other_${batch}`) : undefined;
      expect(denied?.['is_error']).toBe(true);
      expect(next ? feedbackText(next) : '').toContain('[fanout:scope-outside-batch]');
      expect(next ? feedbackText(next) : '').toContain(`${other(batch)}.txt is not one of this batch's files`);
    }
    // The agents' stream-json output is in the run's logs.
    const log = readFileSync(report.batches[0]?.log ?? '', 'utf8');
    expect(log).toContain('"type":"result"');
  });
});
