// The edge that reads a plan file: parsePlan plus the checks only the filesystem can answer (symlink escapes).
import { lstat, readFile, readlink, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { FanoutError } from '../util/errors.js';
import { parsePlanDetail } from './parse-plan.js';
import type { ParsePlanResult, PlanIssue } from './types.js';

/**
 * Reads and parses a plan; a missing or unreadable file throws FanoutError('plan-unreadable').
 * Also rejects task files whose existing prefix is a symlink resolving outside repoRoot or into its .git.
 */
export async function readPlan(path: string, repoRoot: string): Promise<ParsePlanResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const what = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'cannot be read (permission denied)' : `cannot be read (${code ?? String(error)})`;
    throw new FanoutError('plan-unreadable', `plan file ${path} ${what}`, {
      hint: code === 'ENOENT' ? 'check the path (relative to the current directory), or write the plan first: see docs/plan-format.md' : 'pass a readable Markdown plan file',
      cause: error,
      data: { path, exitCode: 1 },
    });
  }
  const { result, locate } = parsePlanDetail(text, { source: path });
  if (!result.ok) return result;
  const issues: PlanIssue[] = [];
  const checker = await symlinkChecker(repoRoot);
  for (const [t, task] of result.plan.tasks.entries()) {
    for (const [f, file] of task.files.entries()) {
      const escape = await checker(file);
      if (escape !== undefined) issues.push({ ...locate(t, { kind: 'file', index: f }), message: escape });
    }
  }
  return issues.length > 0 ? { ok: false, issues } : result;
}

/** Checks each path prefix once (cached across files): lstat, and for a symlink where it really leads. */
async function symlinkChecker(repoRoot: string): Promise<(file: string) => Promise<string | undefined>> {
  const root = await realpath(repoRoot).catch(() => resolve(repoRoot));
  const gitDir = join(root, '.git');
  const verdicts = new Map<string, string | null | 'missing'>();
  const inside = (target: string, base: string) => {
    const rel = relative(base, target);
    return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
  };
  const check = async (prefix: string, shown: string): Promise<string | null | 'missing'> => {
    const cached = verdicts.get(prefix);
    if (cached !== undefined) return cached;
    let verdict: string | null | 'missing' = null;
    const full = join(root, prefix);
    try {
      const stat = await lstat(full);
      if (stat.isSymbolicLink()) {
        let target: string;
        try {
          target = await realpath(full);
        } catch {
          // A dangling link still decides where a write lands.
          target = resolve(dirname(full), await readlink(full));
        }
        if (!inside(target, root)) verdict = `'${shown}' is a symlink to ${target}, outside the repo: agents would write there; list the real file inside the repo or remove the link`;
        else if (inside(target, gitDir)) verdict = `'${shown}' is a symlink into .git/: agents must never edit git's own files`;
      }
    } catch {
      verdict = 'missing';
    }
    verdicts.set(prefix, verdict);
    return verdict;
  };
  return async (file: string) => {
    const segments = file.split('/');
    for (let i = 1; i <= segments.length; i++) {
      const prefix = segments.slice(0, i).join('/');
      const verdict = await check(prefix, prefix);
      if (verdict === 'missing') return undefined;
      if (verdict !== null) return verdict;
    }
    return undefined;
  };
}
