// Reading flags the way getopt does: clustered short flags (-rf), long flags (--force), flags after operands, `--`.
import type { Arg } from './resolve-word.js';

/** Arguments before `--` (flags are not read after it). */
function optionArgs(args: Arg[]): Arg[] {
  const end = args.findIndex((a) => a.value === '--');
  return end === -1 ? args : args.slice(0, end);
}

/** A short flag letter, alone or clustered: hasShort(['-rf'], 'f'). Skips options listed in `valued` (their value may contain the letter). */
export function hasShort(args: Arg[], letter: string, valued: string[] = []): boolean {
  const opts = optionArgs(args);
  for (let i = 0; i < opts.length; i++) {
    const v = (opts[i] as Arg).value;
    if (!/^-[a-zA-Z0-9]/.test(v) || v.startsWith('--')) continue;
    for (let k = 1; k < v.length; k++) {
      const c = v[k] as string;
      if (c === letter) return true;
      if (valued.includes(`-${c}`)) {
        if (k === v.length - 1) i++;
        break;
      }
    }
  }
  return false;
}

export function hasLong(args: Arg[], ...names: string[]): boolean {
  return optionArgs(args).some((a) => names.some((n) => a.value === n || a.value.startsWith(`${n}=`)));
}

export function longValue(args: Arg[], name: string): string | undefined {
  const opts = optionArgs(args);
  for (let i = 0; i < opts.length; i++) {
    const v = (opts[i] as Arg).value;
    if (v === name) return opts[i + 1]?.value;
    if (v.startsWith(`${name}=`)) return v.slice(name.length + 1);
  }
  return undefined;
}

/** The value of a short option: `-o file`, `-ofile`. */
export function shortValue(args: Arg[], flag: string): Arg | undefined {
  const opts = optionArgs(args);
  for (let i = 0; i < opts.length; i++) {
    const a = opts[i] as Arg;
    if (a.value === flag) return opts[i + 1];
    if (a.value.startsWith(flag) && !a.value.startsWith('--') && a.value.length > flag.length) return { ...a, value: a.value.slice(flag.length) };
  }
  return undefined;
}

/**
 * Operands: words that are not flags (and not the values of `valued` flags); everything after `--` counts.
 * `valued` lists flags that take the next word as their value (`-t`, `--target-directory`).
 */
export function operands(args: Arg[], valued: string[] = []): Arg[] {
  const out: Arg[] = [];
  let afterDashes = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as Arg;
    if (afterDashes) {
      out.push(a);
      continue;
    }
    if (a.value === '--') {
      afterDashes = true;
      continue;
    }
    if (a.value.startsWith('-') && a.value !== '-') {
      if (valued.includes(a.value)) i++;
      else if (!a.value.startsWith('--') && valued.some((v) => v.length === 2 && a.value.length === 2 && a.value === v)) i++;
      continue;
    }
    out.push(a);
  }
  return out;
}

/** Does the argv hold this word sequence, flags between words skipped? `subcommand(args, 'stash', 'drop')`. */
export function startsWithWords(args: Arg[], words: string[]): boolean {
  let i = 0;
  for (const word of words) {
    while (i < args.length && (args[i] as Arg).value.startsWith('-') && !word.startsWith('-')) i++;
    const a = args[i];
    if (a === undefined || (word !== '*' && a.value !== word)) return false;
    i++;
  }
  return true;
}

/** Long options of the GNU tools the rules read, for getopt_long's unique-prefix abbreviations (`rm --rec --for`). */
const GNU_LONG: Record<string, string[]> = {
  rm: ['force', 'interactive', 'one-file-system', 'no-preserve-root', 'preserve-root', 'recursive', 'dir', 'verbose', 'help', 'version'],
  rmdir: ['ignore-fail-on-non-empty', 'parents', 'verbose', 'help', 'version'],
  shred: ['force', 'iterations', 'random-source', 'size', 'remove', 'verbose', 'exact', 'zero', 'help', 'version'],
  chmod: ['changes', 'silent', 'quiet', 'verbose', 'no-preserve-root', 'preserve-root', 'reference', 'recursive', 'help', 'version'],
  chown: ['changes', 'dereference', 'no-dereference', 'from', 'silent', 'quiet', 'reference', 'recursive', 'verbose', 'preserve-root', 'no-preserve-root', 'help', 'version'],
  chgrp: ['changes', 'dereference', 'no-dereference', 'silent', 'quiet', 'reference', 'recursive', 'verbose', 'preserve-root', 'no-preserve-root', 'help', 'version'],
  cp: ['archive', 'attributes-only', 'backup', 'copy-contents', 'debug', 'force', 'interactive', 'link', 'dereference', 'no-clobber', 'no-dereference', 'preserve', 'no-preserve', 'parents', 'recursive', 'reflink', 'remove-destination', 'sparse', 'strip-trailing-slashes', 'symbolic-link', 'suffix', 'target-directory', 'no-target-directory', 'update', 'verbose', 'one-file-system', 'context', 'help', 'version'],
  mv: ['backup', 'debug', 'exchange', 'force', 'interactive', 'no-clobber', 'no-copy', 'strip-trailing-slashes', 'suffix', 'target-directory', 'no-target-directory', 'update', 'verbose', 'context', 'help', 'version'],
  xargs: ['null', 'arg-file', 'delimiter', 'eof', 'replace', 'max-lines', 'max-args', 'max-procs', 'interactive', 'process-slot-var', 'no-run-if-empty', 'max-chars', 'show-limits', 'verbose', 'exit', 'open-tty', 'help', 'version'],
  sed: ['quiet', 'silent', 'debug', 'expression', 'file', 'follow-symlinks', 'in-place', 'line-length', 'posix', 'regexp-extended', 'separate', 'sandbox', 'unbuffered', 'null-data', 'zero-terminated', 'help', 'version'],
  tee: ['append', 'ignore-interrupts', 'output-error', 'help', 'version'],
  truncate: ['no-create', 'io-blocks', 'reference', 'size', 'help', 'version'],
  systemctl: ['force', 'ignore-inhibitors', 'quiet', 'no-block', 'no-wall', 'no-ask-password', 'host', 'machine', 'user', 'system', 'now', 'when', 'message', 'check-inhibitors', 'dry-run', 'help', 'version'],
  shutdown: ['help', 'halt', 'poweroff', 'reboot', 'kexec', 'no-wall', 'wall', 'dry-run', 'show'],
  pkill: ['signal', 'count', 'delimiter', 'list-name', 'list-full', 'echo', 'inverse', 'lightweight', 'ignore-case', 'full', 'pgroup', 'group', 'newest', 'oldest', 'older', 'parent', 'session', 'terminal', 'euid', 'uid', 'exact', 'pidfile', 'logpidfile', 'runstates', 'cgroup', 'ns', 'nslist', 'queue', 'require-handler', 'help', 'version'],
  killall: ['exact', 'ignore-case', 'process-group', 'younger-than', 'older-than', 'interactive', 'list', 'quiet', 'regexp', 'signal', 'user', 'verbose', 'version', 'wait', 'ns', 'context'],
};

/**
 * Options written as getopt_long's unique prefixes (`--rec`), spelled out for the commands the rules read. Only
 * options before `--`; anything ambiguous or unknown is left as written.
 */
export function canonicalLongOptions(name: string, args: Arg[], leadingOnly = false): Arg[] {
  const known = GNU_LONG[name];
  if (!known || !args.some((a) => a.value.startsWith('--') && a.value.length > 2)) return args;
  // A wrapper (xargs) reads options only up to the command it runs: the command's own options are left alone.
  const first = leadingOnly ? args.findIndex((a, i) => i > 0 && !a.value.startsWith('-') && !/^-/.test(args[i - 1]?.value ?? '')) : -1;
  const dashes = args.findIndex((a) => a.value === '--');
  const end = first === -1 ? dashes : dashes === -1 ? first - 1 : Math.min(dashes, first - 1);
  return args.map((arg, i) => {
    const m = /^--([a-z][a-z0-9-]*)(=[^]*)?$/.exec(arg.value);
    if (!m || (end !== -1 && i > end) || known.includes(m[1] as string)) return arg;
    const matches = known.filter((o) => o.startsWith(m[1] as string));
    return matches.length === 1 ? { ...arg, value: `--${matches[0]}${m[2] ?? ''}` } : arg;
  });
}
