// Finds the repo around a directory without running git: the hook does this on every tool call.
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { HostFs } from '../util/host-fs.js';

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

export type Env = Record<string, string | undefined>;

/** Walks up from startDir (absolute) to the directory holding .git (a dir, or a worktree's gitdir file). */
export async function findRepo(startDir: string, env: Env, fs: HostFs): Promise<RepoPaths> {
  let dir = resolve(startDir);
  for (;;) {
    const dotGit = join(dir, '.git');
    const stat = await fs.stat(dotGit).catch(() => undefined);
    if (stat) {
      let gitDir = dotGit;
      if (stat.kind === 'file') {
        const match = /^gitdir:\s*(.+?)\s*$/m.exec((await fs.readText(dotGit)) ?? '');
        if (match?.[1]) gitDir = isAbsolute(match[1]) ? match[1] : resolve(dir, match[1]);
      }
      let commonDir = gitDir;
      // Not a linked worktree (no commondir file): the git dir is the common dir.
      const common = (await fs.readText(join(gitDir, 'commondir')).catch(() => undefined))?.trim();
      if (common) commonDir = isAbsolute(common) ? common : resolve(gitDir, common);
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

function projectDirFrom(env: Env, fallback: string): string {
  const fromEnv = env['CLAUDE_PROJECT_DIR'];
  return fromEnv && isAbsolute(fromEnv) ? resolve(fromEnv) : fallback;
}

/** The constraints file in effect: the project dir's, else the repo root's; undefined when there is none. */
export async function constraintsFile(paths: RepoPaths, fs: HostFs): Promise<string | undefined> {
  for (const candidate of new Set([join(paths.projectDir, CONSTRAINTS_FILE), join(paths.repoRoot, CONSTRAINTS_FILE)])) {
    if (await fs.stat(candidate).catch(() => undefined)) return candidate;
  }
  return undefined;
}
