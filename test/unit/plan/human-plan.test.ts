import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPlanIssues, parsePlan } from '../../../src/plan/index.js';
import type { Plan } from '../../../src/plan/index.js';

const fixtures = join(import.meta.dirname, '../../fixtures/plans');
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');

function planOf(text: string, source?: string): Plan {
  const result = parsePlan(text, source === undefined ? {} : { source });
  if (!result.ok) throw new Error(`expected a valid plan, got:\n${formatPlanIssues('plan.md', result.issues)}`);
  return result.plan;
}

function issuesOf(text: string): string[] {
  const result = parsePlan(text);
  if (result.ok) throw new Error('expected the plan to be rejected');
  return formatPlanIssues('plan.md', result.issues).split('\n');
}

/** id → depends_on, the shape the conversion is judged by. */
function graph(plan: Plan): Record<string, string[]> {
  return Object.fromEntries(plan.tasks.map((task) => [task.id, task.dependsOn]));
}

describe('parsePlan: the human template', () => {
  it('converts the fixture: rows become tasks, row and step dependencies combine, fileless steps pass through', () => {
    const plan = planOf(fixture('human-plan.md'));
    expect(plan.format).toBe('human');
    expect(plan.title).toBe('Add password reset');
    expect(plan.tasks.map((t) => [t.id, t.files])).toEqual([
      ['auth-reset', ['src/auth/reset.ts']],
      ['reset-test', ['src/auth/reset.test.ts']],
      ['routes-reset', ['src/routes/reset.ts']],
      ['email-reset', ['src/email/reset.ts']],
      ['docs-reset', ['docs/reset.md']],
    ]);
    expect(graph(plan)).toEqual({
      'auth-reset': [],
      'reset-test': ['auth-reset'],
      // Row 3 depends on #1; step 3 (the route) comes after step 2 (the email template).
      'routes-reset': ['auth-reset', 'email-reset'],
      // Step 2 after step 1, which names both reset.ts and (by basename) reset.test.ts.
      'email-reset': ['auth-reset', 'reset-test'],
      // Step 5 after step 4, which names no file and itself comes after step 3.
      'docs-reset': ['routes-reset'],
    });
    expect(plan.tasks[0]?.prompt).toBe('Create the reset token service\nStep 1: Write the token service in `src/auth/reset.ts` and its tests in `reset.test.ts`.');
    expect(plan.context).toContain('## File Changes');
  });

  it('converts a sequence without a table: each step is a task with the files it names', () => {
    const plan = planOf(fixture('human-steps-only.md'));
    expect(plan.tasks.map((t) => [t.id, t.files, t.dependsOn])).toEqual([
      ['rename-use-new-api', ['src/config/load.ts'], []],
      ['update-callers', ['src/cli/main.ts', 'src/server.ts'], ['rename-use-new-api']],
      ['update-config', ['docs/config.md'], ['update-callers']],
    ]);
  });

  it('reads columns by name in any order, with an Action/Description table and no # column', () => {
    const plan = planOf(
      [
        '# Cleanup',
        '',
        '### Files to change',
        '',
        '| Action | Description | File |',
        '| :--- | --- | ---: |',
        '| Modify | Rename the helper | **`src/util/a.ts`** |',
        '| Create | New helper (depends on #1) | src/util/b.ts (new) |',
        '| Delete | Remove the old one, after #2 | [src/old.ts](src/old.ts), src/old.test.ts |',
      ].join('\n'),
    );
    expect(plan.tasks.map((t) => [t.id, t.files, t.dependsOn, t.prompt])).toEqual([
      ['a', ['src/util/a.ts'], [], 'Modify: Rename the helper'],
      ['b', ['src/util/b.ts'], ['a'], 'Create: New helper (depends on #1)'],
      ['old', ['src/old.ts', 'src/old.test.ts'], ['b'], 'Delete: Remove the old one, after #2'],
    ]);
  });

  it.each([
    ['#1, #3', ['a', 'c']],
    ['1, 3', ['a', 'c']],
    ['#3 and #1', ['a', 'c']],
    ['-', []],
    ['none', []],
    ['—', []],
    ['', []],
  ])('reads the Depends on cell %j', (cell, deps) => {
    const plan = planOf(
      ['## File Changes', '| No. | Path | Depends |', '|---|---|---|', '| 1 | `a.ts` | |', '| 2 | `d.ts` | ' + cell + ' |', '| 3 | `c.ts` | |'].join('\n'),
    );
    expect(plan.tasks.find((t) => t.id === 'd')?.dependsOn).toEqual(deps);
  });

  it('uses the written row numbers, not the positions', () => {
    const plan = planOf(['## File Changes', '| # | File | Depends on |', '|---|---|---|', '| 10 | `a.ts` | |', '| 20 | `b.ts` | #10 |'].join('\n'));
    expect(graph(plan)).toEqual({ a: [], b: ['a'] });
  });

  it('makes ids unique: parent folder on a clash, then a number', () => {
    const plan = planOf(
      ['## File Changes', '| File |', '|---|', '| `src/a/index.ts` |', '| `src/b/index.ts` |', '| `lib/a/index.ts` |', '| `README.md` |'].join('\n'),
    );
    expect(plan.tasks.map((t) => t.id)).toEqual(['a-index', 'b-index', 'a-index-2', 'readme']);
  });

  it('takes title and validate from front matter, else the heading, else the file name', () => {
    const table = ['## File Changes', '| File |', '|---|', '| `a.ts` |'].join('\n');
    expect(planOf(`---\ntitle: From YAML\nvalidate: npm test\n---\n# Heading\n${table}`)).toMatchObject({ title: 'From YAML', validate: 'npm test' });
    expect(planOf(`# Heading\n${table}`).title).toBe('Heading');
    expect(planOf(table, 'plans/add-reset.md').title).toBe('add-reset');
  });

  it('ignores tables and lists inside code fences', () => {
    const plan = planOf(
      ['## File Changes', '```', '| File |', '|---|', '| `fake.ts` |', '```', '| File |', '|---|', '| `real.ts` |'].join('\n'),
    );
    expect(plan.tasks.map((t) => t.files)).toEqual([['real.ts']]);
  });

  it.each<[string, string, string[]]>([
    ['a missing row and a row without a file', fixture('invalid-human.md'), [
      'plan.md:7: File Changes row 1: depends on #4, but the table has no row #4 (rows: #1, #2)',
      "plan.md:8: File Changes row 2: names no file in the 'File' column: write the repo-relative path, e.g. `src/app.ts`",
    ]],
    ['a table without a File column', '## File Changes\n| # | Change |\n|---|---|\n| 1 | Something |\n', [
      "plan.md:2: File Changes: the table has no File column (columns: '#', 'Change'): name the column with the paths 'File'",
    ]],
    ['a File Changes section without a table', '## File Changes\n\n- `a.ts`\n\n## Notes\n', [
      "plan.md:1: File Changes: the section has no table: write one such as '| # | File | Change | Depends on |' with one row per file",
    ]],
    ['a step without files and no table', '## Implementation Sequence\n1. Edit `a.ts`\n2. Run the tests (depends on #1)\n', [
      'plan.md:3: Implementation Sequence step 2: names no file: put the files this step changes in backticks (e.g. `src/app.ts`), or add a File Changes table listing them',
    ]],
    ['a step depending on a missing step', '## Implementation Sequence\n1. Edit `a.ts`\n2. Edit `b.ts` (depends on #7)\n', [
      "plan.md:3: Implementation Sequence step 2: depends on #7, but there is no step 7 (steps: 1, 2); #N refers to the step's number in this list",
    ]],
    ['duplicate row numbers', '## File Changes\n| # | File |\n|---|---|\n| 1 | `a.ts` |\n| 1 | `b.ts` |\n', [
      'plan.md:5: File Changes row 2: row number #1 is used twice (also row 1): number the rows 1, 2, 3…',
    ]],
    ['a row depending on itself', '## File Changes\n| # | File | Depends on |\n|---|---|---|\n| 1 | `a.ts` | #1 |\n', [
      'plan.md:4: File Changes row 1: row #1 depends on itself: remove #1 from its Depends on',
    ]],
    ['a cycle through the table', '## File Changes\n| # | File | Depends on |\n|---|---|---|\n| 1 | `a.ts` | #2 |\n| 2 | `b.ts` | #1 |\n', [
      'plan.md:4: File Changes row 1: depends_on forms a cycle: a → b → a (each waits for the next); remove one of these dependencies',
    ]],
    ['an unsafe path in a row', '## File Changes\n| File |\n|---|\n| `../secrets.env` |\n', [
      "plan.md:4: File Changes row 1: '../secrets.env' contains a '..' segment and could leave the repo: write the path from the repo root without '..'",
    ]],
    ['a garbled Depends on cell', '## File Changes\n| File | Depends on |\n|---|---|\n| `a.ts` | the other one |\n', [
      "plan.md:4: File Changes row 1: the 'Depends on' cell 'the other one' names no row: write row numbers like '#1, #3' (or leave it empty)",
    ]],
    ['an unknown front matter field', '---\nowner: me\n---\n## File Changes\n| File |\n|---|\n| `a.ts` |\n', [
      "plan.md:2: owner: unknown field 'owner': a human-template plan's front matter may only have title and validate (tasks come from the File Changes table); for the canonical form add 'tasks:'",
    ]],
    ['a sequence heading with no numbered steps', '# Plan\n## Implementation Sequence\n- do it\n', [
      "plan.md: (plan): no tasks found: the human template needs a '## File Changes' table ('| # | File | Change | Depends on |', one row per file) or a '## Implementation Sequence' numbered list naming files in backticks; or write the canonical form (YAML front matter with tasks:), see docs/plan-format.md",
    ]],
  ])('rejects %s', (_name, text, expected) => {
    expect(issuesOf(text)).toEqual(expected);
  });
});
