// Commands that delete, write or re-permission files: their targets become Targets for judgeTargets.
import { classifyAbs, fileKey } from './classify-path.js';
import { hasLong, hasShort, operands, shortValue, longValue } from './flags.js';
import { below, xargsItems } from './list-items.js';
import type { Invocation, RuleContext, RuleModule, Target } from './rule-context.js';
import { literalArg, type Arg } from './resolve-word.js';
import { printedContent } from './stdin-content.js';

function del(an: RuleContext, inv: Invocation, args: Arg[], recursive: boolean, via: string): void {
  for (const arg of args) an.target({ op: 'delete', arg, path: an.path(arg, inv), recursive, segment: inv.segment, via });
}

function write(an: RuleContext, inv: Invocation, args: Arg[], via: string, copyFrom?: Arg[]): void {
  for (const arg of args) {
    const target: Target = { op: 'write', arg, path: an.path(arg, inv), recursive: false, segment: inv.segment, via };
    if (copyFrom) target.copyFrom = copyFrom.map((a) => an.path(a, inv));
    an.target(target);
  }
}

export function ruleRm(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  const recursive = inv.name === 'rm' ? hasShort(rest, 'r') || hasShort(rest, 'R') || hasLong(rest, '--recursive') : true;
  const targets = [...operands(rest), ...xargsItems(inv, an)];
  del(an, inv, targets, recursive, inv.name === 'rm' ? (recursive ? 'rm -r' : 'rm') : inv.name);
}

export function ruleUnlink(inv: Invocation, an: RuleContext): void {
  del(an, inv, [...operands(inv.args.slice(1)), ...xargsItems(inv, an)], false, inv.name);
}

export function ruleShred(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  const files = [...operands(rest, ['-n', '-s', '--iterations', '--size', '--random-source']), ...xargsItems(inv, an)];
  const removes = hasShort(rest, 'u', ['-n', '-s']) || hasLong(rest, '--remove');
  for (const arg of files) {
    if (removes) del(an, inv, [arg], false, 'shred -u');
    else write(an, inv, [arg], 'shred');
  }
}

/** find … -delete / -exec rm …: deletes below each start path. */
export function ruleFind(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  const firstExpr = rest.findIndex((a) => /^[-(!]/.test(a.value) && !/^-[HLP]$/.test(a.value));
  const roots = (firstExpr === -1 ? rest : rest.slice(0, firstExpr)).filter((a) => !/^-[HLP]$/.test(a.value));
  const starts = roots.length > 0 ? roots : [literalArg('.')];
  const expr = firstExpr === -1 ? [] : rest.slice(firstExpr);
  const filters: string[] = [];
  let filtered = false;
  for (let i = 0; i < expr.length; i++) {
    const v = (expr[i] as Arg).value;
    if (/^-(?:i?name|i?path|i?wholename|i?regex|type|mtime|mmin|atime|amin|ctime|cmin|newer|size|empty|user|group|perm|links|inum|samefile)$/.test(v)) {
      filtered = true;
      if (/name|path/.test(v)) filters.push(expr[i + 1]?.value ?? '*');
    }
  }
  // -type/-mtime/-size … narrow by kind or age, not by name: everything (.git included) can still match. -empty is
  // the exception that matters in practice (`find . -type d -empty -delete` only removes empty directories).
  if (filtered && filters.length === 0 && !expr.some((a) => a.value === '-empty')) filters.push('*');
  const deletes = expr.some((a) => a.value === '-delete');
  const execAt = expr.findIndex((a) => a.value === '-exec' || a.value === '-execdir' || a.value === '-ok' || a.value === '-okdir');
  const within = below;
  if (deletes) {
    for (const start of starts) {
      if (filtered) {
        const target: Target = { op: 'delete', arg: start, path: an.path(within(start), inv), recursive: true, segment: inv.segment, via: 'find -delete', filters };
        an.target(target);
      } else {
        del(an, inv, [start], true, 'find -delete');
      }
    }
  }
  if (execAt !== -1) {
    const end = expr.findIndex((a, k) => k > execAt && (a.value === ';' || a.value === '+'));
    const command = expr.slice(execAt + 1, end === -1 ? undefined : end);
    for (const start of starts) {
      const placeholder = filtered ? within(start) : start;
      const argv = command.map((a) => (a.value === '{}' || a.value.includes('{}') ? { ...placeholder, text: a.text, value: a.value === '{}' ? placeholder.value : a.value.replace('{}', placeholder.value) } : a));
      const { targets } = an.capture(() => an.invoke(argv, { state: inv.state, depth: inv.depth + 1, segment: inv.segment, background: false, stdin: undefined }));
      const startPath = an.path(start, inv);
      for (const t of targets) {
        if (filtered) t.filters = filters;
        // `find . -type f -exec sed -i … {} +`-style writes reach every file below the start, .git's included.
        else if (t.op === 'write' && t.path.kind === 'exact' && startPath.kind === 'exact' && t.path.abs === startPath.abs) {
          t.path = an.path(within(start), inv);
          t.filters = ['*'];
        }
        an.target(t);
      }
    }
  }
}

/** `.`, `..`, `~`, the working directory, the project root: a destination that is a directory whatever the disk holds. */
function surelyDirectory(dest: Arg, path: ReturnType<RuleContext['path']>, inv: Invocation, an: RuleContext): boolean {
  if (/(^|\/)\.{1,2}$/.test(dest.value)) return true;
  if (path.kind !== 'exact') return false;
  return path.abs === an.context.home || path.abs === an.context.repoRoot || path.abs === (inv.state.cwd ?? an.context.cwd);
}

export function ruleCopy(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  const valued = ['-t', '--target-directory', '-S', '--suffix', '-m', '--mode', '-o', '--owner', '-g', '--group', '--backup'];
  const targetDir = shortValue(rest, '-t') ?? (longValue(rest, '--target-directory') !== undefined ? literalArg(longValue(rest, '--target-directory') as string) : undefined);
  const ops = operands(rest, valued);
  const items = [...ops, ...xargsItems(inv, an).filter(() => !inv.unwrapped.xargs?.replace)];
  let sources: Arg[];
  let dest: Arg | undefined;
  if (targetDir) {
    sources = items;
    dest = targetDir;
  } else {
    dest = items.length >= 2 ? items[items.length - 1] : undefined;
    sources = items.slice(0, -1);
  }
  const via = inv.name;
  if (dest) {
    const destPath = an.path(dest, inv);
    // Copying into a directory writes <dir>/<basename of each source>.
    if (targetDir || sources.length > 1 || dest.value.endsWith('/') || surelyDirectory(dest, destPath, inv, an)) {
      if (destPath.kind === 'exact') {
        for (const src of sources) {
          const name = src.value.replace(/\/+$/, '').split('/').pop() ?? '';
          write(an, inv, [{ ...dest, value: `${destPath.abs}/${name}` }], via, [src]);
        }
        if (sources.length === 0) write(an, inv, [dest], via);
      } else {
        write(an, inv, [dest], via, sources);
      }
    } else {
      write(an, inv, [dest], via, inv.name === 'mv' ? undefined : sources);
    }
  }
  if (inv.name === 'mv') del(an, inv, sources, true, 'mv source');
}

export function ruleLink(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  const ops = operands(rest, ['-t', '--target-directory', '-S', '--suffix']);
  const dir = shortValue(rest, '-t');
  if (dir) return write(an, inv, [dir], 'ln');
  if (ops.length >= 2) write(an, inv, [ops[ops.length - 1] as Arg], 'ln', ops.slice(0, -1));
}

export function ruleTouchLike(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  const valued = inv.name === 'truncate' ? ['-s', '--size', '-r', '--reference'] : inv.name === 'touch' ? ['-d', '-t', '-r', '--date', '--reference'] : [];
  let files = operands(rest, valued);
  if (inv.name === 'tee') {
    files = files.filter((a) => a.value !== '-');
    const content = printedContent(inv);
    const append = hasShort(rest, 'a') || hasLong(rest, '--append');
    for (const file of files) {
      const key = fileKey(an.path(file, inv));
      if (key !== undefined) an.remember(key, content, append);
    }
  }
  write(an, inv, [...files, ...(inv.unwrapped.xargs ? xargsItems(inv, an) : [])], inv.name);
}

export function ruleSedInPlace(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  const inPlace = inv.name === 'sed' ? rest.some((a) => /^-[a-zA-Z]*i/.test(a.value) && !a.value.startsWith('--')) || hasLong(rest, '--in-place') : rest.some((a) => /^-[a-zA-Z]*i/.test(a.value) && !a.value.startsWith('--'));
  if (!inPlace) return;
  const hasScriptFlag = rest.some((a) => a.value === '-e' || a.value === '-f' || a.value === '--expression' || a.value === '--file' || (inv.name === 'perl' && /^-[a-zA-Z]*[eE]$/.test(a.value)));
  let files = operands(rest, ['-e', '-f', '--expression', '--file', '-l', '-E', '-M', '-I']);
  if (inv.name === 'perl') {
    files = [];
    let skip = false;
    for (const a of rest) {
      if (skip) {
        skip = false;
        continue;
      }
      if (/^-[a-zA-Z]*[eE]$/.test(a.value)) skip = true;
      else if (!a.value.startsWith('-')) files.push(a);
    }
  } else if (!hasScriptFlag) files = files.slice(1);
  write(an, inv, [...files, ...xargsItems(inv, an)], `${inv.name} -i`);
}

export function ruleDd(inv: Invocation, an: RuleContext): void {
  for (const a of inv.args.slice(1)) {
    if (a.value.startsWith('of=')) write(an, inv, [{ ...a, value: a.value.slice(3), globAt: -1 }], 'dd of=');
  }
}

/** A download written to a file: judged as a write, and remembered as network content in case this command runs it. */
function downloaded(an: RuleContext, inv: Invocation, out: Arg, via: string): void {
  write(an, inv, [out], via);
  const key = fileKey(an.path(out, inv));
  if (key !== undefined) an.remember(key, { text: '', taint: 'network' }, false);
}

export function ruleDownload(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  if (inv.name === 'curl') {
    const out = shortValue(rest, '-o') ?? (longValue(rest, '--output') !== undefined ? literalArg(longValue(rest, '--output') as string) : undefined);
    if (out && out.value !== '-') downloaded(an, inv, out, 'curl -o');
  } else if (inv.name === 'wget') {
    const out = shortValue(rest, '-O') ?? (longValue(rest, '--output-document') !== undefined ? literalArg(longValue(rest, '--output-document') as string) : undefined);
    if (out && out.value !== '-') downloaded(an, inv, out, 'wget -O');
    const dir = shortValue(rest, '-P') ?? (longValue(rest, '--directory-prefix') !== undefined ? literalArg(longValue(rest, '--directory-prefix') as string) : undefined);
    if (dir) write(an, inv, [{ ...dir, value: `${dir.value.replace(/\/$/, '')}/*`, globAt: dir.value.replace(/\/$/, '').length + 1 }], 'wget -P');
  }
}

export function ruleRsync(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  const ops = operands(rest, ['-e', '--rsh', '--exclude', '--include', '--filter', '-f', '--exclude-from', '--include-from', '--files-from', '--backup-dir', '--suffix', '--chmod', '--chown', '-B', '--block-size', '--log-file', '--rsync-path', '--temp-dir', '-T', '--partial-dir', '--compare-dest', '--copy-dest', '--link-dest', '--port', '--password-file']);
  const dest = ops[ops.length - 1];
  if (!dest || ops.length < 2 || /^[^/]*:/.test(dest.value)) return;
  const deletes = rest.some((a) => a.value.startsWith('--delete') || a.value === '--remove-source-files');
  write(an, inv, [dest], deletes ? 'rsync --delete' : 'rsync', ops.slice(0, -1));
  if (deletes) del(an, inv, [{ ...dest, value: `${dest.value.replace(/\/+$/, '') || '/'}/*`, globAt: (dest.value.replace(/\/+$/, '') || '/').length + 1 }], true, 'rsync --delete');
}

export function ruleArchive(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  if (inv.name === 'tar') {
    const first = rest[0]?.value ?? '';
    const mode = /^-?[a-zA-Z]+$/.test(first) && !first.startsWith('--') ? first : '';
    const extract = /x/.test(mode) || hasLong(rest, '--extract', '--get') || rest.some((a) => /^-[a-zA-Z]*x/.test(a.value));
    const create = /[cru]/.test(mode.replace(/^-/, '')) || hasLong(rest, '--create', '--append', '--update');
    const dir = shortValue(rest, '-C') ?? (longValue(rest, '--directory') !== undefined ? literalArg(longValue(rest, '--directory') as string) : undefined);
    if (extract) {
      const base = dir ?? literalArg('.');
      write(an, inv, [{ ...base, value: `${base.value.replace(/\/+$/, '') || '/'}/*`, globAt: (base.value.replace(/\/+$/, '') || '/').length + 1 }], 'tar -x');
    } else if (create) {
      const fileIdx = rest.findIndex((a) => /^-?[a-zA-Z]*f$/.test(a.value) && !a.value.startsWith('--'));
      const file = fileIdx === -1 ? (longValue(rest, '--file') !== undefined ? literalArg(longValue(rest, '--file') as string) : undefined) : rest[fileIdx + 1];
      if (file && file.value !== '-') write(an, inv, [file], 'tar -c');
    }
  } else if (inv.name === 'unzip') {
    const dir = shortValue(rest, '-d') ?? literalArg('.');
    if (rest.some((a) => a.value === '-l' || a.value === '-t' || a.value === '-p' || a.value === '-Z')) return;
    write(an, inv, [{ ...dir, value: `${dir.value.replace(/\/+$/, '') || '/'}/*`, globAt: (dir.value.replace(/\/+$/, '') || '/').length + 1 }], 'unzip');
  }
}

/** chmod / chown / chgrp outside the project break permissions the agent has no business with. */
export function rulePermissions(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  const reference = rest.some((a) => a.value.startsWith('--reference'));
  const acl = inv.name === 'setfacl';
  // setfacl's ACL spec is the value of -m/-x/--set …, so every operand is a file.
  const ops = operands(rest, acl ? ['-m', '-M', '-x', '-X', '--set', '--set-file', '--modify', '--modify-file', '--remove', '--remove-file'] : ['--reference']);
  const files = reference || acl ? ops : ops.slice(1);
  const rule = inv.name === 'chmod' || acl ? 'chmod-outside-repo' : 'chown-outside-repo';
  const recursive = hasShort(rest, 'R') || hasLong(rest, '--recursive');
  for (const arg of [...files, ...xargsItems(inv, an)]) {
    const path = an.path(arg, inv);
    if (path.kind === 'unknown') {
      if (recursive && !path.relative) an.add(rule, 'ask', `${inv.name} -R on ${path.display}, a path unknown until the command runs; use a literal path inside the project.`, inv.segment);
      continue;
    }
    const abs = path.kind === 'exact' ? path.abs : path.base;
    const cls = classifyAbs(abs, an.constraints, an.context);
    if (cls === 'root' || cls === 'ancestor' || cls === 'outside' || cls === 'disk' || cls === 'temp-root') {
      an.add(rule, 'deny', `${inv.name} on ${path.display} (${abs}) changes permissions outside the project (${an.constraints.boundary}); that can lock you out of your own files or open them to everyone. Change permissions only inside the repo.`, inv.segment);
    } else if (cls === 'git' && inv.name === 'chmod' && recursive) {
      an.add('write-git-dir', 'deny', `${inv.name} -R inside the git directory (${abs}) can corrupt the repository; leave .git's permissions alone.`, inv.segment);
    }
  }
}

export const fileRules: RuleModule[] = [
  { name: 'rm', commands: ['rm', 'rimraf', 'del-cli'], check: ruleRm },
  { name: 'unlink', commands: ['rmdir', 'unlink'], check: ruleUnlink },
  { name: 'shred', commands: ['shred'], check: ruleShred },
  { name: 'find', commands: ['find'], check: ruleFind },
  { name: 'copy', commands: ['cp', 'mv', 'install'], check: ruleCopy },
  { name: 'link', commands: ['ln'], check: ruleLink },
  { name: 'touch', commands: ['touch', 'truncate', 'tee'], check: ruleTouchLike },
  { name: 'sed-in-place', commands: ['sed', 'perl'], check: ruleSedInPlace },
  { name: 'dd', commands: ['dd'], check: ruleDd },
  { name: 'download', commands: ['curl', 'wget'], check: ruleDownload },
  { name: 'rsync', commands: ['rsync'], check: ruleRsync },
  { name: 'archive', commands: ['tar', 'unzip'], check: ruleArchive },
  { name: 'permissions', commands: ['chmod', 'chown', 'chgrp', 'setfacl'], check: rulePermissions },
];
