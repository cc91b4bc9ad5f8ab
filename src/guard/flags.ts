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
