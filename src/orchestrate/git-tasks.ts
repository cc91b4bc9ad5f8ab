// Every git command the orchestrator runs, described as data: arguments, accepted exit codes and a parser.
// runGit (run-git.ts) is the one place that executes them.

export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export interface GitTask<T> {
  args: string[];
  /** `-c key=value` settings for this command only. */
  config?: string[];
  /** Exit codes that are answers rather than failures (default: 0 only). */
  okCodes?: number[];
  /** Worktrees are created through simple-git; the rest through execa (see run-git.ts). */
  engine?: 'simple-git';
  /** Written to the command's stdin. */
  input?: string;
  parse(result: GitResult): T;
}

/** Identity for fanout's own commits when the repo has none: never written to the user's config. */
export const FANOUT_IDENTITY = ['user.name=fanout', 'user.email=fanout@localhost'];

const lines = (text: string) => text.split('\n').filter((line) => line !== '');
const nulList = (text: string) => text.split('\0').filter((item) => item !== '');
const trimmed = ({ stdout }: GitResult) => stdout.trim();

export const gitTasks = {
  version: (): GitTask<[number, number, number]> => ({
    args: ['version'],
    parse: ({ stdout }) => {
      const [, major, minor, patch] = /(\d+)\.(\d+)(?:\.(\d+))?/.exec(stdout) ?? [];
      return [Number(major ?? 0), Number(minor ?? 0), Number(patch ?? 0)];
    },
  }),

  /** Top of this worktree, the common dir and this worktree's git dir, all absolute. */
  repoInfo: (): GitTask<{ repoRoot: string; commonDir: string; gitDir: string } | undefined> => ({
    args: ['rev-parse', '--path-format=absolute', '--show-toplevel', '--git-common-dir', '--git-dir'],
    okCodes: [0, 128],
    parse: (result) => {
      if (result.exitCode !== 0) return undefined;
      const [repoRoot, commonDir, gitDir] = lines(result.stdout);
      return repoRoot && commonDir && gitDir ? { repoRoot, commonDir, gitDir } : undefined;
    },
  }),

  /** The commit a revision names, or undefined when it names none. */
  resolveCommit: (rev: string): GitTask<string | undefined> => ({
    args: ['rev-parse', '--verify', '-q', `${rev}^{commit}`],
    okCodes: [0, 1, 128],
    parse: (result) => (result.exitCode === 0 ? result.stdout.trim() : undefined),
  }),

  /** refs/heads/<branch> checked out here, or undefined on a detached HEAD. */
  headRef: (): GitTask<string | undefined> => ({
    args: ['symbolic-ref', '-q', 'HEAD'],
    okCodes: [0, 1],
    parse: (result) => (result.exitCode === 0 ? result.stdout.trim() : undefined),
  }),

  /** Changed, staged and untracked (not ignored) files; untracked 'normal' lists a new directory once, as dir/. */
  status: (untracked: 'all' | 'normal' = 'all'): GitTask<Array<{ code: string; path: string }>> => ({
    args: ['status', '--porcelain=v1', '-z', `--untracked-files=${untracked}`],
    parse: ({ stdout }) => {
      const items = stdout.split('\0');
      const entries: Array<{ code: string; path: string }> = [];
      for (let i = 0; i < items.length; i++) {
        const item = items[i] ?? '';
        if (item.length < 4) continue;
        const code = item.slice(0, 2);
        entries.push({ code, path: item.slice(3) });
        // A rename or copy is followed by its source path.
        if (code[0] === 'R' || code[0] === 'C') i++;
      }
      return entries;
    },
  }),

  /** Whether commits here get an identity from config or the environment. */
  hasIdentity: (): GitTask<boolean> => ({
    args: ['var', 'GIT_COMMITTER_IDENT'],
    okCodes: [0, 1, 128],
    parse: (result) => result.exitCode === 0,
  }),

  /** Whether ancestor is reachable from descendant (a commit is its own ancestor). */
  isAncestor: (ancestor: string, descendant: string): GitTask<boolean> => ({
    args: ['merge-base', '--is-ancestor', ancestor, descendant],
    okCodes: [0, 1],
    parse: (result) => result.exitCode === 0,
  }),

  validBranchName: (name: string): GitTask<boolean> => ({
    args: ['check-ref-format', '--branch', name],
    okCodes: [0, 1, 128],
    parse: (result) => result.exitCode === 0,
  }),

  /** Creates branch at startPoint and checks it out in a new worktree at path (not --quiet: see run-git.ts). */
  addWorktreeNewBranch: (path: string, branch: string, startPoint: string): GitTask<void> => ({
    args: ['worktree', 'add', '-b', branch, path, startPoint],
    engine: 'simple-git',
    parse: () => undefined,
  }),

  /** A worktree on a detached HEAD (the integration worktree, made while the agents run, before its branch exists). */
  addWorktreeDetached: (path: string, commit: string): GitTask<void> => ({
    args: ['worktree', 'add', '--detach', path, commit],
    engine: 'simple-git',
    parse: () => undefined,
  }),

  /** Switches this worktree to a branch (its files follow). */
  switchTo: (branch: string): GitTask<void> => ({
    args: ['checkout', '--quiet', branch, '--'],
    parse: () => undefined,
  }),

  addWorktree: (path: string, branch: string): GitTask<void> => ({
    args: ['worktree', 'add', path, branch],
    engine: 'simple-git',
    parse: () => undefined,
  }),

  /** Without --force git refuses a worktree with modified or untracked files: uncommitted work is never removed. */
  removeWorktree: (path: string): GitTask<{ removed: boolean; dirty: boolean; reason: string }> => ({
    args: ['worktree', 'remove', path],
    okCodes: [0, 128],
    parse: (result) => ({
      removed: result.exitCode === 0,
      dirty: /modified or untracked files/.test(result.stderr),
      reason: result.stderr.trim().replace(/^fatal: /, ''),
    }),
  }),

  pruneWorktrees: (): GitTask<void> => ({ args: ['worktree', 'prune'], parse: () => undefined }),

  listWorktrees: (): GitTask<Array<{ path: string; head: string | undefined; branch: string | undefined }>> => ({
    args: ['worktree', 'list', '--porcelain', '-z'],
    parse: ({ stdout }) => {
      const worktrees: Array<{ path: string; head: string | undefined; branch: string | undefined }> = [];
      for (const field of stdout.split('\0')) {
        if (field.startsWith('worktree ')) worktrees.push({ path: field.slice(9), head: undefined, branch: undefined });
        const current = worktrees[worktrees.length - 1];
        if (!current) continue;
        if (field.startsWith('HEAD ')) current.head = field.slice(5);
        if (field.startsWith('branch ')) current.branch = field.slice(7);
      }
      return worktrees;
    },
  }),

  addAll: (): GitTask<void> => ({ args: ['add', '-A'], parse: () => undefined }),

  /** Hooks skipped: saving an agent's work must not depend on the repo's pre-commit checks. */
  commit: (message: string, identity: string[]): GitTask<void> => ({
    args: ['commit', '--no-verify', '--quiet', '-m', message],
    config: identity,
    parse: () => undefined,
  }),

  /** Files that differ between two commits (a rename counts as both of its paths), and which of them were deleted. */
  changedFiles: (from: string, to: string): GitTask<{ files: string[]; deleted: string[] }> => ({
    args: ['diff', '--name-status', '-z', '--no-renames', from, to, '--'],
    parse: ({ stdout }) => {
      const items = stdout.split('\0');
      const files: string[] = [];
      const deleted: string[] = [];
      for (let i = 0; i + 1 < items.length; i += 2) {
        const status = items[i] ?? '';
        const path = items[i + 1] ?? '';
        if (!status || !path) continue;
        files.push(path);
        if (status.startsWith('D')) deleted.push(path);
      }
      return { files, deleted };
    },
  }),

  /** A merge computed without touching any checkout (git >= 2.38). */
  mergeTree: (ours: string, theirs: string): GitTask<{ clean: boolean; tree: string; conflicts: string[] }> => ({
    args: ['merge-tree', '--write-tree', '-z', '--name-only', '--no-messages', ours, theirs],
    okCodes: [0, 1],
    parse: (result) => {
      const [tree = '', ...files] = result.stdout.split('\0');
      const conflicts = [...new Set(files.filter((f) => f !== ''))];
      return { clean: result.exitCode === 0, tree, conflicts };
    },
  }),

  commitTree: (tree: string, parents: string[], message: string, identity: string[]): GitTask<string> => ({
    args: ['commit-tree', tree, ...parents.flatMap((parent) => ['-p', parent]), '-m', message],
    config: identity,
    parse: trimmed,
  }),

  /** Moves ref from oldValue to newValue, atomically; an all-zero oldValue means "must not exist yet". */
  updateRef: (ref: string, newValue: string, oldValue: string, reason: string): GitTask<void> => ({
    args: ['update-ref', '-m', reason, ref, newValue, oldValue],
    parse: () => undefined,
  }),

  /** Deletes ref only if it still points at oldValue. */
  deleteRef: (ref: string, oldValue: string): GitTask<void> => ({
    args: ['update-ref', '-d', ref, oldValue],
    parse: () => undefined,
  }),

  /** Deletes several refs in one transaction, each only if it still points where it did. */
  deleteRefs: (refs: ReadonlyArray<{ ref: string; commit: string }>): GitTask<void> => ({
    args: ['update-ref', '--stdin'],
    input: refs.map(({ ref, commit }) => `delete ${ref} ${commit}\n`).join(''),
    parse: () => undefined,
  }),

  fastForward: (commit: string): GitTask<void> => ({
    args: ['merge', '--ff-only', '--quiet', commit],
    parse: () => undefined,
  }),

  /** Branches under a prefix, e.g. refs/heads/fanout/<run-id>/; with mergedInto, only those contained in that commit. */
  refsUnder: (prefix: string, mergedInto?: string): GitTask<Array<{ ref: string; commit: string }>> => ({
    args: ['for-each-ref', '--format=%(refname)%00%(objectname)', ...(mergedInto === undefined ? [] : [`--merged=${mergedInto}`]), prefix],
    parse: ({ stdout }) =>
      lines(stdout).map((line) => {
        const [ref = '', commit = ''] = line.split('\0');
        return { ref, commit };
      }),
  }),

  /** Untracked paths matching the gitignore-style patterns in patternFile (.worktreeinclude); a directory matched whole is one entry, dir/. */
  filesMatching: (patternFile: string): GitTask<string[]> => ({
    args: ['ls-files', '-z', '--others', '--ignored', '--directory', `--exclude-from=${patternFile}`],
    parse: ({ stdout }) => nulList(stdout),
  }),

  /** What the repo ignores in this checkout: ignored directories once each, as dir/ (git does not descend into them), and ignored files. */
  ignoredPaths: (): GitTask<string[]> => ({
    args: ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory'],
    parse: ({ stdout }) => nulList(stdout),
  }),

  /** A config value as a path (~ expanded), or undefined when unset. */
  configPath: (key: string): GitTask<string | undefined> => ({
    args: ['config', '--path', '--get', key],
    okCodes: [0, 1],
    parse: (result) => (result.exitCode === 0 ? result.stdout.trim() : undefined),
  }),

  /** This worktree's index treats the files as unchanged (what the setup command changed is not agent work). */
  skipWorktree: (paths: readonly string[]): GitTask<void> => ({
    args: ['update-index', '--skip-worktree', '-z', '--stdin'],
    input: paths.map((path) => `${path}\0`).join(''),
    parse: () => undefined,
  }),

  /** Whether some branch contains the commit (work on it is not lost when its worktree goes). */
  onSomeBranch: (commit: string): GitTask<boolean> => ({
    args: ['for-each-ref', '--count=1', '--format=%(refname)', `--contains=${commit}`, 'refs/heads/'],
    parse: ({ stdout }) => stdout.trim() !== '',
  }),
};

export function zeroOid(sample: string): string {
  return '0'.repeat(sample.length || 40);
}
