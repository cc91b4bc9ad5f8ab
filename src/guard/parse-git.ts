// git's command line: global options (-C, -c, --git-dir, --work-tree …), then the subcommand and its arguments.
import { pathOf } from './classify-path.js';
import type { Arg } from './resolve-word.js';

export interface GitCall {
  /** The subcommand ('' when there is none). */
  sub: string;
  /** Arguments after the subcommand. */
  rest: Arg[];
  /** `-c key=value` pairs, keys lower-cased. */
  config: Map<string, Arg>;
  /** Where git works: -C and --work-tree (or GIT_WORK_TREE) applied; undefined when unknowable. */
  cwd: string | undefined;
  /** The repository git works on, when --git-dir (or GIT_DIR) names it; undefined: found from cwd. */
  gitDir: string | undefined;
  /** Global options, as given (to re-run an alias with them). */
  globals: Arg[];
}

const GLOBAL_VALUED = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--super-prefix', '--config-env', '--list-cmds', '--attr-source']);

/** `git [globals] sub rest…`; `env` holds GIT_DIR / GIT_WORK_TREE given to the command. */
export function parseGit(args: Arg[], cwd: string | undefined, env: ReadonlyMap<string, Arg> = new Map()): GitCall {
  const config = new Map<string, Arg>();
  const globals: Arg[] = [];
  let where = cwd;
  const dirOf = (value: Arg): string | undefined => {
    const dir = pathOf(value, where);
    return dir.kind === 'exact' ? dir.abs : undefined;
  };
  const envTree = env.get('GIT_WORK_TREE');
  const envDir = env.get('GIT_DIR');
  let gitDir = envDir ? dirOf(envDir) ?? '\u0000' : undefined;
  if (envTree) where = dirOf(envTree);
  let i = 1;
  for (; i < args.length; i++) {
    const a = args[i] as Arg;
    const v = a.value;
    if (!v.startsWith('-')) break;
    globals.push(a);
    const eq = v.indexOf('=');
    const flag = v.startsWith('--') && eq !== -1 ? v.slice(0, eq) : v;
    if (!GLOBAL_VALUED.has(flag)) continue;
    const value = flag !== v ? { ...a, value: v.slice(eq + 1) } : args[++i];
    if (value === undefined) break;
    if (flag === v) globals.push(value);
    if (flag === '-C' || flag === '--work-tree') {
      where = dirOf(value);
    } else if (flag === '--git-dir') {
      gitDir = dirOf(value) ?? '\u0000';
    } else if (flag === '-c') {
      const at = value.value.indexOf('=');
      const key = (at === -1 ? value.value : value.value.slice(0, at)).toLowerCase();
      config.set(key, { ...value, value: at === -1 ? 'true' : value.value.slice(at + 1) });
    }
  }
  const sub = args[i]?.value ?? '';
  return { sub, rest: canonicalOptions(sub, args.slice(i + 1)), config, cwd: where, gitDir, globals };
}

const no = (names: string): string[] => names.split(' ').flatMap((n) => [n, `no-${n}`]);

/** The long options of the subcommands the rules read, for git's unique-prefix abbreviations (`--har` is `--hard`). */
const LONG_OPTIONS: Record<string, string[]> = {
  reset: no('quiet refresh mixed soft hard merge keep recurse-submodules patch intent-to-add pathspec-from-file pathspec-file-nul'),
  push: no('verbose quiet repo all mirror delete tags dry-run porcelain force force-with-lease force-if-includes recurse-submodules receive-pack exec set-upstream progress prune verify follow-tags signed atomic push-option ipv4 ipv6'),
  clean: no('quiet dry-run interactive exclude force'),
  branch: [...no('verbose quiet track set-upstream-to unset-upstream color remotes abbrev all delete move copy list show-current create-reflog edit-description column sort points-at ignore-case recurse-submodules format force'), 'contains', 'no-contains', 'merged', 'no-merged'],
  checkout: no('guess overlay quiet recurse-submodules progress merge conflict detach track orphan ignore-other-worktrees ours theirs patch ignore-skip-worktree-bits pathspec-from-file pathspec-file-nul force'),
  switch: no('create force-create guess discard-changes quiet recurse-submodules progress merge conflict detach track orphan ignore-other-worktrees force'),
  restore: no('source staged worktree ignore-unmerged overlay quiet recurse-submodules progress merge conflict ours theirs patch ignore-skip-worktree-bits pathspec-from-file pathspec-file-nul'),
  rm: no('dry-run quiet cached ignore-unmatch sparse pathspec-from-file pathspec-file-nul force'),
  gc: no('quiet prune cruft aggressive keep-largest-pack auto force'),
  prune: no('dry-run verbose progress expire exclude-promisor-objects'),
  'update-ref': no('deref stdin create-reflog'),
  stash: no('keep-index staged patch quiet include-untracked all message pathspec-from-file pathspec-file-nul index'),
};

/** Long options written as git's unique prefixes, spelled out; anything ambiguous or unknown is left as written. */
export function canonicalOptions(sub: string, rest: Arg[]): Arg[] {
  const known = LONG_OPTIONS[sub];
  if (!known) return rest;
  const end = rest.findIndex((a) => a.value === '--');
  return rest.map((arg, i) => {
    const m = /^--([a-z][a-z0-9-]*)(=[^]*)?$/.exec(arg.value);
    if (!m || (end !== -1 && i > end) || known.includes(m[1] as string)) return arg;
    const matches = known.filter((o) => o.startsWith(m[1] as string));
    return matches.length === 1 ? { ...arg, value: `--${matches[0]}${m[2] ?? ''}` } : arg;
  });
}
