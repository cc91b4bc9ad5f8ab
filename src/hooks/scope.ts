// Orchestrated agents may change only their batch's files, inside their own worktree.
import { isAbsolute, relative, sep } from 'node:path';
import { shellWriteTargets, toolFileTargets, type GuardContext } from '../guard/index.js';
import type { HostFs } from '../util/host-fs.js';

export interface Scope {
  root: string;
  files: string[];
  /** Checkouts that are never scratch space for this agent, even under a temp root (the main checkout, the run's worktrees). */
  protect?: string[];
  runId?: string;
  batch?: string;
}

export async function readScope(fs: HostFs, path: string): Promise<Scope | { error: string }> {
  try {
    const text = await fs.readText(path);
    if (text === undefined) return { error: `scope file ${path} does not exist; rerun the batch with fanout resume` };
    const value = JSON.parse(text) as Partial<Scope>;
    const protectOk = value.protect === undefined || (Array.isArray(value.protect) && value.protect.every((p) => typeof p === 'string' && isAbsolute(p)));
    if (typeof value.root !== 'string' || !isAbsolute(value.root) || !Array.isArray(value.files) || !value.files.every((f) => typeof f === 'string') || !protectOk) {
      return { error: `scope file ${path} must be {"root": "<absolute worktree>", "files": ["repo-relative", …]}; the orchestrator writes it, rerun the batch` };
    }
    return value as Scope;
  } catch (error) {
    return { error: `cannot read scope file ${path} (${error instanceof Error ? error.message : String(error)}); rerun the batch with fanout resume` };
  }
}

function isInside(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

function isTemp(path: string, scope: Scope, context: GuardContext, tmpdir: string | undefined): boolean {
  const roots = ['/tmp', '/var/tmp', ...(tmpdir ? [tmpdir] : [])];
  if (!roots.some((root) => isInside(root, path))) return false;
  // A repo that itself lives under /tmp is not scratch space: its checkouts stay in scope.
  return ![scope.root, context.repoRoot, ...(scope.protect ?? [])].some((checkout) => isInside(checkout, path));
}

export function checkScope(
  toolName: string,
  toolInput: Record<string, unknown>,
  scope: Scope,
  context: GuardContext,
  /** $TMPDIR: scratch space like /tmp. */
  tmpdir?: string,
): { ruleId: string; reason: string } | undefined {
  const allowed = new Set(scope.files);
  const judge = (absolute: string) => {
    if (isTemp(absolute, scope, context, tmpdir)) return undefined;
    if (!isInside(scope.root, absolute)) {
      return {
        ruleId: 'scope-outside-worktree',
        reason: `${absolute} is outside this agent's worktree (${scope.root}). Work only inside the worktree, with relative paths; other checkouts belong to other agents or the user.`,
      };
    }
    const rel = relative(scope.root, absolute).split(sep).join('/');
    if (!allowed.has(rel)) {
      return {
        ruleId: 'scope-outside-batch',
        reason: `${rel} is not one of this batch's files (${scope.files.join(', ')}). Another agent may own it; change only your batch's files and mention the needed change in your final message.`,
      };
    }
    return undefined;
  };
  for (const path of toolFileTargets(toolName, toolInput, context)) {
    const verdict = judge(path);
    if (verdict) return verdict;
  }
  if (toolName === 'Bash' && typeof toolInput['command'] === 'string') {
    const { paths } = shellWriteTargets(toolInput['command'], context);
    for (const path of paths) {
      const verdict = judge(path);
      if (verdict) return verdict;
    }
  }
  return undefined;
}
