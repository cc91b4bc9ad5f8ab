// Finds the repo around a directory without running git: the hook does this on every tool call. Lookups that do not
// depend on each other run at once: in the hooks module each is a round trip to Claude Code (src/mod/mod-fs.ts).
import { dirname, isAbsolute, join, resolve } from 'node:path';
import type { FileStat, HostFs } from '../util/host-fs.js';

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
  /** A .git was found: the git dirs exist. Outside a repo they are only where one would be (never create them). */
  inRepo: boolean;
}

export type Env = Record<string, string | undefined>;

/** The constraints file in effect, with its stat; undefined when there is none. */
export interface ConstraintsFile {
  path: string;
  stat: FileStat;
}

/** The directory holding .git (a dir, or a worktree's gitdir file) at or above startDir (absolute), and that .git. */
async function findRoot(startDir: string, fs: HostFs): Promise<{ root: string; dotGit: FileStat } | undefined> {
  const dirs = [resolve(startDir)];
  for (let dir = dirs[0] as string; dirname(dir) !== dir; dir = dirname(dir)) dirs.push(dirname(dir));
  // A failure other than "nothing there" (EACCES, a host API that changed) throws: the caller fails closed.
  const stats = await Promise.all(dirs.map((dir) => fs.stat(join(dir, '.git'))));
  const found = stats.findIndex((stat) => stat !== undefined);
  return found === -1 ? undefined : { root: dirs[found] as string, dotGit: stats[found] as FileStat };
}

async function gitDirsOf(root: string, dotGit: FileStat, fs: HostFs): Promise<{ gitDir: string; commonDir: string; inRepo: boolean }> {
  let gitDir = join(root, '.git');
  // A .git directory is the git dir; a .git file (a linked worktree) names one, which may be gone.
  let inRepo = dotGit.kind === 'dir';
  if (dotGit.kind === 'file') {
    const match = /^gitdir:\s*(.+?)\s*$/m.exec((await fs.readText(gitDir)) ?? '');
    if (match?.[1]) gitDir = isAbsolute(match[1]) ? match[1] : resolve(root, match[1]);
    inRepo = (await fs.stat(gitDir))?.kind === 'dir';
  }
  // Not a linked worktree (no commondir file): the git dir is the common dir.
  const common = (await fs.readText(join(gitDir, 'commondir')))?.trim();
  return { gitDir, commonDir: common ? (isAbsolute(common) ? common : resolve(gitDir, common)) : gitDir, inRepo };
}

function projectDirFrom(env: Env, fallback: string): string {
  const fromEnv = env['CLAUDE_PROJECT_DIR'];
  return fromEnv && isAbsolute(fromEnv) ? resolve(fromEnv) : fallback;
}

/** The project dir's constraints file, else the repo root's. */
async function constraintsFileOf(projectDir: string, repoRoot: string, fs: HostFs): Promise<ConstraintsFile | undefined> {
  const candidates = [...new Set([join(projectDir, CONSTRAINTS_FILE), join(repoRoot, CONSTRAINTS_FILE)])];
  const stats = await Promise.all(candidates.map((path) => fs.stat(path)));
  const found = stats.findIndex((stat) => stat !== undefined);
  return found === -1 ? undefined : { path: candidates[found] as string, stat: stats[found] as FileStat };
}

/** The repo around startDir (absolute) and its constraints file. Outside a repo, startDir stands for the root. */
export async function findRepoAndConstraints(startDir: string, env: Env, fs: HostFs): Promise<{ paths: RepoPaths; constraints: ConstraintsFile | undefined }> {
  const found = await findRoot(startDir, fs);
  const repoRoot = found?.root ?? resolve(startDir);
  const projectDir = projectDirFrom(env, repoRoot);
  const [dirs, constraints] = await Promise.all([
    found ? gitDirsOf(found.root, found.dotGit, fs) : { gitDir: join(repoRoot, '.git'), commonDir: join(repoRoot, '.git'), inRepo: false },
    constraintsFileOf(projectDir, repoRoot, fs),
  ]);
  return { paths: { repoRoot, ...dirs, projectDir }, constraints };
}

/** Walks up from startDir (absolute) to the directory holding .git (a dir, or a worktree's gitdir file). */
export async function findRepo(startDir: string, env: Env, fs: HostFs): Promise<RepoPaths> {
  const found = await findRoot(startDir, fs);
  const repoRoot = found?.root ?? resolve(startDir);
  const dirs = found ? await gitDirsOf(found.root, found.dotGit, fs) : { gitDir: join(repoRoot, '.git'), commonDir: join(repoRoot, '.git'), inRepo: false };
  return { repoRoot, ...dirs, projectDir: projectDirFrom(env, repoRoot) };
}
