import { copyFileSync, mkdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { activePlan, readLedgerTail } from '../../../src/hooks/ledger.js';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { command } from '../../../src/cli/commands/plan.js';
import { parsePlan } from '../../../src/plan/index.js';
import { nodeFs } from '../../../src/util/node-fs.js';
import { tempRepo, type TempRepo } from '../../helpers/temp-repo.js';

const fixtures = join(import.meta.dirname, '../../fixtures/plans');
let repo: TempRepo;
let cwd: string;
let out: string;
let err: string;

beforeEach(() => {
  repo = tempRepo();
  for (const name of ['twelve-files.md', 'small-plan.md', 'human-plan.md', 'invalid-cycle.md']) copyFileSync(join(fixtures, name), join(repo.dir, name));
  cwd = process.cwd();
  process.chdir(repo.dir);
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((err += String(chunk)), true));
});

afterEach(() => {
  vi.restoreAllMocks();
  process.chdir(cwd);
  repo.cleanup();
});

describe('fanout plan', () => {
  it('prints exactly the documented JSON', async () => {
    expect(await command.run(['twelve-files.md', '--json', '--max-agents', '2'])).toBe(0);
    const json = JSON.parse(out) as Record<string, unknown>;
    expect(Object.keys(json)).toEqual(['decision', 'reason', 'recommendation', 'files', 'tasks', 'components', 'batches']);
    expect(json).toMatchObject({ decision: 'parallel', files: 12, tasks: 12 });
    expect(json['batches']).toEqual([
      { id: 'api-a-and-7-more', tasks: ['api-a', 'api-b', 'api-c', 'api-d', 'cli-a', 'cli-b', 'cli-c', 'cli-d'], files: ['src/api/a.ts', 'src/api/b.ts', 'src/api/c.ts', 'src/api/d.ts', 'src/cli/a.ts', 'src/cli/b.ts', 'src/cli/c.ts', 'src/cli/d.ts'] },
      { id: 'web-a-and-3-more', tasks: ['web-a', 'web-b', 'web-c', 'web-d'], files: ['src/web/a.ts', 'src/web/b.ts', 'src/web/c.ts', 'src/web/d.ts'] },
    ]);
  });

  it('records the sizing in the run ledger, with the Claude Code session when there is one', async () => {
    vi.stubEnv('CLAUDE_CODE_SESSION_ID', 'session-1');
    expect(await command.run(['twelve-files.md'])).toBe(0);
    vi.unstubAllEnvs();
    expect(await command.run(['small-plan.md'])).toBe(0);
    const entries = await readLedgerTail(nodeFs, join(repo.dir, '.git'));
    expect(entries.map((e) => e.type === 'plan' && [e.session, e.decision, e.plan])).toEqual([
      ['session-1', 'parallel', join(realpathSync(repo.dir), 'twelve-files.md')],
      [undefined, 'direct', join(realpathSync(repo.dir), 'small-plan.md')],
    ]);
    expect(activePlan(entries, 'session-1')?.decision).toBe('direct');
  });

  it('prints the decision, reason, components and batches as a table', async () => {
    expect(await command.run(['small-plan.md'])).toBe(0);
    expect(out).toContain('Decision:  direct');
    expect(out).toContain('Reason:    2 files in 1 component: direct (at most 2 files)');
    expect(out).toMatch(/batch\s+tasks\s+files\s+order\n\s+fix-greeting\s+1\s+2\s+fix-greeting/);
  });

  it('takes the thresholds from the constraints file', async () => {
    mkdirSync(join(repo.dir, '.claude'), { recursive: true });
    writeFileSync(join(repo.dir, '.claude/constraints.md'), '---\ngate:\n  sequential_max: 20\n---\n');
    expect(await command.run(['twelve-files.md', '--json'])).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ decision: 'sequential', reason: '12 files in 3 independent components: sequential (3-20 files)' });
  });

  it('exits 1 with file:line: field: message for an invalid plan', async () => {
    expect(await command.run(['invalid-cycle.md'])).toBe(1);
    expect(out).toBe('');
    expect(err.split('\n').slice(0, 2)).toEqual([
      'invalid-cycle.md:4: tasks[0] (a): depends_on forms a cycle: a → b → a (each waits for the next); remove one of these dependencies',
      "invalid-cycle.md:12: tasks[2] (c).depends_on[0]: unknown task id 'missing-task'; known ids: a, b, c",
    ]);
  });

  it('converts a human plan with --write-canonical', async () => {
    expect(await command.run(['human-plan.md', '--write-canonical', 'canonical.md'])).toBe(0);
    const written = parsePlan(readFileSync(join(repo.dir, 'canonical.md'), 'utf8'));
    const original = parsePlan(readFileSync(join(repo.dir, 'human-plan.md'), 'utf8'));
    expect(written.ok && original.ok && { ...written.plan, format: 'human' }).toEqual(original.ok && original.plan);
  });

  it.each([
    [[], 'missing the plan file'],
    [['a.md', 'b.md'], 'expected one plan file, got 2'],
    [['a.md', '--max-agents', '0'], '--max-agents must be a whole number from 1 to 64'],
    [['a.md', '--max-agents', 'many'], '--max-agents must be a whole number'],
    [['a.md', '--bogus'], "Unknown option '--bogus'"],
    [['human-plan.md', '--write-canonical', 'human-plan.md'], 'would overwrite the plan'],
  ])('usage error for %j', async (argv, message) => {
    await expect(command.run(argv)).rejects.toMatchObject({ code: 'usage', message: expect.stringContaining(message) });
  });

  it('fails clearly for a missing plan and an invalid constraints file', async () => {
    await expect(command.run(['nope.md'])).rejects.toMatchObject({ code: 'plan-unreadable' });
    mkdirSync(join(repo.dir, '.claude'), { recursive: true });
    writeFileSync(join(repo.dir, '.claude/constraints.md'), '---\ngate:\n  sequential_max: lots\n---\n');
    await expect(command.run(['small-plan.md'])).rejects.toMatchObject({ code: 'constraints-invalid' });
  });
});
