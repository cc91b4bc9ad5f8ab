import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatPlanIssues, readPlan } from '../../../src/plan/index.js';

let root: string;
let repo: string;
let outside: string;

beforeEach(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-read-plan-')));
  repo = join(root, 'repo');
  outside = join(root, 'outside');
  mkdirSync(join(repo, '.git'), { recursive: true });
  mkdirSync(join(repo, 'src/inner'), { recursive: true });
  mkdirSync(outside);
  symlinkSync(outside, join(repo, 'escape'));
  symlinkSync(join(repo, '.git'), join(repo, 'gitlink'));
  symlinkSync(join(repo, 'src/inner'), join(repo, 'src/alias'));
  symlinkSync(join(root, 'nowhere/file.ts'), join(repo, 'dangling.ts'));
  symlinkSync('../../outside', join(repo, 'src/relative'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function writePlan(files: string[]): string {
  const path = join(repo, 'plan.md');
  writeFileSync(path, ['---', 'title: T', 'tasks:', '  - id: a', '    files:', ...files.map((f) => `      - ${f}`), '---', ''].join('\n'));
  return path;
}

describe('readPlan', () => {
  it('reads a plan whose files are inside the repo, through in-repo symlinks or not yet existing', async () => {
    const result = await readPlan(writePlan(['src/new/file.ts', 'src/alias/x.ts', 'src/inner/y.ts']), repo);
    expect(result.ok && result.plan.tasks[0]?.files).toEqual(['src/new/file.ts', 'src/alias/x.ts', 'src/inner/y.ts']);
  });

  it('rejects files reached through a symlink that leaves the repo or enters .git', async () => {
    const result = await readPlan(writePlan(['escape/secrets.ts', 'gitlink/config', 'dangling.ts', 'src/relative/x.ts', 'src/ok.ts']), repo);
    expect(result.ok).toBe(false);
    const text = result.ok ? '' : formatPlanIssues('plan.md', result.issues);
    expect(text.split('\n')).toEqual([
      `plan.md:6: tasks[0] (a).files[0]: 'escape' is a symlink to ${outside}, outside the repo: agents would write there; list the real file inside the repo or remove the link`,
      "plan.md:7: tasks[0] (a).files[1]: 'gitlink' is a symlink into .git/: agents must never edit git's own files",
      `plan.md:8: tasks[0] (a).files[2]: 'dangling.ts' is a symlink to ${join(root, 'nowhere/file.ts')}, outside the repo: agents would write there; list the real file inside the repo or remove the link`,
      `plan.md:9: tasks[0] (a).files[3]: 'src/relative' is a symlink to ${outside}, outside the repo: agents would write there; list the real file inside the repo or remove the link`,
    ]);
  });

  it('returns parse issues unchanged', async () => {
    const result = await readPlan(writePlan(['/etc/passwd']), repo);
    expect(result.ok ? [] : result.issues.map((i) => i.line)).toEqual([6]);
  });

  it('throws a clear error for a missing or unreadable file', async () => {
    await expect(readPlan(join(repo, 'missing.md'), repo)).rejects.toMatchObject({ code: 'plan-unreadable', message: expect.stringContaining('does not exist') });
    await expect(readPlan(join(repo, 'src'), repo)).rejects.toMatchObject({ code: 'plan-unreadable', message: expect.stringContaining('is a directory') });
    if (process.getuid?.() !== 0) {
      const locked = writePlan(['a.ts']);
      chmodSync(locked, 0o000);
      await expect(readPlan(locked, repo)).rejects.toMatchObject({ code: 'plan-unreadable', message: expect.stringContaining('permission denied') });
    }
  });
});
