import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPlan, formatPlanIssues, parsePlan } from '../../../src/plan/index.js';
import type { Plan } from '../../../src/plan/index.js';

const fixtures = join(import.meta.dirname, '../../fixtures/plans');
const fixture = (name: string) => readFileSync(join(fixtures, name), 'utf8');

function planOf(text: string): Plan {
  const result = parsePlan(text);
  if (!result.ok) throw new Error(`expected a valid plan, got:\n${formatPlanIssues('plan.md', result.issues)}`);
  return result.plan;
}

function issuesOf(text: string): string[] {
  const result = parsePlan(text);
  if (result.ok) throw new Error('expected the plan to be rejected');
  return formatPlanIssues('plan.md', result.issues).split('\n');
}

/** A canonical plan from task lines (YAML, indented under tasks:). */
function plan(tasks: string[], head = 'title: T'): string {
  return ['---', head, 'tasks:', ...tasks, '---', 'Context.', ''].join('\n');
}

describe('parsePlan: canonical form', () => {
  it('reads every field, normalises paths and keeps the body as shared context', () => {
    const parsed = planOf(
      [
        '---',
        'title: Add password reset',
        'validate: npm test',
        'tasks:',
        '  - id: reset-service',
        '    files: [./src/auth/reset.ts, src//auth/reset.test.ts, src/auth/reset.ts]',
        '    depends_on: []',
        '    prompt: Implement the reset token service',
        '  - id: reset-route',
        '    files:',
        '      - src/routes/reset.ts',
        '    depends_on: [reset-service]',
        '---',
        '',
        'Shared context for every agent.',
        '',
      ].join('\n'),
    );
    expect(parsed).toEqual({
      title: 'Add password reset',
      validate: 'npm test',
      tasks: [
        { id: 'reset-service', files: ['src/auth/reset.ts', 'src/auth/reset.test.ts'], dependsOn: [], prompt: 'Implement the reset token service' },
        { id: 'reset-route', files: ['src/routes/reset.ts'], dependsOn: ['reset-service'] },
      ],
      context: 'Shared context for every agent.',
      format: 'canonical',
    });
  });

  it('treats a missing or empty depends_on as no dependencies', () => {
    const parsed = planOf(plan(['  - id: a', '    files: [a.ts]', '  - id: b', '    files: [b.ts]', '    depends_on:']));
    expect(parsed.tasks.map((t) => t.dependsOn)).toEqual([[], []]);
  });

  it.each([
    ['small-plan.md', 1, 'direct'],
    ['medium-plan.md', 4, 'sequential'],
    ['twelve-files.md', 12, 'parallel'],
  ])('parses the fixture %s', (name, tasks) => {
    expect(planOf(fixture(name)).tasks).toHaveLength(tasks);
  });

  it('round-trips through formatPlan', () => {
    for (const name of ['small-plan.md', 'medium-plan.md', 'twelve-files.md', 'human-plan.md']) {
      const original = planOf(fixture(name));
      const again = planOf(formatPlan(original));
      expect({ ...again, format: original.format }).toEqual(original);
      expect(again.format).toBe('canonical');
    }
  });

  it('round-trips awkward prompts and titles', () => {
    const original: Plan = {
      title: 'Colons: "quotes" and #hashes',
      tasks: [{ id: 'a', files: ['src/a b.ts'], dependsOn: [], prompt: 'line one\n  indented: yes\n- not a list' }],
      context: '',
    };
    expect(planOf(formatPlan(original))).toEqual({ ...original, format: 'canonical' });
  });
});

describe('parsePlan: rejections name the line, the field and the fix', () => {
  it.each<[string, string, string[]]>([
    ['unknown depends_on id', plan(['  - id: a', '    files: [a.ts]', '  - id: b', '    files: [b.ts]', '    depends_on: [aa, zzz]']), [
      "plan.md:8: tasks[1] (b).depends_on[0]: unknown task id 'aa' (did you mean 'a'?); known ids: a, b",
      "plan.md:8: tasks[1] (b).depends_on[1]: unknown task id 'zzz'; known ids: a, b",
    ]],
    ['a two-task cycle', fixture('invalid-cycle.md'), [
      'plan.md:4: tasks[0] (a): depends_on forms a cycle: a → b → a (each waits for the next); remove one of these dependencies',
      "plan.md:12: tasks[2] (c).depends_on[0]: unknown task id 'missing-task'; known ids: a, b, c",
    ]],
    ['a self-dependency', plan(['  - id: a', '    files: [a.ts]', '    depends_on: [a]']), [
      "plan.md:6: tasks[0] (a).depends_on[0]: task 'a' depends on itself: remove 'a' from its depends_on",
    ]],
    ['a longer cycle behind an innocent task', plan([
      '  - id: x', '    files: [x.ts]', '    depends_on: [c]',
      '  - id: a', '    files: [a.ts]', '    depends_on: [c]',
      '  - id: b', '    files: [b.ts]', '    depends_on: [a]',
      '  - id: c', '    files: [c.ts]', '    depends_on: [b]',
    ]), ['plan.md:7: tasks[1] (a): depends_on forms a cycle: a → c → b → a (each waits for the next); remove one of these dependencies']],
    ['paths, ids and duplicates', fixture('invalid-paths.md'), [
      "plan.md:6: tasks[0] (escape).files[0]: '/etc/passwd' is absolute: write it relative to the repo root (e.g. src/app.ts, not /home/me/repo/src/app.ts)",
      "plan.md:7: tasks[0] (escape).files[1]: '../outside.ts' contains a '..' segment and could leave the repo: write the path from the repo root without '..'",
      "plan.md:8: tasks[0] (escape).files[2]: '.git/config' points into .git/: agents must never edit git's own files; list working-tree files only",
      "plan.md:9: tasks[0] (escape).files[3]: 'src\\windows.ts' contains a backslash: use forward slashes (src/windows.ts)",
      "plan.md:10: tasks[1] (Bad_Id).id: 'Bad_Id' is not a valid id: use lowercase letters, digits and dashes only ([a-z0-9-]+), e.g. 'bad-id'",
      "plan.md:11: tasks[1] (Bad_Id).files: task 'Bad_Id' lists no files: add the repo-relative files it changes (at least one)",
      "plan.md:12: tasks[2] (escape).id: duplicate id 'escape' (already used by task 1): give every task its own id",
    ]],
    ['unknown fields and a missing file list', fixture('invalid-fields.md'), [
      "plan.md:3: owner: unknown field 'owner'; known fields: title, validate, tasks",
      "plan.md:7: tasks[0] (one).dependsOn: unknown field 'dependsOn' (did you mean 'depends_on'?); known task fields: id, files, depends_on, prompt",
      "plan.md:8: tasks[1] (two).files: missing: list the files the task changes, e.g. 'files: [src/app.ts]'",
    ]],
    ['no tasks key', '---\ntitle: Nothing\n---\nBody\n', [
      "plan.md: tasks: no tasks: add a 'tasks:' list (- id: …, files: […], depends_on: […]); see docs/plan-format.md",
    ]],
    ['an empty task list', '---\ntitle: Nothing\ntasks: []\n---\n', ['plan.md:3: tasks: no tasks: add at least one task (- id: …, files: […])']],
    ['a missing and an empty title', '---\ntasks:\n  - id: a\n    files: [a.ts]\n---\n', ["plan.md: title: missing: add 'title: <what the plan does>'"]],
    ['wrong types', plan(['  - id: 7', '    files: src/a.ts']), [
      'plan.md:4: tasks[0].id: expected text (quote it: "…"), got number 7',
      'plan.md:5: tasks[0].files: expected a list ([a, b] or one "- item" per line), got string "src/a.ts"',
    ]],
    ['prose without front matter', 'Just do the thing.\n', [
      "plan.md:1: (plan): not a plan: expected YAML front matter with 'tasks:' (canonical form) or a '## File Changes' table / '## Implementation Sequence' list (human template); see docs/plan-format.md",
    ]],
    ['a YAML list as front matter', '---\n- a\n---\n', ['plan.md:1: (front matter): front matter must be a YAML mapping (title:, tasks: …), not a list or a single value']],
  ])('%s', (_name, text, expected) => {
    expect(issuesOf(text)).toEqual(expected);
  });

  it('reports broken YAML with its line', () => {
    const [issue] = issuesOf('---\ntitle: T\ntasks: [\n---\n');
    expect(issue).toMatch(/^plan\.md:\d+: \(front matter\): invalid YAML: /);
  });

  it('reports an empty title', () => {
    expect(issuesOf(plan(['  - id: a', '    files: [a.ts]'], "title: ''"))).toEqual([
      "plan.md:2: title: empty: write one line saying what the plan does, e.g. 'title: Add password reset'",
    ]);
  });

  it.each([
    ['', 'empty path'],
    ['   ', 'empty path'],
    ['./', 'names the repo root'],
    ['src/a\u0000.ts', 'control character'],
    ['src/a\u0007.ts', 'control character'],
    [' src/a.ts', 'leading or trailing spaces'],
    ['C:/repo/a.ts', 'is absolute'],
    ['~/a.ts', 'home directory'],
    ['src/../../a.ts', "'..' segment"],
    ['..', "'..' segment"],
    ['sub/.git/hooks/pre-commit', 'points into .git/'],
    ['.GIT/config', 'points into .git/'],
  ])('rejects the path %j (%s)', (path, fragment) => {
    const [issue, ...rest] = issuesOf(plan(['  - id: a', `    files: [${JSON.stringify(path)}]`]));
    expect(rest).toEqual([]);
    expect(issue).toContain(fragment);
    expect(issue).toMatch(/^plan\.md:5: tasks\[0\] \(a\)\.files\[0\]: /);
  });

  it.each([
    ['./src/a.ts', 'src/a.ts'],
    ['src//a.ts', 'src/a.ts'],
    ['src/./a.ts', 'src/a.ts'],
    ['src/dir/', 'src/dir'],
    ['.gitignore', '.gitignore'],
    ['docs/.github/x.md', 'docs/.github/x.md'],
    ['a..b.ts', 'a..b.ts'],
  ])('accepts and normalises %j', (path, normal) => {
    expect(planOf(plan(['  - id: a', `    files: [${JSON.stringify(path)}]`])).tasks[0]?.files).toEqual([normal]);
  });

  it('reports every issue, not just the first, in file order', () => {
    const issues = issuesOf(plan(['  - id: A', '    files: [/x]', '  - id: b', '    files: []', '    depends_on: [nope]', '    extra: 1']));
    expect(issues.map((i) => i.split(':').slice(0, 2).join(':'))).toEqual(['plan.md:4', 'plan.md:5', 'plan.md:7', 'plan.md:8', 'plan.md:9']);
  });

  it('lists at most a dozen known ids for an unknown one', () => {
    const tasks = Array.from({ length: 20 }, (_, i) => [`  - id: t${i}`, `    files: [f${i}.ts]`]).flat();
    const [issue] = issuesOf(plan([...tasks, '  - id: last', '    files: [l.ts]', '    depends_on: [zzzz]']));
    expect(issue).toContain('t11, … (9 more)');
  });
});
