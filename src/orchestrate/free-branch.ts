// A branch name nobody uses yet: name, else name-2, name-3… (for kept attempts and kept agent HEADs).
import { gitTasks } from './git-tasks.js';
import type { Git } from './run-git.js';

export async function freeBranch(git: Git, name: string): Promise<string> {
  let candidate = name;
  for (let k = 2; (await git(gitTasks.resolveCommit(`refs/heads/${candidate}`))) !== undefined; k++) candidate = `${name}-${k}`;
  return candidate;
}
