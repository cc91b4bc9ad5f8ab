// How each command reads its options, for the flag-spelling rewrites: which short flags are booleans, which take a
// value, their long names, and whether options may follow operands. Only what these tools document is listed;
// a rewrite on a command or flag missing here does not apply (it never guesses).

export interface FlagSpec {
  /** Short boolean flags (may be clustered: -rf). */
  booleans: string;
  /** Short flags that take a value (`-o file`, `-ofile`); in a cluster only the last may take one. */
  valued: string;
  /** Short flag → long option (without --). Absent: no long form. A value with a space: one short, two longs (-D → --delete --force). */
  long: Record<string, string>;
  /** Long options that take a required value (`--opt v` and `--opt=v` both work). */
  longValued: string[];
  /** Every long option of the command, for unique abbreviations (git, GNU getopt_long); absent: never abbreviate. */
  all?: string[];
  /** GNU-style: options may follow operands. */
  permute: boolean;
  /** `--` ends the options, operands after it. */
  dashdash: boolean;
  /** `--opt=value` is accepted (curl does not). */
  equals: boolean;
}

const no = (names: string): string[] => names.split(' ').filter(Boolean).flatMap((n) => [n, `no-${n}`]);

const RM: FlagSpec = {
  booleans: 'rRfvdiI',
  valued: '',
  long: { r: 'recursive', R: 'recursive', f: 'force', v: 'verbose', d: 'dir' },
  longValued: [],
  all: ['force', 'interactive', 'one-file-system', 'no-preserve-root', 'preserve-root', 'recursive', 'dir', 'verbose', 'help', 'version'],
  permute: true,
  dashdash: true,
  equals: true,
};

export const FLAG_SPECS: Record<string, FlagSpec> = {
  rm: RM,
  rmdir: { booleans: 'pv', valued: '', long: { p: 'parents', v: 'verbose' }, longValued: [], all: ['ignore-fail-on-non-empty', 'parents', 'verbose', 'help', 'version'], permute: true, dashdash: true, equals: true },
  shred: { booleans: 'fuvxz', valued: 'ns', long: { u: 'remove', z: 'zero', f: 'force', v: 'verbose', x: 'exact', n: 'iterations', s: 'size' }, longValued: ['iterations', 'size', 'random-source'], all: ['force', 'iterations', 'random-source', 'size', 'remove', 'verbose', 'exact', 'zero', 'help', 'version'], permute: true, dashdash: true, equals: true },
  chmod: { booleans: 'Rvcf', valued: '', long: { R: 'recursive', v: 'verbose', c: 'changes', f: 'silent' }, longValued: ['reference'], all: ['changes', 'silent', 'quiet', 'verbose', 'no-preserve-root', 'preserve-root', 'reference', 'recursive', 'help', 'version'], permute: true, dashdash: true, equals: true },
  chown: { booleans: 'RvcfhHLP', valued: '', long: { R: 'recursive', v: 'verbose', c: 'changes', f: 'silent', h: 'no-dereference' }, longValued: ['reference', 'from'], permute: true, dashdash: true, equals: true },
  cp: { booleans: 'rRfavnuTiHLPdlsxb', valued: 'tS', long: { r: 'recursive', R: 'recursive', f: 'force', a: 'archive', v: 'verbose', n: 'no-clobber', T: 'no-target-directory', t: 'target-directory', S: 'suffix' }, longValued: ['target-directory', 'suffix'], permute: true, dashdash: true, equals: true },
  mv: { booleans: 'fvnuTib', valued: 'tS', long: { f: 'force', v: 'verbose', n: 'no-clobber', T: 'no-target-directory', t: 'target-directory', S: 'suffix' }, longValued: ['target-directory', 'suffix'], permute: true, dashdash: true, equals: true },
  xargs: { booleans: '0rtx', valued: 'nPLdasEI', long: { '0': 'null', r: 'no-run-if-empty', t: 'verbose', x: 'exit', n: 'max-args', P: 'max-procs', L: 'max-lines', d: 'delimiter', a: 'arg-file', s: 'max-chars' }, longValued: ['max-args', 'max-procs', 'max-lines', 'delimiter', 'arg-file', 'max-chars'], all: ['null', 'arg-file', 'delimiter', 'eof', 'replace', 'max-lines', 'max-args', 'max-procs', 'interactive', 'process-slot-var', 'no-run-if-empty', 'max-chars', 'show-limits', 'verbose', 'exit', 'open-tty', 'help', 'version'], permute: false, dashdash: false, equals: true },
  pkill: { booleans: 'fxvnoce', valued: 'uUgGPstF', long: { f: 'full', x: 'exact', v: 'inverse', n: 'newest', o: 'oldest', u: 'euid', U: 'uid', g: 'pgroup', G: 'group', P: 'parent', s: 'session', t: 'terminal' }, longValued: ['euid', 'uid', 'pgroup', 'group', 'parent', 'session', 'terminal', 'signal'], permute: true, dashdash: true, equals: true },
  killall: { booleans: 'eIgiqrvwZ', valued: 'usoy', long: { e: 'exact', I: 'ignore-case', g: 'process-group', q: 'quiet', r: 'regexp', v: 'verbose', w: 'wait', u: 'user', s: 'signal' }, longValued: ['user', 'signal', 'older-than', 'younger-than'], permute: true, dashdash: true, equals: true },
  curl: { booleans: 'sSLfOkIvi', valued: 'oXHdAeuTwFxr', long: { o: 'output', s: 'silent', S: 'show-error', L: 'location', f: 'fail', O: 'remote-name', k: 'insecure', X: 'request', H: 'header', d: 'data', v: 'verbose' }, longValued: ['output', 'request', 'header', 'data'], permute: true, dashdash: false, equals: false },
  wget: { booleans: 'qcNv', valued: 'OP', long: { O: 'output-document', q: 'quiet', P: 'directory-prefix', c: 'continue', N: 'timestamping' }, longValued: ['output-document', 'directory-prefix'], permute: true, dashdash: false, equals: true },
  sed: { booleans: 'nEsrzu', valued: 'ef', long: { n: 'quiet', E: 'regexp-extended', r: 'regexp-extended', e: 'expression', f: 'file', s: 'separate', z: 'null-data' }, longValued: ['expression', 'file'], permute: true, dashdash: false, equals: true },
  bash: { booleans: 'lcexuvs', valued: 'oO', long: {}, longValued: [], permute: false, dashdash: false, equals: true },
  psql: { booleans: 'XqtAe', valued: 'cdUhpfvPoL', long: { c: 'command', d: 'dbname', U: 'username', h: 'host', p: 'port', f: 'file', X: 'no-psqlrc', q: 'quiet', t: 'tuples-only', A: 'no-align' }, longValued: ['command', 'dbname', 'username', 'host', 'port', 'file'], permute: true, dashdash: false, equals: true },
  systemctl: { booleans: 'fiqal', valued: 'HMtnop', long: { f: 'force', i: 'ignore-inhibitors', q: 'quiet', a: 'all', l: 'full', H: 'host', M: 'machine' }, longValued: ['host', 'machine'], permute: true, dashdash: false, equals: true },
  kubectl: { booleans: 'A', valued: 'nflos', long: { n: 'namespace', A: 'all-namespaces', f: 'filename', l: 'selector', o: 'output', s: 'server' }, longValued: ['namespace', 'filename', 'selector', 'output', 'context', 'kubeconfig', 'cluster', 'user', 'server', 'token', 'as', 'as-group', 'request-timeout', 'cache-dir', 'certificate-authority', 'client-certificate', 'client-key', 'tls-server-name'], permute: true, dashdash: false, equals: true },
  rsync: { booleans: 'avzrnhucPq', valued: 'e', long: { a: 'archive', v: 'verbose', z: 'compress', r: 'recursive', n: 'dry-run', h: 'human-readable', u: 'update', c: 'checksum', q: 'quiet', e: 'rsh' }, longValued: ['rsh', 'exclude', 'include', 'backup-dir'], permute: true, dashdash: false, equals: true },
  'git push': { booleans: 'fdunvq46', valued: 'o', long: { f: 'force', d: 'delete', u: 'set-upstream', n: 'dry-run', v: 'verbose', q: 'quiet', o: 'push-option' }, longValued: ['repo', 'receive-pack', 'exec', 'push-option'], all: no('verbose quiet repo all mirror delete tags dry-run porcelain force force-with-lease force-if-includes recurse-submodules receive-pack exec set-upstream progress prune verify follow-tags signed atomic push-option ipv4 ipv6'), permute: true, dashdash: false, equals: true },
  'git clean': { booleans: 'fndxXqi', valued: 'e', long: { f: 'force', n: 'dry-run', q: 'quiet', e: 'exclude' }, longValued: ['exclude'], all: no('quiet dry-run interactive exclude force'), permute: true, dashdash: true, equals: true },
  'git branch': { booleans: 'dDfmMcCravlqti', valued: 'u', long: { d: 'delete', D: 'delete force', f: 'force', m: 'move', M: 'move force', c: 'copy', C: 'copy force', r: 'remotes', a: 'all', v: 'verbose', l: 'list', q: 'quiet', u: 'set-upstream-to', i: 'ignore-case' }, longValued: ['set-upstream-to', 'sort', 'points-at', 'format'], all: [...no('verbose quiet track set-upstream-to unset-upstream color remotes abbrev all delete move copy list show-current create-reflog edit-description column sort points-at ignore-case recurse-submodules format force'), 'contains', 'no-contains', 'merged', 'no-merged'], permute: true, dashdash: false, equals: true },
  'git reset': { booleans: 'qpN', valued: '', long: { q: 'quiet', p: 'patch', N: 'intent-to-add' }, longValued: ['pathspec-from-file'], all: no('quiet refresh mixed soft hard merge keep recurse-submodules patch intent-to-add pathspec-from-file pathspec-file-nul'), permute: true, dashdash: false, equals: true },
  'git checkout': { booleans: 'fqmpt', valued: 'bB', long: { f: 'force', q: 'quiet', m: 'merge', p: 'patch' }, longValued: ['orphan', 'conflict', 'pathspec-from-file'], all: no('guess overlay quiet recurse-submodules progress merge conflict detach track orphan ignore-other-worktrees ours theirs patch ignore-skip-worktree-bits pathspec-from-file pathspec-file-nul force'), permute: false, dashdash: false, equals: true },
  'git switch': { booleans: 'fdqtm', valued: 'cC', long: { f: 'force', d: 'detach', q: 'quiet', m: 'merge', c: 'create', C: 'force-create' }, longValued: ['create', 'force-create', 'orphan', 'conflict'], all: no('create force-create guess discard-changes quiet recurse-submodules progress merge conflict detach track orphan ignore-other-worktrees force'), permute: false, dashdash: false, equals: true },
  'git restore': { booleans: 'SWpqm', valued: 's', long: { S: 'staged', W: 'worktree', p: 'patch', q: 'quiet', m: 'merge', s: 'source' }, longValued: ['source', 'conflict', 'pathspec-from-file'], all: no('source staged worktree ignore-unmerged overlay quiet recurse-submodules progress merge conflict ours theirs patch ignore-skip-worktree-bits pathspec-from-file pathspec-file-nul'), permute: false, dashdash: false, equals: true },
  'git rm': { booleans: 'rfnq', valued: '', long: { f: 'force', n: 'dry-run', q: 'quiet' }, longValued: ['pathspec-from-file'], all: no('dry-run quiet cached ignore-unmatch sparse pathspec-from-file pathspec-file-nul force'), permute: true, dashdash: true, equals: true },
  'git commit': { booleans: 'anqvsepio', valued: 'mFCc', long: { a: 'all', n: 'no-verify', q: 'quiet', v: 'verbose', s: 'signoff', e: 'edit', p: 'patch', i: 'include', o: 'only', m: 'message', F: 'file', C: 'reuse-message', c: 'reedit-message' }, longValued: ['message', 'file', 'author', 'date', 'reuse-message', 'reedit-message', 'fixup', 'squash', 'template', 'cleanup', 'trailer'], permute: true, dashdash: true, equals: true },
  'git add': { booleans: 'AufnvpNie', valued: '', long: { A: 'all', u: 'update', f: 'force', n: 'dry-run', v: 'verbose', p: 'patch', N: 'intent-to-add', i: 'interactive', e: 'edit' }, longValued: ['chmod', 'pathspec-from-file'], permute: true, dashdash: true, equals: true },
  'git fetch': { booleans: 'pafvqPkm', valued: 'j', long: { p: 'prune', a: 'append', f: 'force', v: 'verbose', q: 'quiet', P: 'prune-tags', k: 'keep', m: 'multiple', j: 'jobs' }, longValued: ['jobs', 'depth', 'upload-pack'], permute: true, dashdash: false, equals: true },
  'git tag': { booleans: 'dfalsve', valued: 'mFu', long: { d: 'delete', f: 'force', a: 'annotate', l: 'list', s: 'sign', v: 'verify', e: 'edit', m: 'message', F: 'file', u: 'local-user' }, longValued: ['message', 'file', 'local-user', 'sort', 'format'], permute: true, dashdash: false, equals: true },
  'git clone': { booleans: 'qvnls', valued: 'bojc', long: { q: 'quiet', v: 'verbose', n: 'no-checkout', l: 'local', s: 'shared', b: 'branch', o: 'origin', j: 'jobs', c: 'config' }, longValued: ['branch', 'origin', 'jobs', 'config', 'depth', 'template', 'reference', 'upload-pack', 'separate-git-dir', 'filter'], permute: true, dashdash: false, equals: true },
};

/** Aliases: the same reader under other names. */
for (const [alias, of] of [['chgrp', 'chown'], ['sh', 'bash'], ['zsh', 'bash'], ['dash', 'bash']] as const) FLAG_SPECS[alias] = FLAG_SPECS[of] as FlagSpec;

/** git's global options that take a value (as `-C dir`, `--git-dir=x` or `--git-dir x`). */
export const GIT_GLOBAL_VALUED = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--exec-path', '--super-prefix', '--config-env']);

/** Signal numbers and names that kill, pkill and killall all understand. */
export const SIGNALS: Record<string, string> = { '1': 'HUP', '2': 'INT', '3': 'QUIT', '9': 'KILL', '15': 'TERM' };
