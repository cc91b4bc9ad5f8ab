// Every file a command writes or deletes, judged against the boundary, the git dir and the locked files.
import { posix } from 'node:path';
import type { LockedPath } from '../constraints/schema.js';
import { globToRegExp, matchGlob } from '../util/glob.js';
import type { RuleContext, Target } from './rule-context.js';
import { classifyAbs, repoRelative, underHome, type PathClass, type PathInfo } from './classify-path.js';
import type { Severity } from './types.js';

export type { Target } from './rule-context.js';

/** What judging targets needs of an analysis. */
export interface TargetJudge {
  readonly targets: readonly Target[];
  readonly constraints: RuleContext['constraints'];
  readonly context: RuleContext['context'];
  add: RuleContext['add'];
  /** Whether this rule already reported this command (a second finding would be dropped). */
  reported(ruleId: string, segment: string): boolean;
  uncertain(): void;
}

/** Adds a finding, building its message only when it is new (100,000 targets of one command share one finding). */
function say(an: TargetJudge, ruleId: string, severity: Severity, message: () => string, segment: string): void {
  if (!an.reported(ruleId, segment)) an.add(ruleId, severity, message(), segment);
}

/** Directories that hold only generated files: deleting them is ordinary work. */
export const BUILD_DIRS = new Set([
  'node_modules', 'dist', 'build', 'out', '.next', '.nuxt', '.svelte-kit', '.output', 'target', 'coverage', '.nyc_output',
  '.cache', '.turbo', '.parcel-cache', '__pycache__', '.pytest_cache', '.mypy_cache', '.ruff_cache', '.tox', '.venv', 'venv',
  '.gradle', 'tmp', '.tmp', 'temp', '.angular', '.expo', 'storybook-static', '.vercel', '.docusaurus', '.eslintcache', 'obj',
  '.terraform', '.serverless', 'dist-types', 'lib-cov', '.vite', 'logs', '.webpack', '.sass-cache', 'htmlcov', '.hypothesis',
]);

const HOME_CACHES = /^(?:\.cache|\.npm|\.yarn\/cache|\.yarn\/berry\/cache|\.pnpm-store|\.local\/share\/pnpm|\.cargo\/registry|\.cargo\/git|\.gradle\/caches|\.m2\/repository|Library\/Caches|\.bun\/install\/cache|go\/pkg\/mod|\.nuget\/packages|\.composer\/cache|\.pub-cache|\.deno|\.node-gyp|\.electron|\.cypress|\.ivy2\/cache|\.sbt|\.rustup\/tmp|\.expo|\.gem|\.cocoapods)(?:\/|$)/;

const TEMPLATE = /\.(?:example|sample|template|dist|default|defaults|tmpl|tpl)$/i;

function lockRule(rel: string): string {
  return /^\.env/i.test(posix.basename(rel)) ? 'write-env-file' : 'locked-file';
}

const LEVEL: Record<LockedPath['level'], Severity> = { block: 'deny', ask: 'ask', warn: 'warn' };

/** .env files stay protected even when a constraints file's `locked` list leaves them out. */
const ENV_FLOOR: LockedPath = {
  path: '.env*',
  level: 'block',
  reason: 'holds secrets; fanout protects .env files even when the constraints file does not list them (add a lock for it at level warn to allow changes)',
};
// Case-insensitive: on macOS and Windows file systems `.ENV` is the same file as `.env`.
const ENV_FILE = /^\.env(?:\.[^/]+)?$/i;
const ENV_TEMPLATE = /\.(?:example|sample|template|dist|defaults?|tmpl|tpl)$/i;

export function lockFor(rel: string, locked: LockedPath[]): LockedPath | undefined {
  const lock = locked.find((l) => matchGlob(l.path, rel) && !(l.except ?? []).some((except) => matchGlob(except, rel)));
  if (lock) return lock;
  const base = posix.basename(rel);
  if (!ENV_FILE.test(base) || ENV_TEMPLATE.test(base)) return undefined;
  // Named in some lock's `except`: the user allowed it on purpose.
  if (locked.some((l) => (l.except ?? []).some((except) => matchGlob(except, rel)))) return undefined;
  return ENV_FLOOR;
}

function judgeLocked(an: TargetJudge, t: Target, abs: string): void {
  const rel = repoRelative(abs, an.context);
  if (rel === undefined) return;
  const lock = lockFor(rel, an.constraints.locked);
  if (!lock) return;
  const verb = t.op === 'delete' ? 'deletes' : 'writes';
  if (lock.level === 'block' && t.copyFrom && t.copyFrom.length > 0) {
    const base = posix.basename(rel);
    const fromTemplate = t.copyFrom.every((src) => {
      if (src.kind !== 'exact') return false;
      const name = posix.basename(src.abs);
      const srcRel = repoRelative(src.abs, an.context);
      const srcLock = srcRel === undefined ? undefined : lockFor(srcRel, an.constraints.locked);
      return (name.startsWith(`${base}.`) || TEMPLATE.test(name)) && srcLock?.level !== 'block';
    });
    if (fromTemplate) {
      say(an, lockRule(rel), 'ask', () => `${t.via} seeds ${rel} from a template; ${rel} is locked (${lock.reason}), so a human should confirm before it is created or overwritten.`, t.segment);
      return;
    }
  }
  const severity = LEVEL[lock.level];
  const tail =
    lock.level === 'block'
      ? 'fanout blocks changes to it; ask a human to edit it, or change the template (e.g. .env.example) instead.'
      : lock.level === 'ask'
        ? 'a human should confirm this change.'
        : 'the change is allowed and reported.';
  say(an, lockRule(rel), severity, () => `this ${verb} ${rel}, which is locked (${lock.reason}); ${tail}`, t.segment);
}

/** Names that stand for each lock when a pattern (a glob, find's -name) may match it: `.env*` may delete `.env`. */
const ENV_NAMES = ['.env', '.env.local', '.env.production', '.env.development'];
const candidatesCache = new WeakMap<LockedPath[], string[]>();
function lockCandidates(locked: LockedPath[]): string[] {
  const cached = candidatesCache.get(locked);
  if (cached) return cached;
  const names = new Set(ENV_NAMES);
  for (const lock of locked) {
    const path = lock.path.replace(/^\.?\//, '');
    // One instance of the glob: `**/` → nothing, `*` → a word, `?` → a letter, `{a,b}` → a, `[ab]` → a.
    names.add(path.replace(/\*\*\//g, '').replace(/\*\*/g, 'x').replace(/\*/g, 'local').replace(/\?/g, 'x').replace(/\{([^,}]*)[^}]*\}/g, '$1').replace(/\[!?([^\]])[^\]]*\]/g, '$1'));
  }
  const list = [...names];
  candidatesCache.set(locked, list);
  return list;
}

/**
 * `*` and `?` matched without building a regular expression (a 1 MB command can hold 100,000 distinct patterns);
 * `[…]` and `{…}` go through the glob module. Names here are short, so backtracking to the last `*` stays cheap.
 */
function globMatch(pattern: string, name: string, ignoreCase = false): boolean {
  if (/[[{\\]/.test(pattern)) return new RegExp(globToRegExp(pattern).source, ignoreCase ? 'i' : '').test(name);
  const p = ignoreCase ? pattern.toLowerCase() : pattern;
  const s = ignoreCase ? name.toLowerCase() : name;
  let i = 0;
  let j = 0;
  let star = -1;
  let mark = 0;
  while (j < s.length) {
    if (i < p.length && (p[i] === '?' || p[i] === s[j]) && p[i] !== '*') {
      i++;
      j++;
    } else if (i < p.length && p[i] === '*') {
      star = i++;
      mark = j;
    } else if (star !== -1) {
      i = star + 1;
      j = ++mark;
    } else {
      return false;
    }
  }
  while (i < p.length && p[i] === '*') i++;
  return i === p.length;
}

/** Does one segment of a shell glob match a name? Bash's `*`, `?` and `[…]` never match a leading dot. */
function segmentMatches(pattern: string, name: string): boolean {
  if (name.startsWith('.') && !pattern.startsWith('.')) return false;
  return globMatch(pattern, name);
}

/** A pattern made only of wildcards (`*`, `**`, `?*`) says nothing about which files it names. */
const ONLY_WILDCARDS = /^[*?]*$/;
/** find expressions with more name tests than this: the rest is taken as matching anything. */
const MAX_FILTERS = 1024;

/**
 * A target that names files by a pattern (`rm -f .env*`, `find . -name '.env*' -delete`, `find … -exec rm {} +`)
 * touches every locked file the pattern can match: judged on one instance of each lock below the target's base.
 */
function judgeLockedWithin(an: TargetJudge, t: Target, base: string, rest: string): void {
  const relBase = base === an.context.repoRoot ? '' : repoRelative(base, an.context);
  if (relBase === undefined) return;
  let filters: string[] | undefined;
  let pattern: string[] | undefined;
  if (t.filters) {
    filters = t.filters.length > MAX_FILTERS ? ['*'] : t.filters.filter((f) => !ONLY_WILDCARDS.test(f.slice(f.lastIndexOf('/') + 1)));
    if (filters.length === 0) return;
  } else {
    pattern = rest.replace(/\u0000/g, '*').replace(/\/+$/, '').split('/');
    if (ONLY_WILDCARDS.test(pattern[pattern.length - 1] ?? '')) return;
  }
  for (const name of lockCandidates(an.constraints.locked)) {
    const rel = name.includes('/') ? name : relBase === '' ? name : `${relBase}/${name}`;
    if (relBase !== '' && !rel.startsWith(`${relBase}/`)) continue;
    const under = relBase === '' ? rel : rel.slice(relBase.length + 1);
    let matched: boolean;
    if (filters) {
      // find's -name/-path: `*` matches a leading dot; -iname ignores case; -path is tested on its last part.
      const baseName = posix.basename(rel);
      matched = filters.some((f) => globMatch(f.slice(f.lastIndexOf('/') + 1), baseName, true) || (/\\|\.\*/.test(f) && safeRegExp(f)?.test(`./${under}`) === true));
    } else {
      const parts = under.split('/');
      const p = pattern as string[];
      matched = parts.length >= p.length && (t.recursive || parts.length === p.length) && p.every((seg, i) => segmentMatches(seg, parts[i] as string));
    }
    if (!matched) continue;
    const lock = lockFor(rel, an.constraints.locked);
    if (!lock || lock.level === 'warn') continue;
    const verb = t.op === 'delete' ? 'deletes' : 'writes';
    const tail = lock.level === 'block' ? 'fanout blocks changes to it; name the files you mean, leaving it out.' : 'a human should confirm this change.';
    const shown = t.filters ? ` (matching ${t.filters.slice(0, 3).join(', ')}${t.filters.length > 3 ? ', …' : ''})` : '';
    say(an, lockRule(rel), LEVEL[lock.level], () => `${t.via} ${t.path.display}${shown} also ${verb} ${rel} if it exists, which is locked (${lock.reason}); ${tail}`, t.segment);
    if (lock.level === 'block') return;
  }
}

function safeRegExp(source: string): RegExp | undefined {
  if (source.length > 200) return undefined;
  try {
    return new RegExp(`^(?:${source})$`);
  } catch {
    return undefined;
  }
}

function judgeWriteTriggers(an: TargetJudge, t: Target, abs: string): void {
  const rel = repoRelative(abs, an.context);
  if (rel === undefined || t.op !== 'write') return;
  for (const trigger of an.constraints.stopTriggers) {
    if (trigger.write !== undefined && matchGlob(trigger.write, rel)) {
      say(an, trigger.id, 'ask', () => `${rel} matches the stop trigger '${trigger.id}' (${trigger.write})${trigger.reason ? `: ${trigger.reason}` : ''}; a human should confirm this change.`, t.segment);
    } else if (trigger.id === 'create-migration' && trigger.command === undefined && trigger.write === undefined && isMigrationPath(rel)) {
      say(an, 'create-migration', 'ask', () => `this creates or changes the migration ${rel}; ${trigger.reason ?? 'schema migrations need a human to review them'}. Ask a human to confirm.`, t.segment);
    }
  }
}

export function isMigrationPath(rel: string): boolean {
  return /(?:^|\/)(?:migrations|migration)\//.test(rel) || /(?:^|\/)db\/migrate\//.test(rel);
}

function deleteClass(an: TargetJudge, t: Target, cls: PathClass, abs: string, within: { rest: string } | undefined): void {
  const shown = t.path.display;
  const boundary = an.constraints.boundary;
  switch (cls) {
    case 'root':
    case 'ancestor':
      say(an, 'rm-outside-repo', 'deny', () => `${t.via} ${shown} reaches ${within ? `everything under ${abs}` : abs}, which contains the whole project (and more); fanout never deletes outside ${boundary}. Delete specific paths inside the repo instead.`, t.segment);
      return;
    case 'repo-root':
      if (!within) {
        say(an, 'rm-repo-root', 'deny', () => `${t.via} ${shown} deletes the repository itself (${abs}), with all uncommitted work and its .git; delete the specific files or build directories instead.`, t.segment);
        return;
      }
      if (t.filters) {
        if (t.filters.some((f) => globToRegExp(f).test('.git'))) {
          say(an, 'rm-git-dir', 'deny', () => `${t.via} ${shown} matches .git and would delete the repository's history; narrow the pattern so it cannot match .git.`, t.segment);
        }
        return;
      }
      if (within.rest.startsWith('.') && t.recursive && globToRegExp(within.rest.split('/')[0] ?? '').test('.git')) {
        say(an, 'rm-git-dir', 'deny', () => `${t.via} ${shown} matches .git at the top of the repo and would delete its history; name the dotfiles to delete explicitly.`, t.segment);
        return;
      }
      if (/^(?:\*|\*\*|\*\/?\*?)\/?$/.test(within.rest)) {
        say(an, 'rm-repo-top-level', 'ask', () => `${t.via} ${shown} deletes everything at the top of the repository; a human should confirm. Delete the specific files or build directories instead.`, t.segment);
      }
      return;
    case 'git': {
      if (!t.recursive && !within && t.op === 'delete' && /\.lock$/.test(abs)) return;
      say(an, 'rm-git-dir', 'deny', () => `${t.via} ${shown} deletes inside the git directory (${abs}) and can destroy history; use git commands (git gc, git branch -d, git worktree prune) instead.`, t.segment);
      return;
    }
    case 'inside': {
      if (within || t.filters || !t.recursive) return;
      const rel = posix.relative(boundary, abs);
      // A name like package-lock.json or README.md is a file: rm -rf of it deletes one file, nothing more to confirm.
      if (!rel.includes('/') && !BUILD_DIRS.has(rel) && t.via !== 'mv source' && !looksLikeFile(rel, t.arg.value)) {
        say(an, 'rm-repo-top-level', 'ask', () => `${t.via} ${shown} recursively deletes ${rel} at the top of the project, with everything under it; a human should confirm (build output like dist/ or node_modules/ is fine to delete).`, t.segment);
      }
      return;
    }
    case 'temp':
    case 'dev-null':
      return;
    case 'temp-root':
      if (within) return;
      say(an, 'rm-outside-repo', 'deny', () => `${t.via} ${shown} deletes the temp root ${abs} itself, which every program on the machine shares; delete a subdirectory of it instead.`, t.segment);
      return;
    case 'disk':
      say(an, 'disk-write', 'deny', () => `${t.via} ${shown} targets the block device ${abs}; fanout never lets an agent touch disks.`, t.segment);
      return;
    case 'outside': {
      const home = underHome(abs, an.context);
      if (home !== undefined && HOME_CACHES.test(home)) {
        say(an, 'rm-home-cache', 'ask', () => `${t.via} ${shown} deletes a cache in your home directory (${abs}), outside the project; a human should confirm. Prefer the tool's own command (npm cache clean, pip cache purge, cargo clean).`, t.segment);
        return;
      }
      say(an, 'rm-outside-repo', 'deny', () => `${t.via} ${shown} deletes ${within ? `paths under ${abs}` : abs}, outside the project (${boundary}); fanout never deletes outside it. Work inside the repo, or under /tmp.`, t.segment);
      return;
    }
  }
}

/** Files named like files (an extension, or a well-known file name), unless written with a trailing slash. */
const FILE_NAMES = /^(?:Makefile|GNUmakefile|Dockerfile|Containerfile|LICENSE|LICENCE|COPYING|README|CHANGELOG|AUTHORS|NOTICE|Gemfile|Procfile|Rakefile|Jenkinsfile|Vagrantfile|Brewfile|Pipfile|Justfile|Taskfile|CODEOWNERS)$/;
function looksLikeFile(name: string, written: string): boolean {
  if (written.endsWith('/')) return false;
  return FILE_NAMES.test(name) || /^[^.][^/]*\.(?:[A-Za-z][A-Za-z0-9]{0,9}|[a-z]+\d)$/.test(name);
}

/** Writing these stops the machine: /proc/sysrq-trigger (o: power off, b: reboot, c: crash), /sys/power/state (suspend). */
const MACHINE_SWITCHES = new Set(['/proc/sysrq-trigger', '/sys/power/state', '/sys/power/disk']);

function writeClass(an: TargetJudge, t: Target, cls: PathClass, abs: string, within: boolean): void {
  const shown = t.path.display;
  const boundary = an.constraints.boundary;
  if (MACHINE_SWITCHES.has(abs)) {
    say(an, 'system-shutdown', 'deny', () => `${t.via} ${shown} writes ${abs}, which reboots, powers off or suspends the machine at once. Never do that from an agent; ask a human.`, t.segment);
    return;
  }
  switch (cls) {
    case 'git':
      say(an, 'write-git-dir', 'deny', () => `${t.via} ${shown} writes inside the git directory (${abs}); changing .git by hand can corrupt the repository. Use git commands (git config, git update-index) instead.`, t.segment);
      return;
    case 'disk':
      say(an, 'disk-write', 'deny', () => `${t.via} ${shown} writes to the block device ${abs}; that destroys the disk's data. fanout never lets an agent touch disks.`, t.segment);
      return;
    case 'repo-root':
      if (within && t.filters?.some((f) => globToRegExp(f).test('.git'))) {
        say(an, 'write-git-dir', 'deny', () => `${t.via} ${shown} rewrites every matching file under the repository, the ones in .git included, which corrupts it; add -name '…' or -not -path './.git/*' so .git is left alone.`, t.segment);
      }
      return;
    case 'root':
    case 'ancestor':
    case 'outside':
      say(an, 'write-outside-repo', 'deny', () => `${t.via} ${shown} writes ${within ? `under ${abs}` : abs}, outside the project (${boundary}); write inside the repo or under /tmp instead.`, t.segment);
      return;
    default:
      return;
  }
}

/**
 * A delete of items from a list the guard knows the kind of: untracked files (git ls-files --others, git clean -n)
 * are new work git cannot bring back; tracked files lose their uncommitted changes. True when it judged the target.
 */
function judgeListed(an: TargetJudge, t: Target): boolean {
  const list = t.arg.list;
  if (!list || t.op !== 'delete') return false;
  const from = `\`${list.from.length > 80 ? `${list.from.slice(0, 77)}…` : list.from}\``;
  switch (list.source) {
    case 'untracked':
      say(an, 'git-clean', 'deny', () => `${t.via} deletes the untracked files ${from} lists: new work that was never committed, which git cannot bring back (what \`git clean -f\` does). Look at the list, then delete specific files by name, or commit first.`, t.segment);
      return true;
    case 'ignored':
      say(an, 'git-clean-ignored', 'ask', () => `${t.via} deletes the ignored files ${from} lists (build output, but also .env files and local configs that exist nowhere else); a human should confirm. Delete the build directories by name.`, t.segment);
      return true;
    case 'tracked':
      // Some tracked files (a pathspec, a grep) are ordinary deletions inside the repo, as `rm src/x.ts` is.
      if (list.filters) return false;
      say(an, 'git-rm-force', 'deny', () => `${t.via} deletes every tracked file ${from} lists, with their uncommitted changes. Commit or \`git stash\` first; to stop tracking files but keep them, use \`git rm -r --cached\`.`, t.segment);
      return true;
    default:
      return false;
  }
}

export function judgeTargets(an: TargetJudge): void {
  for (const listed of an.targets) {
    if (judgeListed(an, listed)) continue;
    // Items found by find (`find . -name '*.log' | xargs rm`) match find's name patterns.
    const t = listed.arg.list?.source === 'found' && listed.filters === undefined && listed.arg.list.filters ? { ...listed, filters: listed.arg.list.filters } : listed;
    const path = t.path;
    if (path.kind === 'unknown') {
      an.uncertain();
      if (t.op !== 'delete' || !t.recursive) continue;
      if (path.relative && !/^(?:\.{1,2}(?:\/|$)|\*|\.\/\*)/.test(path.display)) continue;
      say(an, 'rm-unknown-target', 'ask', () => `${t.via} ${path.display} recursively deletes a path that is unknown until the command runs (an empty variable can turn it into / or ~); use a literal path, or \${VAR:?} so an empty value fails.`, t.segment);
      continue;
    }
    const abs = path.kind === 'exact' ? path.abs : path.base;
    const cls = classifyAbs(abs, an.constraints, an.context);
    if (t.op === 'delete') deleteClass(an, t, cls, abs, path.kind === 'within' ? path : undefined);
    else writeClass(an, t, cls, abs, path.kind === 'within');
    if (path.kind === 'within' && (cls === 'inside' || cls === 'repo-root')) judgeLockedWithin(an, t, path.base, path.rest);
    if (path.kind === 'exact' && (cls === 'inside' || cls === 'repo-root')) {
      judgeLocked(an, t, abs);
      judgeWriteTriggers(an, t, abs);
    }
  }
}

/** Judges one file path written or deleted by a tool (Write, Edit, MCP …), as a shell write would be. */
export function fileTarget(abs: string, op: 'write' | 'delete', via: string): Target {
  return { op, arg: { text: abs, value: abs, globAt: -1, taint: undefined }, path: { kind: 'exact', abs, display: abs }, recursive: false, segment: abs, via };
}
