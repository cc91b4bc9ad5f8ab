// The built CLI: --json output parses, usage errors exit 2, status and dry runs.
import { existsSync } from 'node:fs';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { TempRepo } from '../../helpers/temp-repo.js';
import { agentFlag, CLI, cliSync, dispose, planText, repoWithPlan, startCli, TWELVE } from './helpers.js';

const repos: TempRepo[] = [];
afterEach(() => {
  for (const repo of repos.splice(0)) dispose(repo);
});
beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
});

describe('fanout orchestrate (CLI)', () => {
  it('--json prints the report as JSON on stdout and progress on stderr; status lists the run', async () => {
    const repo = repoWithPlan(planText('CLI', TWELVE));
    repos.push(repo);
    const cli = startCli(['orchestrate', repo.plan, '--agent', agentFlag('write-files'), '--validate', '', '--json'], repo.dir);
    const result = await cli.finished();
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as { status: string; runId: string; batches: unknown[] };
    expect(report.status).toBe('merged');
    expect(report.batches).toHaveLength(3);
    expect(result.stderr).toContain('fanout: [');
    const status = cliSync(['status', '--json'], repo.dir);
    expect(status.code).toBe(0);
    const parsed = JSON.parse(status.stdout) as { lock: unknown; runs: Array<{ runId: string; status: string }> };
    expect(parsed.lock).toBeNull();
    expect(parsed.runs).toEqual([expect.objectContaining({ runId: report.runId, status: 'merged' })]);
    expect(cliSync(['status'], repo.dir).stdout).toContain(report.runId);
  });

  it('refuses a plan the gate does not size parallel with exit 3 and the reason, before creating anything', () => {
    const repo = repoWithPlan(planText('Small', [{ id: 'one', files: ['a.txt'] }, { id: 'two', files: ['b.txt'] }]));
    repos.push(repo);
    const result = cliSync(['orchestrate', repo.plan, '--agent', agentFlag('write-files')], repo.dir);
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(/complexity gate.*2 files/);
    expect(result.stderr).toContain('--force');
    expect(repo.git('branch', '--list', 'fanout/*').trim()).toBe('');
  });

  it('--dry-run --json describes the batches and creates nothing', () => {
    const repo = repoWithPlan(planText('CLI', TWELVE));
    repos.push(repo);
    const result = cliSync(['orchestrate', repo.plan, '--agent', agentFlag('write-files'), '--dry-run', '--json'], repo.dir);
    expect(result.code, result.stderr).toBe(0);
    const dry = JSON.parse(result.stdout) as { dryRun: boolean; batches: Array<{ id: string }> };
    expect(dry.dryRun).toBe(true);
    expect(dry.batches).toHaveLength(3);
    expect(existsSync(`${repo.dir}/.git/fanout/runs`)).toBe(false);
  });

  it('rejects bad flags with exit 2 and a one-line message', () => {
    const repo = repoWithPlan(planText('CLI', TWELVE));
    repos.push(repo);
    const cases: Array<[string[], RegExp]> = [
      [['orchestrate'], /missing the plan file/],
      [['orchestrate', repo.plan, '--timeout', 'soon'], /--timeout must be a duration/],
      [['orchestrate', repo.plan, '--concurrency', '0'], /--concurrency must be a whole number/],
      [['orchestrate', repo.plan, '--agent', 'claude | tee log'], /'\|' outside quotes/],
      [['orchestrate', repo.plan, '--validate', 'npm test && rm -rf x'], /commands run without a shell/],
      [['orchestrate', repo.plan, '--bogus'], /Unknown option/],
      [['resume'], /expected one run id/],
    ];
    for (const [args, message] of cases) {
      const result = cliSync(args, repo.dir);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).not.toMatch(/at .*\.mjs:\d+/);
    }
  });

  it('refusals exit 1 with a hint', () => {
    const repo = repoWithPlan(planText('CLI', TWELVE));
    repos.push(repo);
    repo.write({ 'README.md': 'dirty\n' });
    const result = cliSync(['orchestrate', repo.plan, '--agent', agentFlag('write-files')], repo.dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('uncommitted changes');
    expect(result.stderr).toContain('hint:');
    const unknown = cliSync(['resume', '20990101-000000-abcd'], repo.dir);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('fanout status');
  });
});
