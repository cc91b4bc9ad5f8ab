// The items a command reads as a list (xargs, while read, GNU parallel, mapfile): literal when the producer shows
// them (echo, printf, a heredoc, a file written earlier), else what the guard knows about them (entries below a
// find's start points, the untracked files git lists, every process ps lists), else unknown.
import { hasLong, hasShort, operands } from './flags.js';
import { parseGit } from './parse-git.js';
import type { Invocation, RuleContext, Stdin } from './rule-context.js';
import { literalArg, UNKNOWN, type Arg, type ListOrigin, type Taint } from './resolve-word.js';
import { pipeContent, printedContent } from './stdin-content.js';

/** A path standing for "some entries below dir" (find matches, xargs items from find). */
export function below(dir: Arg): Arg {
  const base = dir.value.replace(/\/+$/, '') || '/';
  return { ...dir, value: `${base === '/' ? '' : base}/${UNKNOWN}`, globAt: -1 };
}

/** Items judged one by one; past the cap the rest stands as one unknown item (a recursive delete of it asks). */
export const MAX_LIST_ITEMS = 4096;

function capItems(items: Arg[]): Arg[] {
  return items.length <= MAX_LIST_ITEMS ? items : [...items.slice(0, MAX_LIST_ITEMS), { text: '(more items)', value: UNKNOWN, globAt: -1, taint: items[0]?.taint }];
}

const FIND_NAME_TESTS = /^-(?:i?name|i?path|i?wholename|i?regex)$/;
const FIND_NARROWING = /^-(?:i?name|i?path|i?wholename|i?regex|type|mtime|mmin|atime|amin|ctime|cmin|newer|size|empty|user|group|perm|links|inum|samefile)$/;

/** A find command's start points and the name patterns every match has (`*` when it can match anything, .git included). */
export function findSelection(find: Invocation): { roots: Arg[]; filters: string[] | undefined; filtered: boolean; empty: boolean } {
  const rest = find.args.slice(1);
  const firstExpr = rest.findIndex((a) => /^[-(!]/.test(a.value) && !/^-[HLP]$/.test(a.value));
  const roots = (firstExpr === -1 ? rest : rest.slice(0, firstExpr)).filter((a) => !/^-[HLP]$/.test(a.value));
  const expr = firstExpr === -1 ? [] : rest.slice(firstExpr);
  const filters: string[] = [];
  let filtered = false;
  for (let i = 0; i < expr.length; i++) {
    const v = (expr[i] as Arg).value;
    if (!FIND_NARROWING.test(v)) continue;
    filtered = true;
    if (FIND_NAME_TESTS.test(v)) filters.push(expr[i + 1]?.value ?? '*');
  }
  const empty = expr.some((a) => a.value === '-empty');
  return { roots: roots.length > 0 ? roots : [literalArg('.')], filters: filtered ? (filters.length > 0 ? filters : empty ? undefined : ['*']) : undefined, filtered, empty };
}

/** Transformations that keep every line of a list (field extraction, sorting); the rest narrow it (grep, head, awk /re/). */
function keepsAll(inv: Invocation): boolean {
  const args = inv.args.slice(1).map((a) => a.value);
  switch (inv.name) {
    case 'sort':
    case 'uniq':
    case 'cut':
    case 'tr':
    case 'cat':
    case 'tac':
    case 'xargs':
      return true;
    case 'sed':
      return !args.some((a) => /^-[a-z]*n/.test(a) || /\bd\s*$|\/d$/.test(a)) || args.includes('1d');
    case 'awk':
    case 'gawk':
    case 'mawk':
      return args.some((a) => /^\s*\{\s*print\s+\$\d+\s*\}\s*$/.test(a));
    case 'tail':
      return args.some((a) => /^\+\d+$/.test(a) || /^-n\+?\d*$/.test(a)) && args.some((a) => /^\+[12]$/.test(a) || a === '-n+2' || a === '+2');
    default:
      return false;
  }
}

const EVERYTHING = /^(?:|\.|\.\*|\.\+|\^|\$|\^\.\*\$?|\.\*\$|\^\.\+|\[\^?\]\*?)$/;

/** A pattern pgrep/pkill/killall match against process names that matches every process. */
export function matchesEveryProcess(pattern: string): boolean {
  if (EVERYTHING.test(pattern)) return true;
  if (pattern.length > 100) return false;
  try {
    const re = new RegExp(pattern);
    return ['', 'bash', 'node', 'claude', 'systemd', 'sshd', 'init', 'python3'].every((name) => re.test(name));
  } catch {
    return false;
  }
}

/** pgrep / pidof / ps: the process list they print, and whether it holds every process. */
function processList(inv: Invocation): ListOrigin | undefined {
  if (inv.name !== 'ps' && inv.name !== 'pgrep' && inv.name !== 'pidof') return undefined;
  const rest = inv.args.slice(1);
  const from = inv.args.map((a) => a.value).join(' ');
  if (inv.name === 'ps') {
    const all = rest.some((a) => /^-[a-zA-Z]*[eA]/.test(a.value) || /^[a-zA-Z]*x/.test(a.value) || /^a/.test(a.value)) && !rest.some((a) => /^-[a-zA-Z]*[pCuUgGts]$/.test(a.value) || a.value === '--pid');
    return { source: 'processes', from, all };
  }
  if (inv.name === 'pgrep' || inv.name === 'pidof') {
    const patterns = operands(rest, ['-u', '-U', '-g', '-G', '-P', '-s', '-t', '-F', '--euid', '--uid', '--pgroup', '--group', '--parent', '--session', '--terminal', '--pidfile', '-d', '--delimiter']);
    const inverse = hasShort(rest, 'v') || hasLong(rest, '--inverse');
    const byUser = hasShort(rest, 'u') || hasShort(rest, 'U') || hasLong(rest, '--euid', '--uid');
    const all = inv.name === 'pgrep' && (inverse || patterns.some((p) => matchesEveryProcess(p.value)) || (byUser && patterns.length === 0));
    return { source: 'processes', from, all };
  }
  return undefined;
}

const LISTERS = new Set(['git', 'find', 'fd', 'fdfind', 'ls', 'ps', 'pgrep', 'pidof']);

/** The kind of list the first stage of a pipeline prints (git ls-files --others, find, ps …), narrowed by later stages. */
export function listOrigin(producers: ReadonlyArray<Invocation | undefined>): { origin: ListOrigin; roots: Arg[] } | undefined {
  let first = producers[0];
  // `bash -c 'git ls-files -o'`, `python -c 'run(["git", "ls-files", "-o"])'`: what the one command inside lists.
  for (let i = 0; first?.child && i < 8; i++) first = first.child;
  if (!first || !LISTERS.has(first.name)) return undefined;
  const from = first.args.slice(0, 64).map((a) => a.value).join(' ');
  let found: { origin: ListOrigin; roots: Arg[] } | undefined;
  if (first.name === 'git') {
    // A git alias (`git -c alias.x='ls-files -o' x`) lists what the command it stands for lists.
    const git = parseGit(first.runs ?? first.args, first.state.cwd);
    const sub = git.sub;
    const rest = git.rest;
    const pathspec = operands(rest, ['-x', '--exclude', '-X', '--exclude-from', '--exclude-per-directory', '--with-tree', '--format', '-e']).length > 0;
    if (sub === 'ls-files') {
      const others = hasShort(rest, 'o') || hasLong(rest, '--others');
      const ignored = hasShort(rest, 'i') || hasLong(rest, '--ignored');
      // --deleted lists files already gone; --modified, --unmerged … some tracked files, not all.
      const deleted = hasShort(rest, 'd') || hasLong(rest, '--deleted');
      const some = hasShort(rest, 'm') || hasShort(rest, 'u') || hasShort(rest, 'k') || hasLong(rest, '--modified', '--unmerged', '--killed');
      if (others) found = { origin: { source: ignored ? 'ignored' : 'untracked', from }, roots: [literalArg('.')] };
      else if (!deleted) found = { origin: { source: 'tracked', from, ...(pathspec || some ? { filters: ['?'] } : {}) }, roots: [literalArg('.')] };
    } else if (sub === 'clean' && (hasShort(rest, 'n') || hasLong(rest, '--dry-run'))) {
      const ignoredOnly = hasShort(rest, 'X');
      found = { origin: { source: ignoredOnly ? 'ignored' : 'untracked', from }, roots: [literalArg('.')] };
    } else if (sub === 'status' && (hasShort(rest, 's') || hasLong(rest, '--porcelain', '--short'))) {
      found = { origin: { source: 'untracked', from }, roots: [literalArg('.')] };
    } else if (sub === 'diff' && hasLong(rest, '--name-only', '--name-status')) {
      found = { origin: { source: 'tracked', from, filters: ['?'] }, roots: [literalArg('.')] };
    }
  } else if (first.name === 'find') {
    const selection = findSelection(first);
    // No test narrows what find prints: every entry below the start points, .git's included.
    const filters = selection.filtered ? selection.filters : ['*'];
    found = { origin: { source: 'found', from, ...(filters ? { filters } : {}) }, roots: selection.roots };
  } else if (first.name === 'fd' || first.name === 'fdfind') {
    found = { origin: { source: 'found', from }, roots: [literalArg('.')] };
  } else if (first.name === 'ls') {
    // `rm -rf $(ls -d ~/*)`: entries of the listed directories (or the listed paths themselves with -d).
    const ops = operands(first.args.slice(1), ['-I', '--ignore', '-w', '--width', '--format', '--sort', '--time', '--color', '--block-size', '-T', '--tabsize', '--hide']);
    found = { origin: { source: 'found', from }, roots: ops.length > 0 ? ops : [literalArg('.')] };
  } else {
    const processes = processList(first);
    if (processes) found = { origin: processes, roots: [] };
  }
  if (!found) return undefined;
  for (const stage of producers.slice(1)) {
    if (!stage) return undefined;
    if (keepsAll(stage)) continue;
    const origin: ListOrigin = found.origin;
    // grep, head, awk /re/ …: fewer items of the same kind.
    if (origin.source === 'processes') found = { ...found, origin: { ...origin, all: false } };
    else if (origin.source === 'tracked' || origin.source === 'untracked' || origin.source === 'ignored') found = { ...found, origin: { ...origin, filters: ['?'] } };
  }
  return found;
}

/** Splits list text into items the way xargs reads them: on NUL, on a delimiter, or on blanks and newlines. */
export function splitItems(text: string, delimiter: string | undefined, taint: Taint | undefined): Arg[] {
  const parts = delimiter === undefined ? text.split(/\s+/) : text.split(delimiter);
  return capItems(parts.filter(Boolean).map((v) => ({ text: v, value: v, globAt: -1, taint })));
}

/** Text a command reads on stdin when the guard can tell: a heredoc, here-string, a file written earlier, echo/printf/cat piped in. */
export function stdinText(stdin: Stdin | undefined): { text: string; taint: Taint | undefined } | undefined {
  if (stdin?.kind === 'text') return { text: stdin.text, taint: stdin.taint };
  if (stdin?.kind !== 'pipe' || stdin.producers.length !== 1) return undefined;
  const producer = stdin.producers[0];
  if (!producer) return undefined;
  const printed = printedContent(producer);
  if (printed && !printed.taint && printed.text !== '' ) return printed;
  return undefined;
}

/**
 * `printf '%s\n' a ~ *` / `echo a b` piped in: one item per argument, as the shell expanded it (a glob stays a glob,
 * standing for the paths it matches). Undefined when the producer prints anything else.
 */
export function producerItems(stdin: Stdin | undefined): Arg[] | undefined {
  if (stdin?.kind === 'text') return stdin.items;
  const producer = stdin?.kind === 'pipe' && stdin.producers.length === 1 ? stdin.producers[0] : undefined;
  return producer ? printedItems(producer) : undefined;
}

const itemsOf = new WeakMap<Invocation, Arg[] | undefined>();

/** The arguments a printf '%s\n' / echo prints, one item each (undefined for any other command or format). */
export function printedItems(producer: Invocation): Arg[] | undefined {
  if (producer.printed) return producer.printed.items;
  if (producer.name !== 'printf' && producer.name !== 'echo') return undefined;
  if (itemsOf.has(producer)) return itemsOf.get(producer);
  const items = argumentItems(producer);
  itemsOf.set(producer, items);
  return items;
}

function argumentItems(producer: Invocation): Arg[] | undefined {
  const args = producer.args.slice(1);
  if (producer.name === 'printf') {
    const rest = args[0]?.value === '--' ? args.slice(1) : args;
    const format = rest[0];
    if (!format || !/^%s(?:\\n|\\0| |\n)$/.test(format.value)) return undefined;
    return rest.slice(1).filter((a) => a.globAt !== -1 || !/\s/.test(a.value));
  }
  if (producer.name === 'echo' && !args.some((a) => a.value.startsWith('-'))) return args.filter((a) => a.globAt !== -1 || !/\s/.test(a.value)).length === args.length ? args : undefined;
  return undefined;
}

/** The items of a list read from stdin: literal ones, or one item per start point of a known kind, or one unknown item. */
export function stdinItems(inv: Invocation, delimiter: string | undefined): Arg[] {
  const items = producerItems(inv.stdin);
  if (items?.some((a) => a.globAt !== -1)) return capItems(items);
  const text = stdinText(inv.stdin);
  if (text) return splitItems(text.text, delimiter, text.taint);
  const stdin = inv.stdin;
  if (stdin?.kind === 'pipe') {
    const list = listOrigin(stdin.producers.filter((p, i, all) => i >= all.length - 8 || i === 0));
    if (list && list.origin.source === 'processes') return [{ text: list.origin.from, value: UNKNOWN, globAt: -1, taint: undefined, list: list.origin }];
    if (list) return list.roots.map((root) => ({ ...below(root), text: list.origin.from, list: list.origin }));
    const producer = stdin.producers.length === 1 ? stdin.producers[0] : undefined;
    if (producer && (producer.name === 'ls' || producer.name === 'grep' || producer.name === 'rg')) {
      const roots = producer.name === 'ls' ? operands(producer.args.slice(1)) : [];
      return (roots.length > 0 ? roots : [literalArg('.')]).map(below);
    }
  }
  const taint = stdin?.kind === 'pipe' ? pipeContent(stdin.producers).taint : undefined;
  return [{ text: '(stdin)', value: UNKNOWN, globAt: -1, taint }];
}

/** xargs appends its input items to the command: from stdin, or from the file given with -a. */
export function xargsItems(inv: Invocation, ctx?: Pick<RuleContext, 'writtenScript'>): Arg[] {
  const xargs = inv.unwrapped.xargs;
  if (!xargs || xargs.consumed) return [];
  if (xargs.argFile) {
    const written = ctx?.writtenScript(xargs.argFile, inv);
    if (written?.producers) return stdinItems({ ...inv, stdin: { kind: 'pipe', producers: written.producers } }, xargs.delimiter);
    if (written?.items) return capItems(written.items);
    if (written) return splitItems(written.text, xargs.delimiter, written.taint);
    return [{ text: `(${xargs.argFile.value})`, value: UNKNOWN, globAt: -1, taint: undefined }];
  }
  return stdinItems(inv, xargs.delimiter);
}
