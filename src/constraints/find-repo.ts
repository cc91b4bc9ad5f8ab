// Finds the repo around a directory without running git: the hook does this on every tool call.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export const CONSTRAINTS_FILE = '.claude/constraints.md';

export interface RepoPaths {
  /** Top of the working tree (a linked worktree's own root inside a worktree). */
  repoRoot: string;
  /** This worktree's git dir. */
  gitDir: string;
  /** The common git dir shared by all worktrees (where fanout keeps its ledger, runs and locks). */
  commonDir: string;
  /** Claude Code's project dir ($CLAUDE_PROJECT_DIR) or the repo root. */
  projectDir: string;
}

/** Walks up from startDir to the directory holding .git (a dir, or a worktree's gitdir file). */
export function findRepo(startDir: string, env: NodeJS.ProcessEnv = process.env): RepoPaths {
  let dir = resolve(startDir);
  for (;;) {
    const dotGit = join(dir, '.git');
    let stat;
    try {
      stat = statSync(dotGit);
    } catch {
      stat = undefined;
    }
    if (stat) {
      let gitDir = dotGit;
      if (stat.isFile()) {
        const match = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, 'utf8'));
        if (match?.[1]) gitDir = isAbsolute(match[1]) ? match[1] : resolve(dir, match[1]);
      }
      let commonDir = gitDir;
      try {
        const common = readFileSync(join(gitDir, 'commondir'), 'utf8').trim();
        if (common) commonDir = isAbsolute(common) ? common : resolve(gitDir, common);
      } catch {
        // Not a linked worktree: the git dir is the common dir.
      }
      return { repoRoot: dir, gitDir, commonDir, projectDir: projectDirFrom(env, dir) };
    }
    const parent = dirname(dir);
    if (parent === dir) {
      const root = resolve(startDir);
      return { repoRoot: root, gitDir: join(root, '.git'), commonDir: join(root, '.git'), projectDir: projectDirFrom(env, root) };
    }
    dir = parent;
  }
}

function projectDirFrom(env: NodeJS.ProcessEnv, fallback: string): string {
  const fromEnv = env['CLAUDE_PROJECT_DIR'];
  return fromEnv && isAbsolute(fromEnv) ? resolve(fromEnv) : fallback;
}

/** The constraints file in effect: the project dir's, else the repo root's; undefined when there is none. */
export function constraintsFile(paths: RepoPaths): string | undefined {
  const candidates = [join(paths.projectDir, CONSTRAINTS_FILE), join(paths.repoRoot, CONSTRAINTS_FILE)];
  return candidates.find((candidate) => existsSync(candidate));
}
