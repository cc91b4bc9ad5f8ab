// git: commands that destroy uncommitted work or rewrite/destroy history, after global options and inline aliases.
import { classifyAbs, pathOf } from './classify-path.js';
import { hasLong, hasShort, longValue, operands } from './flags.js';
import { xargsItems } from './list-items.js';
import { canonicalOptions, parseGit, type GitCall } from './parse-git.js';
import type { Invocation, RuleContext, RuleModule } from './rule-context.js';
import { cloneState, literalArg, UNKNOWN, type Arg, type ShellState } from './resolve-word.js';

/** Config keys whose value git runs as a shell command. */
const COMMAND_KEYS = /^(?:core\.(?:pager|editor|sshcommand|fsmonitor|askpass)|sequence\.editor|pager\.[\w.-]+|diff\.external|diff\.[\w.-]+\.(?:command|textconv)|merge\.[\w.-]+\.driver|filter\.[\w.-]+\.(?:clean|smudge|process)|credential\.helper|gpg\.program|gpg\.\w+\.program|uploadpack\.packobjectshook|core\.gitproxy)$/;

type GitRule = (git: GitCall, inv: Invocation, an: RuleContext) => void;

function deny(an: RuleContext, inv: Invocation, ruleId: string, message: string): void {
  an.add(ruleId, 'deny', message, inv.segment);
}

const isTemp = (abs: string, an: RuleContext): boolean => ['temp', 'temp-root'].includes(classifyAbs(abs, an.constraints, an.context));

/** Destroying local work is harmless in a scratch repo under a temp root (its work tree and, if named, its git dir). */
function scratch(git: GitCall, an: RuleContext): boolean {
  if (git.cwd === undefined || !isTemp(git.cwd, an)) return false;
  return git.gitDir === undefined || isTemp(git.gitDir, an);
}

const looksLikePath = (v: string): boolean => v === '.' || v === '..' || /^\.{1,2}\//.test(v) || /[*?[]/.test(v) || /\.[A-Za-z][A-Za-z0-9]*$/.test(v) || v.endsWith('/');

const reset: GitRule = (git, inv, an) => {
  // --merge also throws away staged changes (and the files holding them), so it is --hard for work that was added.
  // Without a commit it is how a merge is aborted (\`git merge --abort\` runs it), and is left alone.
  const mode = hasLong(git.rest, '--hard') ? '--hard' : hasLong(git.rest, '--merge') && operands(git.rest, ['--pathspec-from-file']).some((a) => a.value !== 'HEAD') ? '--merge' : undefined;
  if (!mode || scratch(git, an)) return;
  deny(an, inv, 'git-reset-hard', `git reset ${mode} destroys uncommitted changes in the working tree and index${mode === '--merge' ? ' (staged ones)' : ''}, with no way back. Commit or \`git stash\` first, or use \`git reset --soft\`/\`--keep\`, which refuse to lose work.`);
};

const checkout: GitRule = (git, inv, an) => {
  if (scratch(git, an)) return;
  const rest = git.rest;
  const dashes = rest.findIndex((a) => a.value === '--');
  const force = hasShort(rest, 'f', ['-b', '-B']) || hasLong(rest, '--force');
  const creates = rest.some((a) => a.value === '-b' || a.value === '-B' || a.value === '--orphan' || /^-[bB]./.test(a.value));
  const ops = operands(dashes === -1 ? rest : rest.slice(0, dashes), ['-b', '-B', '--orphan', '--conflict', '-t', '--track']);
  const paths = dashes === -1 ? [] : rest.slice(dashes + 1);
  let discards: string | undefined;
  if (force) discards = 'git checkout -f throws away local changes when it switches';
  else if (paths.length > 0 || hasLong(rest, '--pathspec-from-file')) discards = `git checkout -- ${(paths[0]?.value ?? '<paths>')} overwrites those files with the committed version, destroying their uncommitted changes`;
  else if (!creates && ops.length >= 2) discards = `git checkout ${ops[0]?.value ?? ''} ${ops[1]?.value ?? ''} overwrites the named files with another version, destroying their uncommitted changes`;
  else if (!creates && ops.length === 1 && looksLikePath((ops[0] as Arg).value)) discards = `git checkout ${(ops[0] as Arg).value} overwrites ${(ops[0] as Arg).value} with the committed version, destroying uncommitted changes`;
  if (discards) deny(an, inv, 'git-checkout-discard', `${discards}. Commit or \`git stash\` first; to switch branches use \`git switch <branch>\`.`);
  else forceCreate(git, inv, an, ['-B'], ['-b', '--orphan', '--conflict', '-t', '--track']);
};

/**
 * `git checkout -B name start`, `git switch -C name start`: create the branch, or reset an existing one to start (what
 * `git branch -f` does) — judged for main/master. Without a start point it stays where HEAD is, how a branch is created.
 */
function forceCreate(git: GitCall, inv: Invocation, an: RuleContext, flags: string[], valued: string[]): void {
  const rest = git.rest;
  const dashes = rest.findIndex((a) => a.value === '--');
  const head = dashes === -1 ? rest : rest.slice(0, dashes);
  const at = head.findIndex((a) => flags.includes(a.value) || flags.some((f) => f.length === 2 && a.value.startsWith(f) && a.value.length > 2 && !a.value.startsWith('--')));
  if (at === -1 || scratch(git, an)) return;
  const flag = head[at] as Arg;
  const attached = flag.value.length > 2 && !flag.value.startsWith('--') ? flag.value.slice(2) : undefined;
  const name = attached ?? head[at + 1]?.value;
  const start = operands(head.slice(at + (attached === undefined ? 2 : 1)), valued)[0];
  // A feature branch re-created from its remote (`git checkout -B release origin/release`) is everyday work; moving
  // main/master by force is not.
  if (name === undefined || start === undefined || !PROTECTED.has(name)) return;
  deny(an, inv, 'git-branch-force-move', `git ${git.sub} ${flag.value.slice(0, 2) === '--' ? flag.value : flag.value.slice(0, 2)} ${name} ${start.value} resets the branch ${name} to ${start.value} if it already exists; the commits only it pointed to are lost from the branch. Use \`git ${git.sub === 'switch' ? 'switch -c' : 'checkout -b'}\` for a new branch, or merge; ask a human before moving a branch by force.`);
}

const restore: GitRule = (git, inv, an) => {
  const rest = git.rest;
  const staged = hasShort(rest, 'S', ['-s']) || hasLong(rest, '--staged');
  const worktree = hasShort(rest, 'W', ['-s']) || hasLong(rest, '--worktree');
  if ((staged && !worktree) || scratch(git, an)) return;
  const ops = operands(rest, ['-s', '--source']);
  if (ops.length === 0 && !hasLong(rest, '--pathspec-from-file')) return;
  deny(an, inv, 'git-restore-worktree', `git restore ${ops.map((o) => o.value).join(' ')} overwrites working-tree files with the committed version, destroying their uncommitted changes. Commit or \`git stash\` first; \`git restore --staged\` only unstages and is fine.`);
};

const clean: GitRule = (git, inv, an) => {
  const rest = git.rest;
  if (hasShort(rest, 'n', ['-e']) || hasLong(rest, '--dry-run') || scratch(git, an)) return;
  const force = hasShort(rest, 'f', ['-e']) || hasLong(rest, '--force');
  if (!force) return;
  if (hasShort(rest, 'X', ['-e']) && !hasShort(rest, 'x', ['-e'])) {
    an.add('git-clean-ignored', 'ask', 'git clean -X deletes every ignored file (build output, but also .env files and local configs that exist nowhere else); a human should confirm. Run `git clean -nX` to see the list, or delete the build directories by name.', inv.segment);
    return;
  }
  deny(an, inv, 'git-clean', 'git clean -f deletes untracked files for good: new work that was never committed. Run `git clean -n` to see what it would delete, then commit or delete specific files.');
};

const stash: GitRule = (git, inv, an) => {
  const sub = git.rest.find((a) => !a.value.startsWith('-'))?.value;
  if ((sub === 'drop' || sub === 'clear') && !scratch(git, an)) {
    deny(an, inv, 'git-stash-drop', `git stash ${sub} deletes stashed work, which has no other copy. Keep the stash, or apply it first (\`git stash pop\`) and commit what you need.`);
  }
};

const worktree: GitRule = (git, inv, an) => {
  const sub = git.rest[0]?.value;
  const rest = git.rest.slice(1);
  if (sub === 'remove' && (hasShort(rest, 'f') || hasLong(rest, '--force'))) {
    deny(an, inv, 'git-worktree-remove-force', 'git worktree remove --force deletes a worktree even when it holds uncommitted changes. Commit or stash in that worktree first, then run `git worktree remove` without --force.');
  }
};

const switchBranch: GitRule = (git, inv, an) => {
  const rest = git.rest;
  if ((hasLong(rest, '--discard-changes', '--force') || hasShort(rest, 'f', ['-c', '-C'])) && !scratch(git, an)) {
    deny(an, inv, 'git-switch-discard', 'git switch --discard-changes/-f throws away uncommitted changes. Commit or `git stash` first, then switch.');
    return;
  }
  forceCreate(git, inv, an, ['-C', '--force-create'], ['-c', '--create', '--orphan', '--conflict', '-t', '--track']);
};

const PROTECTED = new Set(['main', 'master']);
const branchOf = (ref: string): string => ref.replace(/^refs\/heads\//, '');

const PUSH_VALUED = ['--repo', '--receive-pack', '--exec', '-o', '--push-option'];

const push: GitRule = (git, inv, an) => {
  const rest = git.rest;
  const ops = operands(rest, PUSH_VALUED);
  const remote = ops[0];
  const refspecs = ops.slice(1);
  if (remote && /^(?:\/|\.\.?\/|file:\/\/)/.test(remote.value)) {
    const path = pathOf(literalArg(remote.value.replace(/^file:\/\//, '')), git.cwd);
    if (path.kind === 'exact' && ['temp', 'temp-root'].includes(classifyAbs(path.abs, an.constraints, an.context))) return;
  }
  // --dry-run (-n) only shows what would be pushed.
  if (hasShort(rest, 'n', ['-o']) || hasLong(rest, '--dry-run')) return;
  const force = hasShort(rest, 'f', ['-o']) || hasLong(rest, '--force');
  const plus = refspecs.find((r) => r.value.startsWith('+'));
  if (hasLong(rest, '--mirror')) {
    deny(an, inv, 'git-push-force', 'git push --mirror overwrites every ref on the remote and deletes the ones that do not exist locally. Push the branches you mean by name.');
    return;
  }
  if (force || plus) {
    deny(an, inv, 'git-push-force', `${plus ? `the refspec '${plus.value}' force-pushes` : 'git push --force'}: it overwrites the remote branch and destroys commits others may have pushed. Push normally; if the branch really must be rewritten, ask a human, and prefer --force-with-lease on your own feature branch.`);
    return;
  }
  const dsts = refspecs.map((r) => branchOf(r.value.includes(':') ? r.value.slice(r.value.lastIndexOf(':') + 1) : r.value));
  const deleting = hasShort(rest, 'd', ['-o']) || hasLong(rest, '--delete');
  const deleted = [...(deleting ? dsts : []), ...refspecs.filter((r) => r.value.startsWith(':')).map((r) => branchOf(r.value.slice(1)))];
  const mainDeleted = deleted.find((b) => PROTECTED.has(b));
  if (mainDeleted) {
    deny(an, inv, 'git-push-delete-main', `this deletes the remote ${mainDeleted} branch, the project's history for everyone. Never delete main/master remotely; delete feature branches by name instead.`);
    return;
  }
  const remoteDeleted = deleted.filter((b) => b !== '');
  if (remoteDeleted.length > 0 || (deleting && refspecs.length === 0)) {
    const which = remoteDeleted.length > 0 ? remoteDeleted.join(', ') : 'a branch';
    an.add('git-push-delete-branch', 'ask', `this deletes the branch ${which} on the remote${remote ? ` ${remote.value}` : ''}, for everyone who uses it, and commits only it holds may be lost; a human should confirm.`, inv.segment);
  }
  if (hasLong(rest, '--force-with-lease', '--force-if-includes')) {
    const lease = longValue(rest, '--force-with-lease');
    const leased = lease?.includes(':') ? branchOf(lease.slice(0, lease.indexOf(':'))) : lease;
    const targets = [...dsts.filter((d) => d !== 'HEAD' && d !== ''), ...(leased ? [leased] : [])];
    const main = targets.find((b) => PROTECTED.has(b));
    if (main) {
      deny(an, inv, 'git-push-force', `--force-with-lease to ${main} rewrites the shared main branch; never force-push main/master. Push a new branch and open a pull request instead.`);
      return;
    }
    const onto = targets.length > 0 ? targets.join(', ') : 'the current branch (fanout cannot tell which)';
    an.add('git-push-force-with-lease', 'ask', `git push --force-with-lease rewrites ${onto} on the remote; a human should confirm the branch is yours alone. A normal push needs no confirmation.`, inv.segment);
    return;
  }
  if (hasLong(rest, '--prune')) {
    an.add('git-push-prune', 'ask', 'git push --prune deletes every remote branch that does not exist locally; a human should confirm. Delete remote branches by name with `git push origin --delete <branch>`.', inv.segment);
  }
};

const branch: GitRule = (git, inv, an) => {
  const rest = git.rest;
  const forceDelete =
    hasShort(rest, 'D') || ((hasShort(rest, 'd') || hasLong(rest, '--delete')) && (hasShort(rest, 'f') || hasLong(rest, '--force')));
  if (forceDelete && !scratch(git, an)) {
    deny(an, inv, 'git-branch-force-delete', 'git branch -D deletes a branch even when its commits are merged nowhere, losing them. Use `git branch -d`, which refuses to delete unmerged work; merge or push the branch first.');
    return;
  }
  // `git branch -f name [start]`: resets an existing branch to another commit; commits only it held are lost.
  const force = hasShort(rest, 'f', ['-u', '-t']) || hasLong(rest, '--force');
  const other = hasShort(rest, 'd') || hasShort(rest, 'm') || hasShort(rest, 'M') || hasShort(rest, 'c') || hasShort(rest, 'C') || hasLong(rest, '--delete', '--move', '--copy', '--list', '--edit-description', '--set-upstream-to', '--unset-upstream') || hasShort(rest, 'l');
  const name = operands(rest, ['-u', '--set-upstream-to', '--sort', '--points-at', '--format', '--contains', '--no-contains', '--merged', '--no-merged'])[0];
  if (force && !other && name && !scratch(git, an)) {
    deny(an, inv, 'git-branch-force-move', `git branch --force ${name.value} moves an existing branch ${name.value} to another commit; the commits only it pointed to are lost from the branch. Create a new branch instead, or merge; ask a human before moving a branch by force.`);
  }
};

const updateRef: GitRule = (git, inv, an) => {
  if (scratch(git, an)) return;
  if (hasShort(git.rest, 'd') || hasLong(git.rest, '--delete')) {
    deny(an, inv, 'git-update-ref-delete', 'git update-ref -d deletes a ref directly, bypassing the checks `git branch -d`/`git tag -d` make; commits only it pointed to are lost. Use `git branch -d` or `git tag -d`.');
    return;
  }
  // `git update-ref refs/heads/main <commit>`: moves a branch by force, as `git branch -f` does.
  const [ref, value] = operands(git.rest, ['-m']);
  // Only main/master: writing a new backup ref (`git update-ref refs/heads/backup HEAD`) is how backups are made.
  if (ref && value && /^refs\/heads\//.test(ref.value) && PROTECTED.has(branchOf(ref.value)) && !hasLong(git.rest, '--stdin')) {
    deny(an, inv, 'git-branch-force-move', `git update-ref ${ref.value} ${value.value} moves the branch ${branchOf(ref.value)} by force; the commits only it pointed to are lost from the branch. Create a new branch instead, or merge; ask a human before moving a branch by force.`);
  }
};

const reflog: GitRule = (git, inv, an) => {
  const sub = git.rest.find((a) => !a.value.startsWith('-'))?.value;
  if ((sub === 'expire' || sub === 'delete') && !scratch(git, an)) {
    deny(an, inv, 'git-reflog-expire', `git reflog ${sub} erases the record that lets lost commits be recovered. Leave the reflog alone; git expires it on its own.`);
  }
};

const filterBranch: GitRule = (_git, inv, an) => {
  deny(an, inv, 'git-filter-branch', 'git filter-branch rewrites the whole history of the repository. A history rewrite is a human decision: ask first, and work on a fresh clone.');
};

const filterRepo: GitRule = (_git, inv, an) => {
  deny(an, inv, 'git-filter-repo', 'git filter-repo rewrites the whole history of the repository. A history rewrite is a human decision: ask first, and work on a fresh clone.');
};

const gc: GitRule = (git, inv, an) => {
  const prune = git.sub === 'prune' ? !(hasShort(git.rest, 'n') || hasLong(git.rest, '--dry-run')) : /^(?:now|all)$/.test(longValue(git.rest, '--prune') ?? '');
  if (prune && !scratch(git, an)) {
    an.add('git-gc-prune', 'ask', `git ${git.sub} ${git.sub === 'gc' ? '--prune=now ' : ''}deletes unreachable objects at once, the last copy of dropped stashes and deleted branches; a human should confirm. Plain \`git gc\` keeps them for two weeks.`, inv.segment);
  }
};

const clone: GitRule = (git, inv, an) => {
  const ops = operands(git.rest, ['-o', '--origin', '-b', '--branch', '-u', '--upload-pack', '--reference', '--reference-if-able', '--separate-git-dir', '--depth', '--shallow-since', '--shallow-exclude', '-c', '--config', '--filter', '-j', '--jobs', '--template', '--bundle-uri', '--server-option']);
  const dest = ops[1];
  if (!dest) return;
  const state: ShellState = { ...cloneState(inv.state), cwd: git.cwd };
  an.target({ op: 'write', arg: dest, path: an.path(dest, { ...inv, state }), recursive: false, segment: inv.segment, via: 'git clone into' });
};

/** Aliases this command line defined with `git config alias.<name> …` (they run when `git <name>` is called later in it). */
function gitAliases(an: RuleContext): Map<string, Arg> {
  return an.memory('git-aliases', () => new Map<string, Arg>());
}

/** `git config alias.x '!…'` / `git config core.pager …`: the value is stored to run later, so judge it now. */
const config: GitRule = (git, inv, an) => {
  const rest = git.rest;
  if (hasLong(rest, '--unset', '--unset-all')) {
    const key = operands(rest, ['-f', '--file', '--blob'])[0]?.value.toLowerCase();
    if (key?.startsWith('alias.')) gitAliases(an).delete(key.slice(6));
    return;
  }
  if (hasLong(rest, '--get', '--get-all', '--get-regexp', '--get-urlmatch', '--list', '--remove-section', '--rename-section', '--edit') || hasShort(rest, 'l') || hasShort(rest, 'e')) return;
  let ops = operands(rest, ['-f', '--file', '--blob', '-t', '--type', '--default', '--comment', '--value']);
  if (['set', 'get', 'list', 'unset', 'edit', 'rename-section', 'remove-section'].includes(ops[0]?.value ?? '')) {
    if (ops[0]?.value !== 'set') return;
    ops = ops.slice(1);
  }
  const aliases = gitAliases(an);
  const [key, value] = ops;
  if (!key || !value) return;
  const name = key.value.toLowerCase();
  // `git config alias.x 'reset --hard'; git x`: the alias is stored now and runs when called later in this command.
  if (name.startsWith('alias.')) aliases.set(name.slice(6), value);
  if (name.startsWith('alias.') && value.value.startsWith('!')) an.runShellString({ ...value, value: value.value.slice(1) }, [], inv);
  else if (COMMAND_KEYS.test(name)) an.runShellString(value.value.startsWith('!') ? { ...value, value: value.value.slice(1) } : value, [], inv);
};

/** git rm -f deletes working-tree files even when they hold uncommitted changes (without -f git refuses to). */
const rm: GitRule = (git, inv, an) => {
  const rest = git.rest;
  if (hasLong(rest, '--cached', '--dry-run') || hasShort(rest, 'n') || !(hasShort(rest, 'f') || hasLong(rest, '--force')) || scratch(git, an)) return;
  const recursive = hasShort(rest, 'r');
  for (const spec of [...operands(rest, ['--pathspec-from-file']), ...xargsItems(inv, an)]) {
    const whole = /^:\/?\*?$/.test(spec.value) ? { kind: 'exact' as const, abs: an.context.repoRoot } : pathOf(spec, git.cwd);
    const everything = (whole.kind === 'exact' && whole.abs === an.context.repoRoot) || (whole.kind === 'within' && whole.base === an.context.repoRoot && /^\*\/?$/.test(whole.rest));
    if (everything && recursive) {
      deny(an, inv, 'git-rm-force', `git rm -rf ${spec.value} deletes every tracked file from the working tree, and -f throws away their uncommitted changes. Commit or \`git stash\` first; to stop tracking files but keep them, use \`git rm -r --cached\`.`);
      continue;
    }
    const state: ShellState = { ...cloneState(inv.state), cwd: git.cwd };
    an.target({ op: 'delete', arg: spec, path: an.path(spec, { ...inv, state }), recursive, segment: inv.segment, via: 'git rm -f' });
    an.add('git-rm-force', 'ask', `git rm -f ${spec.value} deletes tracked files from the working tree, and -f throws away the uncommitted changes they hold; a human should confirm. Commit or \`git stash\` first; \`git rm\` without -f refuses to lose changes, and \`git rm --cached\` only stops tracking.`, inv.segment);
  }
};

/** `git read-tree -u --reset`, `git checkout-index -f -a`: plumbing that overwrites the working tree. */
const readTree: GitRule = (git, inv, an) => {
  const rest = git.rest;
  if (scratch(git, an)) return;
  if (git.sub === 'read-tree' && hasShort(rest, 'u') && (hasLong(rest, '--reset') || hasShort(rest, 'm'))) {
    deny(an, inv, 'git-reset-hard', 'git read-tree -u --reset overwrites the working tree with another tree, destroying uncommitted changes (what git reset --hard does). Commit or `git stash` first.');
  } else if (git.sub === 'checkout-index' && (hasShort(rest, 'f') || hasLong(rest, '--force')) && (hasShort(rest, 'a') || hasLong(rest, '--all') || operands(rest, ['--prefix', '--stage']).length > 0)) {
    deny(an, inv, 'git-checkout-discard', 'git checkout-index -f overwrites working-tree files with the staged version, destroying their uncommitted changes. Commit or `git stash` first.');
  }
};

/** `git submodule foreach '<cmd>'`: the command runs in every submodule (directories this command cannot name). */
const submodule: GitRule = (git, inv, an) => {
  const rest = git.rest.filter((a) => a.value !== '--quiet' && a.value !== '-q');
  if (rest[0]?.value !== 'foreach') return;
  const words = rest.slice(1).filter((a, i) => !(i === 0 && a.value === '--recursive'));
  if (words.length === 0) return;
  const code = { text: words.map((w) => w.text).join(' '), value: words.map((w) => w.value).join(' '), globAt: -1, taint: words.find((w) => w.taint)?.taint };
  an.runShellString(code, [], { ...inv, state: { ...cloneState(inv.state), cwd: undefined } });
};

/** Environment variables whose value git runs as a shell command (`GIT_SSH_COMMAND='…' git fetch`). */
const COMMAND_ENV = ['GIT_SSH_COMMAND', 'GIT_EDITOR', 'GIT_SEQUENCE_EDITOR', 'GIT_PAGER', 'GIT_EXTERNAL_DIFF', 'GIT_ASKPASS', 'GIT_PROXY_COMMAND', 'PAGER', 'EDITOR', 'VISUAL'];

const SUBCOMMANDS = new Map<string, GitRule>([
  ['config', config],
  ['rm', rm],
  ['reset', reset],
  ['checkout', checkout],
  ['restore', restore],
  ['clean', clean],
  ['stash', stash],
  ['worktree', worktree],
  ['switch', switchBranch],
  ['push', push],
  ['branch', branch],
  ['update-ref', updateRef],
  ['reflog', reflog],
  ['filter-branch', filterBranch],
  ['filter-repo', filterRepo],
  ['gc', gc],
  ['prune', gc],
  ['clone', clone],
  ['read-tree', readTree],
  ['checkout-index', readTree],
  ['submodule', submodule],
]);

function shellQuote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

function runGit(args: Arg[], inv: Invocation, an: RuleContext, aliasDepth: number): void {
  const env = new Map(inv.assigns);
  for (const name of ['GIT_DIR', 'GIT_WORK_TREE']) if (!env.has(name) && inv.state.vars.has(name)) env.set(name, literalArg(inv.state.vars.get(name) as string));
  const git = parseGit(args, inv.state.cwd, env);
  if (aliasDepth === 0) {
    for (const name of COMMAND_ENV) {
      const value = inv.assigns.get(name) ?? (inv.state.vars.has(name) ? literalArg(inv.state.vars.get(name) as string) : undefined);
      if (value && value.value !== '' && value.value !== UNKNOWN) an.runShellString(value, [], inv);
    }
  }
  for (const [key, value] of git.config) {
    if (COMMAND_KEYS.test(key)) {
      an.runShellString(value.value.startsWith('!') ? { ...value, value: value.value.slice(1) } : value, [], inv);
    }
  }
  const alias = git.config.get(`alias.${git.sub.toLowerCase()}`) ?? (SUBCOMMANDS.has(git.sub) ? undefined : gitAliases(an).get(git.sub.toLowerCase()));
  if (alias && aliasDepth < 5) {
    if (alias.value.startsWith('!')) {
      // A shell alias runs from the top of the work tree.
      const code = `${alias.value.slice(1)} ${git.rest.map((a) => shellQuote(a.value)).join(' ')}`;
      const top = git.cwd !== undefined && (git.cwd === an.context.repoRoot || git.cwd.startsWith(`${an.context.repoRoot}/`)) ? an.context.repoRoot : git.cwd;
      // A plain command (`!git ls-files -o`) is what runs, for whoever reads this git's output.
      if (/^[\w ./=:,@%+-]+$/.test(code.trim())) inv.runs = code.trim().split(/\s+/).map((w) => literalArg(w));
      an.runShellString({ ...alias, value: code.trim() }, [], { ...inv, state: { ...cloneState(inv.state), cwd: top } });
    } else {
      const words = alias.value.split(/\s+/).filter(Boolean).map((w) => ({ ...alias, value: w }));
      const expanded = [args[0] as Arg, ...git.globals, ...words, ...git.rest];
      inv.runs = expanded;
      runGit(expanded, inv, an, aliasDepth + 1);
    }
    return;
  }
  const rule = SUBCOMMANDS.get(git.sub);
  if (!rule) {
    if (git.sub.includes(UNKNOWN)) unknownSubcommand(git, inv, an);
    return;
  }
  const state = git.cwd === inv.state.cwd ? inv : { ...inv, state: { ...inv.state, cwd: git.cwd } };
  rule(git, state, an);
}

/**
 * Subcommands whose destructive forms are named by their options (`--hard`, `-D`, `-f`), and whose rules only add
 * findings: tried on a subcommand only known at run time. (checkout and restore destroy work through operands, which
 * any subcommand has.)
 */
const PROBED = ['reset', 'clean', 'branch', 'push', 'switch'];

/**
 * `git $SUB --hard`: the subcommand is only known when the command runs. The policy decides: if the options given
 * would destroy work or history with some subcommand, deny, and say what could not be known.
 */
function unknownSubcommand(git: GitCall, inv: Invocation, an: RuleContext): void {
  if (!git.rest.some((a) => a.value.startsWith('-') && a.value !== '--')) return;
  for (const sub of PROBED) {
    const found: string[] = [];
    const probe = Object.create(an, { add: { value: (id: string, severity: string) => (severity === 'deny' ? found.push(id) : 0) } }) as RuleContext;
    (SUBCOMMANDS.get(sub) as GitRule)({ ...git, sub, rest: canonicalOptions(sub, git.rest) }, inv, probe);
    if (found.length > 0) {
      deny(an, inv, 'unknown-command-name', `the git subcommand ${git.sub.replace(/\u0000/g, '…')} is only known when the command runs, and with the options given it could be \`git ${sub} ${git.rest.map((a) => a.value).join(' ')}\` (${found[0]}); fanout blocks an unknown git subcommand with destructive options. Write the subcommand literally so it can be checked.`);
      return;
    }
  }
}

export function ruleGit(inv: Invocation, an: RuleContext): void {
  // `echo --hard | xargs git reset`: xargs appends what it reads, options included, to git's own arguments.
  const xargs = inv.unwrapped.xargs;
  if (xargs && !xargs.consumed && xargs.replace === undefined) {
    const items = xargsItems(inv, an);
    if (items.length > 0) {
      runGit([...inv.args, ...items], { ...inv, unwrapped: { ...inv.unwrapped, xargs: { ...xargs, consumed: true } } }, an, 0);
      return;
    }
  }
  runGit(inv.args, inv, an, 0);
}

/** The git-filter-repo script called directly. */
export function ruleGitFilterRepo(inv: Invocation, an: RuleContext): void {
  if (inv.args.some((a) => a.value === '--help' || a.value === '--analyze')) return;
  filterRepo(parseGit([literalArg('git'), literalArg('filter-repo')], inv.state.cwd), inv, an);
}

export const gitRules: RuleModule[] = [
  { name: 'git', commands: ['git'], check: ruleGit },
  { name: 'git-filter-repo', commands: ['git-filter-repo'], check: ruleGitFilterRepo },
];
