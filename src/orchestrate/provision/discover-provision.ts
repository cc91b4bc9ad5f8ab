// Finds what to carry from git itself, not by walking the tree: one `git ls-files` for what the repo
// ignores (ignored directories are listed once, never descended into) and one for .worktreeinclude.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gitTasks } from '../git-tasks.js';
import type { Git } from '../run-git.js';
import { globalExcludes } from './exclude-file.js';
import { planProvision, type ProvisionItem, type ProvisionSettings } from './plan-provision.js';

export async function discoverProvision(git: Git, repoRoot: string, settings: ProvisionSettings, env: NodeJS.ProcessEnv): Promise<{ items: ProvisionItem[]; ignored: string[]; globalExcludes: string }> {
  const include = join(repoRoot, '.worktreeinclude');
  const [ignored, included, configured] = await Promise.all([
    git(gitTasks.ignoredPaths()),
    existsSync(include) ? git(gitTasks.filesMatching(include)) : [],
    git(gitTasks.configPath('core.excludesFile')),
  ]);
  return { items: planProvision({ ignored, included }, settings), ignored, globalExcludes: globalExcludes(configured, env) };
}
