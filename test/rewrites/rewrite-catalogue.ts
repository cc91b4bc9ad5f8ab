// The catalogue of semantics-preserving rewrites: each turns a command line into another spelling of the same
// command (the shell runs the same programs with the same effect), or says it does not apply. A rewrite that could
// change what runs must not apply: a wrong rewrite is a bug here, not in the guard.
import { posix } from 'node:path';
import type { Word } from 'unbash';
import { FLAG_SPECS, GIT_GLOBAL_VALUED, SIGNALS, type FlagSpec } from './flag-specs.js';
import { applyEdits, facts, isPlain, isPlainOrTilde, PLAIN, sq, type Edit, type Facts, type SimpleCommand } from './shell-words.js';

export type Family = 'wrappers' | 'nesting' | 'quoting' | 'flags' | 'paths' | 'expansions' | 'list-feeding' | 'interpreters' | 'git-indirection';

export const FAMILIES: readonly Family[] = ['wrappers', 'nesting', 'quoting', 'flags', 'paths', 'expansions', 'list-feeding', 'interpreters', 'git-indirection'];

/** The machine the rewrites assume (the guard's test context): $HOME, the repo, the user. */
export interface Machine {
  home: string;
  repo: string;
  user: string;
}

export interface Rewrite {
  id: string;
  family: Family;
  /** The variant may do more damage than the seed (an ask may become a deny). */
  addsDanger?: boolean;
  apply(command: string, machine: Machine): string | undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// What a command is and how it reads its words

/** Builtins that change or read the shell itself: running them through env/nohup/xargs … would change what happens. */
const SHELL_ONLY = new Set(['cd', 'pushd', 'popd', 'dirs', 'export', 'unset', 'alias', 'unalias', 'read', 'readarray', 'mapfile', 'set', 'shopt', 'shift', 'source', '.', 'eval', 'exec', 'exit', 'return', 'declare', 'typeset', 'local', 'readonly', 'let', 'trap', 'umask', 'ulimit', 'wait', 'jobs', 'fg', 'bg', 'disown', 'hash', 'type', 'command', 'builtin', 'enable', 'getopts', 'history', 'caller', 'compgen', 'complete', 'break', 'continue', 'logout', 'suspend', 'times', ':', 'coproc', 'time', '[', '[[', 'test', 'true', 'false']);
/** Declaration builtins: their assignment arguments are parsed specially, so their spelling is left alone. */
const DECLARATIONS = new Set(['export', 'declare', 'typeset', 'local', 'readonly', 'alias']);

const baseName = (c: SimpleCommand): string => posix.basename(c.name.value);

/** A program run from PATH (not a builtin, function or alias), safe to wrap in env/nohup/timeout … */
function external(c: SimpleCommand, f: Facts): boolean {
  if (!isPlain(c.name) || f.aliases) return false;
  const name = c.name.value;
  if (SHELL_ONLY.has(name) || f.functions.has(name)) return false;
  if (name === 'printf' && c.args[0]?.value === '-v') return false;
  if (name === 'kill' && c.args.some((a) => a.text.includes('%'))) return false;
  return true;
}

/** A command name that may be respelled (quoted, put in a variable …): not a function-free alias, not a declaration. */
function respellableName(c: SimpleCommand, f: Facts): boolean {
  return isPlain(c.name) && !f.aliases && !DECLARATIONS.has(c.name.value) && !c.name.value.includes('=') && c.name.value !== 'time';
}

interface Token {
  kind: 'flag' | 'value' | 'operand' | 'dashdash';
  /** For a flag: the index of the word holding its value, if it takes the next word. */
  takes?: number;
}

interface Shape {
  key: string;
  spec: FlagSpec | undefined;
  /** Index in args where this command's own words begin (after git's global options and subcommand). */
  start: number;
  /** Index of git's subcommand word, when it is git. */
  sub?: number;
}

function shapeOf(c: SimpleCommand): Shape | undefined {
  if (!isPlain(c.name)) return undefined;
  const base = baseName(c);
  if (base !== 'git') return { key: base, spec: FLAG_SPECS[base], start: 0 };
  let i = 0;
  for (; i < c.args.length; i++) {
    const a = c.args[i] as Word;
    if (!a.value.startsWith('-')) break;
    if (GIT_GLOBAL_VALUED.has(a.value)) i++;
  }
  const sub = c.args[i];
  if (!sub || !isPlain(sub)) return undefined;
  const key = `git ${sub.value}`;
  return { key, spec: FLAG_SPECS[key], start: i + 1, sub: i };
}

/** Reads a command's own words as getopt would; undefined when a flag is not in the spec (it might take a value). */
function tokens(args: Word[], start: number, spec: FlagSpec): Token[] | undefined {
  // `${x:--rf}` or an unquoted `$x` may expand to options: where options end is then unknown.
  if (args.slice(start).some((a) => unquotedExpansion(a.text))) return undefined;
  const out: Token[] = args.map(() => ({ kind: 'operand' }));
  let operands = false;
  for (let i = start; i < args.length; i++) {
    const a = args[i] as Word;
    const v = a.value;
    if (operands || !a.text.startsWith('-') || v === '-' || a.text !== v) {
      if (!(a.text === v) && v.startsWith('-')) return undefined;
      out[i] = { kind: 'operand' };
      if (!spec.permute) operands = true;
      continue;
    }
    if (v === '--') {
      out[i] = { kind: 'dashdash' };
      operands = true;
      continue;
    }
    if (v.startsWith('--')) {
      const name = v.slice(2).split('=')[0] as string;
      const takes = !v.includes('=') && spec.longValued.includes(name) ? i + 1 : undefined;
      out[i] = takes === undefined ? { kind: 'flag' } : { kind: 'flag', takes };
      if (takes !== undefined) {
        if (takes >= args.length) return undefined;
        out[takes] = { kind: 'value' };
        i++;
      }
      continue;
    }
    const letters = v.slice(1);
    let takes: number | undefined;
    for (let k = 0; k < letters.length; k++) {
      const letter = letters[k] as string;
      if (spec.valued.includes(letter)) {
        if (k === letters.length - 1) takes = i + 1;
        break;
      }
      if (!spec.booleans.includes(letter)) return undefined;
    }
    out[i] = takes === undefined ? { kind: 'flag' } : { kind: 'flag', takes };
    if (takes !== undefined) {
      if (takes >= args.length) return undefined;
      out[takes] = { kind: 'value' };
      i++;
    }
  }
  return out;
}

/** Text with an expansion outside double quotes (`$x`, `${x:-y}`, `$(…)`): it may become several words, or options. */
function unquotedExpansion(text: string): boolean {
  const bare = text.replace(/'[^']*'/g, "''").replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return /[$`]/.test(bare.replace(/^\$HOME\b|^\$\{HOME\}|^\$PWD\b/, ''));
}

/** Commands whose operands are all paths, and where the path operands start (chmod's mode is not a path). */
const PATH_COMMANDS: Record<string, number> = { rm: 0, rmdir: 0, unlink: 0, shred: 0, touch: 0, chmod: 1, chown: 1, chgrp: 1, cp: 0, mv: 0, ls: 0, cat: 0, mkdir: 0, 'git rm': 0, 'git add': 0, 'git clean': 0 };

/** The path operands of a command (word indexes), when the command is known to take paths there. */
function pathOperands(c: SimpleCommand): number[] {
  const shape = shapeOf(c);
  if (!shape) return [];
  const skip = PATH_COMMANDS[shape.key];
  if (skip === undefined) return [];
  const spec = shape.spec ?? { booleans: '', valued: '', long: {}, longValued: [], permute: true, dashdash: true, equals: true };
  if (c.args.slice(shape.start).some((a) => unquotedExpansion(a.text))) return [];
  const toks = shape.spec ? tokens(c.args, shape.start, spec) : c.args.map((a): Token => ({ kind: a.value.startsWith('-') ? 'flag' : 'operand' }));
  if (!toks) return [];
  const ops = toks.map((t, i) => (i >= shape.start && t.kind === 'operand' ? i : -1)).filter((i) => i >= 0);
  return ops.slice(skip);
}

// ---------------------------------------------------------------------------------------------------------------
// Building rewrites

type PerCommand = (c: SimpleCommand, f: Facts, machine: Machine, n: number) => Edit[] | undefined;

/** Applies an edit to every simple command it applies to; undefined when it applies to none. */
function eachCommand(id: string, family: Family, edit: PerCommand, options: { addsDanger?: boolean; prelude?: (n: number[], c: SimpleCommand[]) => string } = {}): Rewrite {
  return {
    id,
    family,
    ...(options.addsDanger ? { addsDanger: true } : {}),
    apply(command, machine) {
      const f = facts(command);
      if (!f) return undefined;
      const edits: Edit[] = [];
      let n = nextFree(command, '_rw');
      for (const c of f.commands) {
        const got = edit(c, f, machine, n);
        if (got && got.length > 0) {
          edits.push(...got);
          n++;
        }
      }
      if (edits.length === 0) return undefined;
      const out = applyEdits(command, edits);
      return out === command ? undefined : out;
    },
  };
}

/** A rewrite whose edits need a statement that runs first (`_c=rm; … $_c …`): prepended once, numbered per command. */
function withPrelude(id: string, family: Family, edit: (c: SimpleCommand, f: Facts, v: string) => { edits: Edit[]; prelude: string } | undefined): Rewrite {
  return {
    id,
    family,
    apply(command) {
      const f = facts(command);
      if (!f) return undefined;
      const edits: Edit[] = [];
      const preludes: string[] = [];
      const first = nextFree(command, '_rw');
      for (const c of f.commands) {
        const got = edit(c, f, `_rw${first + preludes.length}`);
        if (!got) continue;
        edits.push(...got.edits);
        preludes.push(got.prelude);
      }
      if (preludes.length === 0) return undefined;
      return `${preludes.join('; ')}; ${applyEdits(command, edits)}`;
    },
  };
}

/** The first index n such that `${prefix}${n}` is not used in the command (composed rewrites get their own names). */
function nextFree(command: string, prefix: string): number {
  let max = -1;
  for (const m of command.matchAll(new RegExp(`${prefix}[a-z]?(\\d+)`, 'g'))) max = Math.max(max, Number(m[1]));
  return max + 1;
}

const whole = (id: string, family: Family, fn: (command: string, f: Facts, machine: Machine) => string | undefined, addsDanger = false): Rewrite => ({
  id,
  family,
  ...(addsDanger ? { addsDanger } : {}),
  apply(command, machine) {
    const f = facts(command);
    return f ? fn(command, f, machine) : undefined;
  },
});

const at = (word: Word, text: string): Edit => ({ pos: word.pos, end: word.end, text });
const before = (word: Word, text: string): Edit => ({ pos: word.pos, end: word.pos, text });

/** Replaces a whole simple command (it must stand alone: no redirections, no VAR=x prefix). */
function replaceCommand(c: SimpleCommand, text: string): Edit[] | undefined {
  if (c.hasRedirects || c.hasPrefix || c.assignArgs) return undefined;
  const last = c.args[c.args.length - 1] ?? c.name;
  return [{ pos: c.name.pos, end: last.end, text }];
}

const wordsText = (c: SimpleCommand, from = 0): string => c.args.slice(from).map((a) => a.text).join(' ');

// ---------------------------------------------------------------------------------------------------------------
// wrappers: programs that only run the command they are given

const wrap = (id: string, prefix: string, when: (c: SimpleCommand) => boolean = () => true): Rewrite =>
  eachCommand(id, 'wrappers', (c, f) => (external(c, f) && when(c) ? [before(c.name, prefix)] : undefined));

const WRAPPERS: Rewrite[] = [
  wrap('wrap-env', 'env '),
  wrap('wrap-command', 'command '),
  wrap('wrap-nohup', 'nohup '),
  wrap('wrap-timeout', 'timeout 600 '),
  wrap('wrap-nice', 'nice -n 5 '),
  wrap('wrap-stdbuf', 'stdbuf -oL '),
  wrap('wrap-time', 'time ', (c) => c.pipelineIndex === 0 && !c.hasPrefix),
  eachCommand('wrap-backslash', 'wrappers', (c, f) => (isPlain(c.name) && !f.aliases && !DECLARATIONS.has(c.name.value) && !c.name.value.includes('/') ? [at(c.name, `\\${c.name.text}`)] : undefined)),
  eachCommand('wrap-usr-bin', 'wrappers', (c, f) => (external(c, f) && !c.name.value.includes('/') && /^[a-z][a-z0-9.+_-]*$/.test(c.name.value) && !['claude', 'fanout', 'npx', 'npm', 'pnpm', 'yarn', 'bun', 'deno', 'cargo', 'go', 'pip', 'pip3', 'poetry', 'uv', 'terraform', 'kubectl', 'aws', 'gcloud', 'az', 'rimraf', 'prisma', 'vercel', 'netlify', 'docker', 'helm', 'parallel'].includes(c.name.value) ? [at(c.name, `/usr/bin/${c.name.value}`)] : undefined)),
];

// ---------------------------------------------------------------------------------------------------------------
// nesting: the whole line run by another shell, eval, a function, a script file

const delimiter = (command: string): string => {
  let d = 'RW_EOF';
  for (let i = 1; command.includes(d); i++) d = `RW_EOF_${i}`;
  return d;
};
const freeName = (f: Facts, base: string): string => {
  let name = base;
  for (let i = 2; f.functions.has(name); i++) name = `${base}${i}`;
  return name;
};

const NESTING: Rewrite[] = [
  whole('nest-bash-c', 'nesting', (cmd) => `bash -c ${sq(cmd)}`),
  whole('nest-sh-c', 'nesting', (cmd, f) => (f.bashOnly ? undefined : `sh -c ${sq(cmd)}`)),
  whole('nest-eval', 'nesting', (cmd) => `eval ${sq(cmd)}`),
  whole('nest-eval-var', 'nesting', (cmd) => (/\b_rwcode\b/.test(cmd) ? undefined : `_rwcode=${sq(cmd)}; eval "$_rwcode"`)),
  whole('nest-bash-c-arg', 'nesting', (cmd, f) => (f.positional ? undefined : `bash -c 'eval "$1"' _ ${sq(cmd)}`)),
  whole('nest-heredoc-bash', 'nesting', (cmd, f) => {
    if (f.readsStdin) return undefined;
    const d = delimiter(cmd);
    return `bash <<'${d}'\n${cmd}\n${d}`;
  }),
  whole('nest-heredoc-sh', 'nesting', (cmd, f) => {
    if (f.readsStdin || f.bashOnly) return undefined;
    const d = delimiter(cmd);
    return `sh <<'${d}'\n${cmd}\n${d}`;
  }),
  whole('nest-herestring-bash', 'nesting', (cmd, f) => (f.readsStdin ? undefined : `bash <<< ${sq(cmd)}`)),
  whole('nest-pipe-bash', 'nesting', (cmd, f) => (f.readsStdin ? undefined : `printf '%s\\n' ${sq(cmd)} | bash`)),
  whole('nest-function', 'nesting', (cmd, f) => {
    const name = freeName(f, 'run_task');
    return `${name}() {\n${cmd}\n}; ${name}`;
  }),
  whole('nest-function-keyword', 'nesting', (cmd, f) => {
    const name = freeName(f, 'cleanup');
    return `function ${name} {\n${cmd}\n}\n${name}`;
  }),
  whole('nest-subshell', 'nesting', (cmd) => `( ${cmd}\n)`),
  whole('nest-group', 'nesting', (cmd) => `{ ${cmd}\n}`),
  whole('nest-source-procsub', 'nesting', (cmd, f) => (f.positional ? undefined : `source <(printf '%s\\n' ${sq(cmd)})`)),
  whole('nest-script-file', 'nesting', (cmd, f) => (f.positional ? undefined : `printf '%s\\n' ${sq(cmd)} > /tmp/rw-task.sh && bash /tmp/rw-task.sh`)),
];

// ---------------------------------------------------------------------------------------------------------------
// quoting: quotes the shell removes before the program sees its words

const QUOTING: Rewrite[] = [
  eachCommand('quote-name-single', 'quoting', (c, f) => (respellableName(c, f) ? [at(c.name, `'${c.name.text}'`)] : undefined)),
  eachCommand('quote-name-double', 'quoting', (c, f) => (respellableName(c, f) ? [at(c.name, `"${c.name.text}"`)] : undefined)),
  eachCommand('quote-name-split', 'quoting', (c, f) => (respellableName(c, f) && c.name.text.length >= 2 ? [at(c.name, `${c.name.text[0]}''${c.name.text.slice(1)}`)] : undefined)),
  eachCommand('quote-name-escape', 'quoting', (c, f) => (respellableName(c, f) && /^[a-z]{2,}/.test(c.name.text) ? [at(c.name, `${c.name.text[0]}\\${c.name.text.slice(1)}`)] : undefined)),
  eachCommand('quote-name-ansi-c', 'quoting', (c, f) => (respellableName(c, f) ? [at(c.name, `$'${[...c.name.text].map((ch) => `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')}'`)] : undefined)),
  eachCommand('quote-args-single', 'quoting', (c, f) => (DECLARATIONS.has(c.name.value) || f.aliases ? undefined : c.args.filter(isPlain).map((a) => at(a, `'${a.text}'`)))),
  eachCommand('quote-args-double', 'quoting', (c, f) => (DECLARATIONS.has(c.name.value) || f.aliases ? undefined : c.args.filter(isPlain).map((a) => at(a, `"${a.text}"`)))),
  eachCommand('quote-args-partial', 'quoting', (c, f) => (DECLARATIONS.has(c.name.value) || f.aliases ? undefined : c.args.filter((a) => isPlain(a) && a.text.length >= 2).map((a) => at(a, `${a.text.slice(0, 1)}""${a.text.slice(1)}`)))),
];

// ---------------------------------------------------------------------------------------------------------------
// flags: the same options spelled another way, as each tool's option parser reads them

function flagEdits(c: SimpleCommand, fn: (shape: Shape & { spec: FlagSpec }, toks: Token[]) => Edit[] | undefined): Edit[] | undefined {
  const shape = shapeOf(c);
  if (!shape?.spec || c.assignArgs) return undefined;
  const toks = tokens(c.args, shape.start, shape.spec);
  if (!toks) return undefined;
  return fn({ ...shape, spec: shape.spec }, toks);
}

const isCluster = (w: Word): boolean => /^-[A-Za-z0-9]{2,}/.test(w.text) && !w.text.startsWith('--') && w.text === w.value;

/** `-rf` → `-r -f` (a flag taking a value keeps the rest of the cluster as its value). */
function splitCluster(text: string, spec: FlagSpec): string[] {
  const letters = text.slice(1);
  const out: string[] = [];
  for (let k = 0; k < letters.length; k++) {
    const letter = letters[k] as string;
    if (spec.valued.includes(letter)) {
      out.push(`-${letters.slice(k)}`);
      return out;
    }
    out.push(`-${letter}`);
  }
  return out;
}

/** A unique prefix of a long option, one letter longer than needed, still shorter than the name. */
function abbreviation(name: string, all: string[]): string | undefined {
  for (let len = 1; len < name.length; len++) {
    const prefix = name.slice(0, len);
    if (all.filter((o) => o.startsWith(prefix)).length === 1 && all.includes(name)) {
      const use = name.slice(0, Math.min(len + 1, name.length - 1));
      return use.length > len - 1 && use.length < name.length && all.filter((o) => o.startsWith(use)).length === 1 ? use : undefined;
    }
  }
  return undefined;
}

const KILLERS = new Set(['kill', 'pkill', 'killall']);
/** `-9`, `-KILL`, `-SIGKILL`: a signal, for the commands that take one that way. */
const isSignal = (text: string, c?: SimpleCommand): boolean => (c === undefined || KILLERS.has(baseName(c))) && /^-(?:\d+|[A-Z]+|SIG[A-Z]+)$/.test(text);

const FLAGS: Rewrite[] = [
  eachCommand('flags-split', 'flags', (c) =>
    flagEdits(c, ({ spec }, toks) =>
      c.args.flatMap((a, i) => {
        if (toks[i]?.kind !== 'flag' || !isCluster(a) || isSignal(a.text, c)) return [];
        const parts = splitCluster(a.text, spec);
        return parts.length > 1 ? [at(a, parts.join(' '))] : [];
      }),
    ),
  ),
  eachCommand('flags-combine', 'flags', (c) =>
    flagEdits(c, ({ spec }, toks) => {
      const edits: Edit[] = [];
      for (let i = 0; i + 1 < c.args.length; i++) {
        const a = c.args[i] as Word;
        const b = c.args[i + 1] as Word;
        const single = (w: Word, k: number): boolean => toks[k]?.kind === 'flag' && /^-[A-Za-z]$/.test(w.text) && spec.booleans.includes(w.text[1] as string);
        if (single(a, i) && single(b, i + 1) && a.text !== b.text) {
          edits.push({ pos: a.pos, end: b.end, text: `-${a.text[1]}${b.text[1]}` });
          i++;
        }
      }
      return edits;
    }),
  ),
  eachCommand('flags-long', 'flags', (c) =>
    flagEdits(c, ({ spec }, toks) => {
      const edits: Edit[] = [];
      for (let i = 0; i < c.args.length; i++) {
        const a = c.args[i] as Word;
        if (toks[i]?.kind !== 'flag' || a.text.startsWith('--') || !/^-[A-Za-z0-9]/.test(a.text) || isSignal(a.text, c)) continue;
        const parts = isCluster(a) ? splitCluster(a.text, spec) : [a.text];
        const longs: string[] = [];
        let kept = '';
        let tail: string | undefined;
        for (const part of parts) {
          const letter = part[1] as string;
          const name = spec.long[letter];
          if (spec.valued.includes(letter)) {
            const glued = part.slice(2);
            if (!name) tail = part;
            else if (glued === '') longs.push(`--${name}`);
            else if (spec.equals) longs.push(`--${name}=${glued}`);
            else longs.push(`--${name}`, glued);
          } else if (name) longs.push(...name.split(' ').map((n) => `--${n}`));
          else kept += letter;
        }
        if (longs.length === 0) continue;
        edits.push(at(a, [...longs, ...(kept ? [`-${kept}`] : []), ...(tail ? [tail] : [])].join(' ')));
      }
      return edits;
    }),
  ),
  eachCommand('flags-long-equals', 'flags', (c) =>
    flagEdits(c, ({ spec }, toks) => {
      if (!spec.equals) return undefined;
      const edits: Edit[] = [];
      c.args.forEach((a, i) => {
        const t = toks[i];
        if (t?.kind !== 'flag' || t.takes === undefined || !a.text.startsWith('--')) return;
        const value = c.args[t.takes] as Word;
        edits.push({ pos: a.pos, end: value.end, text: `${a.text}=${value.text}` });
      });
      return edits;
    }),
  ),
  eachCommand('flags-long-space', 'flags', (c) =>
    flagEdits(c, ({ spec }, toks) =>
      c.args.flatMap((a, i) => {
        const m = /^--([a-z0-9-]+)=(.+)$/s.exec(a.text);
        if (toks[i]?.kind !== 'flag' || !m || !spec.longValued.includes(m[1] as string) || a.text !== a.value) return [];
        return [at(a, `--${m[1]} ${m[2] as string}`)];
      }),
    ),
  ),
  eachCommand('flags-abbreviate', 'flags', (c) =>
    flagEdits(c, ({ spec }, toks) => {
      const all = spec.all;
      if (!all) return undefined;
      return c.args.flatMap((a, i) => {
        const m = /^--([a-z0-9-]+)(=.*)?$/s.exec(a.text);
        if (toks[i]?.kind !== 'flag' || !m) return [];
        const short = abbreviation(m[1] as string, all);
        return short ? [at(a, `--${short}${m[2] ?? ''}`)] : [];
      });
    }),
  ),
  eachCommand('flags-after-operands', 'flags', (c) =>
    flagEdits(c, ({ spec, start }, toks) => {
      if (!spec.permute || toks.some((t) => t.kind === 'dashdash')) return undefined;
      const options: number[] = [];
      let lastOperand = -1;
      toks.forEach((t, i) => {
        if (i < start) return;
        if (t.kind === 'operand') lastOperand = i;
      });
      toks.forEach((t, i) => {
        if (i >= start && i < lastOperand && t.kind === 'flag') options.push(i);
      });
      if (options.length === 0 || lastOperand === -1) return undefined;
      const moved = options.flatMap((i) => [c.args[i] as Word, ...(toks[i]?.takes !== undefined ? [c.args[toks[i]?.takes as number] as Word] : [])]);
      const movedSet = new Set(moved);
      const kept = c.args.slice(start).filter((a) => !movedSet.has(a));
      const first = c.args[start] as Word;
      const last = c.args[c.args.length - 1] as Word;
      return [{ pos: first.pos, end: last.end, text: [...kept, ...moved].map((a) => a.text).join(' ') }];
    }),
  ),
  eachCommand('flags-dashdash', 'flags', (c) =>
    flagEdits(c, ({ spec, start, key }, toks) => {
      if (!spec.dashdash || PATH_COMMANDS[key] === undefined || toks.some((t) => t.kind === 'dashdash')) return undefined;
      const first = toks.findIndex((t, i) => i >= start && t.kind === 'operand');
      if (first === -1 || toks.some((t, i) => i > first && t.kind === 'flag')) return undefined;
      return [before(c.args[first] as Word, '-- ')];
    }),
  ),
  eachCommand('flags-signal', 'flags', (c) => {
    const name = isPlain(c.name) ? baseName(c) : '';
    if (name !== 'kill' && name !== 'pkill' && name !== 'killall') return undefined;
    const sig = c.args.findIndex((a) => /^-(?:\d+|[A-Z]+|SIG[A-Z]+)$/.test(a.text));
    const a = c.args[sig];
    if (!a || sig > 0) return undefined;
    const number = /^-\d+$/.test(a.text) ? a.text.slice(1) : Object.entries(SIGNALS).find(([, n]) => a.text === `-${n}` || a.text === `-SIG${n}`)?.[0];
    if (number === undefined || SIGNALS[number] === undefined) return undefined;
    const signame = SIGNALS[number] as string;
    if (name === 'kill') return [at(a, /^-\d+$/.test(a.text) ? `-s ${signame}` : `-${number}`)];
    if (name === 'killall') return [at(a, /^-\d+$/.test(a.text) ? `--signal ${signame}` : `-s ${number}`)];
    return [at(a, /^-\d+$/.test(a.text) ? `--signal=${signame}` : `-${number}`)];
  }),
  eachCommand('flags-git-global', 'flags', (c) => {
    if (!isPlain(c.name) || baseName(c) !== 'git' || c.args.length === 0) return undefined;
    const edits: Edit[] = [];
    c.args.forEach((a, i) => {
      const next = c.args[i + 1];
      if ((a.text === '--git-dir' || a.text === '--work-tree') && next) edits.push({ pos: a.pos, end: next.end, text: `${a.text}=${next.text}` });
    });
    if (edits.length > 0) return edits;
    return [before(c.args[0] as Word, '--no-pager ')];
  }),
];

// ---------------------------------------------------------------------------------------------------------------
// paths: the same file named another way

const SURE_DIRS = /^(?:~|~\/|\$HOME|\$\{HOME\}|"\$HOME"|\.\.|\.\.\/\.\.|\/|\/(?:etc|usr|var|bin|lib|opt|boot|home|root|srv|sbin|usr\/local|usr\/bin|var\/lib|var\/log)|~\/\.(?:ssh|config|cache|aws|gnupg|npm|cargo|local)|~\/(?:Documents|Desktop|Downloads|Library|projects|\.?local\/share)|node_modules|dist|build|\.next|target|coverage|src|\.git|\.venv|__pycache__|\.cache|out|tmp|vendor|lib)$/;

function pathRewrite(id: string, fn: (text: string, m: Machine, f: Facts, c: SimpleCommand) => string | undefined): Rewrite {
  return eachCommand(id, 'paths', (c, f, m) =>
    pathOperands(c).flatMap((i) => {
      const w = c.args[i] as Word;
      const out = fn(w.text, m, f, c);
      return out !== undefined && out !== w.text ? [at(w, out)] : [];
    }),
  );
}

const homeForm = /^(?:~|\$HOME|\$\{HOME\}|"\$HOME"|"\$\{HOME\}")((?:\/[A-Za-z0-9_./@%+=:,-]*)?)$/;
const plainRelative = (t: string): boolean => PLAIN.test(t) && !t.startsWith('/') && !t.startsWith('-') && !t.includes('=') && !t.includes(':');
/** rm refuses a last path component of `.` or `..`: a path that ends so is not the same as the directory it names. */
const refusedByRm = (t: string): boolean => /(?:^|\/)\.\.?\/?$/.test(t);

const PATHS: Rewrite[] = [
  pathRewrite('path-dot-slash', (t) => (plainRelative(t) && !/^\.\.?(?:\/|$)/.test(t) ? `./${t}` : undefined)),
  pathRewrite('path-strip-dot-slash', (t) => (/^\.\/[A-Za-z0-9_@%+:,][A-Za-z0-9_./@%+=:,-]*$/.test(t) && !refusedByRm(t.slice(2)) ? t.slice(2) : undefined)),
  pathRewrite('path-double-slash', (t) => {
    // `:/` and `host:path` are git pathspec magic and remote paths, not file names.
    if (!(PLAIN.test(t) || homeForm.test(t)) || t.includes(':')) return undefined;
    const i = t.indexOf('/');
    if (i === -1 || t.includes('//')) return undefined;
    return `${t.slice(0, i)}//${t.slice(i + 1)}`;
  }),
  pathRewrite('path-dot-segment', (t) => {
    if (!(PLAIN.test(t) || homeForm.test(t)) || t.includes(':')) return undefined;
    const i = t.indexOf('/');
    if (i === -1 || t.slice(i + 1) === '' || refusedByRm(t)) return undefined;
    return `${t.slice(0, i)}/./${t.slice(i + 1)}`;
  }),
  pathRewrite('path-trailing-slash', (t) => {
    if (t.length > 1 && t.endsWith('/') && !t.endsWith('//') && SURE_DIRS.test(t.slice(0, -1))) return t.slice(0, -1);
    if (SURE_DIRS.test(t) && !t.endsWith('/')) return `${t}/`;
    return undefined;
  }),
  pathRewrite('path-home-var', (t) => {
    const m = homeForm.exec(t);
    return m && t.startsWith('~') ? `$HOME${m[1] ?? ''}` : undefined;
  }),
  pathRewrite('path-home-braces', (t) => {
    const m = homeForm.exec(t);
    return m && t.startsWith('~') ? `\${HOME}${m[1] ?? ''}` : undefined;
  }),
  pathRewrite('path-home-quoted', (t) => {
    const m = homeForm.exec(t);
    return m && !t.startsWith('"') ? `"$HOME"${m[1] ?? ''}` : undefined;
  }),
  pathRewrite('path-home-tilde', (t) => {
    const m = homeForm.exec(t);
    return m && !t.startsWith('~') ? `~${m[1] ?? ''}` : undefined;
  }),
  pathRewrite('path-home-user', (t, m) => {
    const form = homeForm.exec(t);
    return form && t.startsWith('~') ? `~${m.user}${form[1] ?? ''}` : undefined;
  }),
  pathRewrite('path-absolute', (t, m, f) => {
    if (f.movesCwd || !PLAIN.test(t) || t.startsWith('/') || t.startsWith('-') || t.includes('=') || t.includes(':') || refusedByRm(t)) return undefined;
    return posix.join(m.repo, t) + (t.endsWith('/') ? '/' : '');
  }),
  pathRewrite('path-relative', (t, m, f) => {
    if (f.movesCwd || !PLAIN.test(t) || !t.startsWith('/') || t.includes('//')) return undefined;
    let rel = posix.relative(m.repo, posix.normalize(t));
    if (rel === '') return undefined;
    // `..` names the parent, but rm refuses it: name the same directory by its own last component.
    if (refusedByRm(rel)) {
      const target = posix.normalize(t);
      if (target === '/') return undefined;
      rel = posix.join(posix.relative(m.repo, posix.dirname(target)), posix.basename(target));
    }
    return rel + (t.endsWith('/') && t !== '/' ? '/' : '');
  }),
  pathRewrite('path-pwd', (t) => (plainRelative(t) && !refusedByRm(t) ? `"$PWD"/${t.replace(/^\.\//, '')}` : undefined)),
  pathRewrite('path-pwd-subst', (t) => (plainRelative(t) && !refusedByRm(t) ? `"$(pwd)"/${t.replace(/^\.\//, '')}` : undefined)),
];

// ---------------------------------------------------------------------------------------------------------------
// expansions: words the shell assembles at run time

const nameOnly = (fn: (c: SimpleCommand, v: string) => { prelude: string; name: string } | undefined) =>
  (c: SimpleCommand, f: Facts, v: string): { edits: Edit[]; prelude: string } | undefined => {
    if (!respellableName(c, f) || f.functions.has(c.name.value) || SHELL_ONLY.has(c.name.value) && ['exec', 'command', 'builtin', 'time', 'coproc'].includes(c.name.value)) return undefined;
    const got = fn(c, v);
    return got ? { edits: [at(c.name, got.name)], prelude: got.prelude } : undefined;
  };

/** The run of plain words (name first, then arguments) from the start of a command, for IFS and brace joins. */
function plainRun(c: SimpleCommand, allow: (w: Word) => boolean): Word[] {
  const run: Word[] = [c.name];
  for (const a of c.args) {
    if (!allow(a)) break;
    run.push(a);
  }
  return run;
}

const setsIfs = (cmd: string): boolean => /\bIFS=/.test(cmd);

const EXPANSIONS: Rewrite[] = [
  withPrelude('exp-var', 'expansions', nameOnly((c, v) => ({ prelude: `${v}=${c.name.text}`, name: `$${v}` }))),
  withPrelude('exp-var-quoted', 'expansions', nameOnly((c, v) => ({ prelude: `${v}=${c.name.text}`, name: `"$${v}"` }))),
  withPrelude('exp-export', 'expansions', nameOnly((c, v) => ({ prelude: `export ${v}=${c.name.text}`, name: `"$${v}"` }))),
  withPrelude('exp-default', 'expansions', nameOnly((c, v) => ({ prelude: `unset ${v}`, name: `\${${v}:-${c.name.text}}` }))),
  withPrelude('exp-alternative', 'expansions', nameOnly((c, v) => ({ prelude: `${v}=1`, name: `\${${v}:+${c.name.text}}` }))),
  withPrelude('exp-substring', 'expansions', nameOnly((c, v) => ({ prelude: `${v}=x${c.name.text}yz`, name: `\${${v}:1:${c.name.text.length}}` }))),
  withPrelude('exp-strip-prefix', 'expansions', nameOnly((c, v) => ({ prelude: `${v}=__${c.name.text}`, name: `\${${v}#__}` }))),
  withPrelude('exp-strip-suffix', 'expansions', nameOnly((c, v) => ({ prelude: `${v}=${c.name.text}.tmp`, name: `\${${v}%.tmp}` }))),
  withPrelude('exp-replace', 'expansions', nameOnly((c, v) => (c.name.text.length < 2 || c.name.text.includes('Q') ? undefined : { prelude: `${v}=Q${c.name.text.slice(1)}`, name: `\${${v}/Q/${c.name.text[0]}}` }))),
  withPrelude('exp-lowercase', 'expansions', nameOnly((c, v) => (/^[a-z][a-z0-9-]*$/.test(c.name.text) ? { prelude: `${v}=${c.name.text.toUpperCase()}`, name: `\${${v},,}` } : undefined))),
  withPrelude('exp-indirect', 'expansions', nameOnly((c, v) => ({ prelude: `${v}t=${c.name.text}; ${v}=${v}t`, name: `\${!${v}}` }))),
  withPrelude('exp-printf-v', 'expansions', nameOnly((c, v) => ({ prelude: `printf -v ${v} %s ${c.name.text}`, name: `"$${v}"` }))),
  withPrelude('exp-read-herestring', 'expansions', nameOnly((c, v) => ({ prelude: `read -r ${v} <<< ${c.name.text}`, name: `"$${v}"` }))),
  withPrelude('exp-array-index', 'expansions', nameOnly((c, v) => ({ prelude: `${v}=(x ${c.name.text})`, name: `"\${${v}[1]}"` }))),
  eachCommand('exp-cmdsub', 'expansions', (c, f) => (respellableName(c, f) && !f.functions.has(c.name.value) ? [at(c.name, `$(echo ${c.name.text})`)] : undefined)),
  eachCommand('exp-backticks', 'expansions', (c, f) => (respellableName(c, f) && !f.functions.has(c.name.value) ? [at(c.name, `\`printf %s ${c.name.text}\``)] : undefined)),
  eachCommand('exp-ifs', 'expansions', (c, f) => {
    if (!respellableName(c, f) || f.functions.has(c.name.value) || setsIfs(f.source) || c.hasPrefix) return undefined;
    const run = plainRun(c, (a) => isPlain(a) && !a.text.includes('$'));
    if (run.length < 2) return undefined;
    return [{ pos: c.name.pos, end: (run[run.length - 1] as Word).end, text: run.map((w) => w.text).join('${IFS}') }];
  }),
  eachCommand('exp-brace', 'expansions', (c, f) => {
    if (!respellableName(c, f) || f.functions.has(c.name.value) || c.hasPrefix) return undefined;
    const run = plainRun(c, (a) => isPlainOrTilde(a) && !a.text.includes(','));
    if (run.length < 2 || run[0]?.text.includes(',')) return undefined;
    return [{ pos: c.name.pos, end: (run[run.length - 1] as Word).end, text: `{${run.map((w) => w.text).join(',')}}` }];
  }),
  eachCommand('exp-array', 'expansions', (c, f, _m, n) =>
    respellableName(c, f) && !f.functions.has(c.name.value) && !SHELL_ONLY.has(c.name.value) ? replaceCommand(c, `{ _rwa${n}=(${c.name.text}${c.args.length ? ` ${wordsText(c)}` : ''}); "\${_rwa${n}[@]}"; }`) : undefined,
  ),
  eachCommand('exp-set-args', 'expansions', (c, f) =>
    respellableName(c, f) && !f.positional && !f.functions.has(c.name.value) && !SHELL_ONLY.has(c.name.value) ? replaceCommand(c, `{ set -- ${c.name.text}${c.args.length ? ` ${wordsText(c)}` : ''}; "$@"; }`) : undefined,
  ),
  eachCommand('exp-read-array', 'expansions', (c, f, _m, n) =>
    respellableName(c, f) && !f.functions.has(c.name.value) && !SHELL_ONLY.has(c.name.value) && c.args.every(isPlain) && c.args.length > 0 && !setsIfs(f.source)
      ? replaceCommand(c, `{ read -ra _rwr${n} <<< ${sq([c.name.text, ...c.args.map((a) => a.text)].join(' '))}; "\${_rwr${n}[@]}"; }`)
      : undefined,
  ),
  eachCommand('exp-var-args', 'expansions', (c, f, _m, n) => {
    if (DECLARATIONS.has(c.name.value) || f.aliases || c.args.length === 0 || !c.args.every(isPlain) || setsIfs(f.source)) return undefined;
    return replaceCommand(c, `{ _rwv${n}=${sq(wordsText(c))}; ${c.name.text} $_rwv${n}; }`);
  }),
  eachCommand('exp-default-args', 'expansions', (c, f) => (DECLARATIONS.has(c.name.value) || f.aliases ? undefined : c.args.filter((a) => isPlain(a) && !a.text.includes('}')).map((a) => at(a, `\${_rwunset:-${a.text}}`)))),
];

// ---------------------------------------------------------------------------------------------------------------
// list-feeding: the same deletions fed from a list (xargs, while read, find -exec, parallel …)

const LIST_COMMANDS = new Set(['rm', 'rmdir', 'shred', 'chmod', 'chown', 'chgrp', 'git rm', 'unlink']);

interface ListShape {
  fixed: string;
  ops: Word[];
}

function listShape(c: SimpleCommand): ListShape | undefined {
  const shape = shapeOf(c);
  // A command that reads its stdin (`yes | rm -i x`) would read something else once xargs or a loop feeds it.
  if (!shape || !LIST_COMMANDS.has(shape.key) || c.hasRedirects || c.hasPrefix || c.assignArgs || c.stdinBound) return undefined;
  const ops = pathOperands(c);
  if (ops.length === 0) return undefined;
  if (shape.key === 'unlink' && ops.length !== 1) return undefined;
  const opSet = new Set(ops);
  const fixed = [c.name.text, ...c.args.filter((_, i) => !opSet.has(i)).map((a) => a.text)].filter((t) => t !== '--').join(' ');
  const words = ops.map((i) => c.args[i] as Word);
  if (words.some((w) => /^[-(!]/.test(w.value) || w.value === '')) return undefined;
  return { fixed, ops: words };
}

function listRewrite(id: string, build: (s: ListShape, plain: boolean, c: SimpleCommand, source: string) => string | undefined, addsDanger = false): Rewrite {
  return {
    id,
    family: 'list-feeding',
    ...(addsDanger ? { addsDanger } : {}),
    apply(command) {
      const f = facts(command);
      if (!f || /_rwf\b/.test(command)) return undefined;
      const edits: Edit[] = [];
      for (const c of f.commands) {
        const s = listShape(c);
        if (!s) continue;
        const plain = s.ops.every(isPlainOrTilde);
        const text = build(s, plain, c, command);
        const edit = text === undefined ? undefined : replaceCommand(c, text);
        if (edit) edits.push(...edit);
      }
      return edits.length > 0 ? applyEdits(command, edits) : undefined;
    },
  };
}

const opsText = (s: ListShape): string => s.ops.map((w) => w.text).join(' ');
const endsLine = (c: SimpleCommand, source: string): boolean => /^[ \t]*(?:\n|$)/.test(source.slice(c.node.end)) && !c.inFunction;

/** git clean -f… → the same untracked files listed by git ls-files and deleted by rm (a superset when -d is missing). */
function gitCleanList(c: SimpleCommand, xargs: string): string | undefined {
  const shape = shapeOf(c);
  if (shape?.key !== 'git clean' || c.hasRedirects || c.hasPrefix || shape.sub === undefined || shape.sub !== 0) return undefined;
  const toks = tokens(c.args, shape.start, shape.spec as FlagSpec);
  if (!toks) return undefined;
  const flags = c.args.filter((a, i) => i >= shape.start && toks[i]?.kind === 'flag').map((a) => a.value);
  const letters = flags.filter((v) => !v.startsWith('--')).join('');
  // Long options may be abbreviated (`--dr` is --dry-run): compare by prefix.
  const long = (name: string): boolean => flags.some((v) => v.startsWith('--') && v.length > 3 && name.startsWith(v.slice(2).split('=')[0] as string));
  const force = letters.includes('f') || long('force');
  if (!force || letters.includes('n') || letters.includes('i') || letters.includes('e') || long('dry-run') || long('interactive') || long('exclude')) return undefined;
  const paths = c.args.filter((a, i) => i >= shape.start && toks[i]?.kind === 'operand').map((a) => a.text);
  const dirs = letters.includes('d');
  const ignoredOnly = letters.includes('X');
  const all = letters.includes('x');
  const select = ignoredOnly ? '--others --ignored --exclude-standard' : all ? '--others' : '--others --exclude-standard';
  return `git ls-files -z ${select}${dirs ? ' --directory' : ''}${paths.length ? ` -- ${paths.join(' ')}` : ''} | ${xargs} ${dirs ? 'rm -rf' : 'rm -f'}`;
}

const LIST_FEEDING: Rewrite[] = [
  listRewrite('list-xargs', (s, plain) => (plain ? `printf '%s\\n' ${opsText(s)} | xargs ${s.fixed}` : undefined)),
  listRewrite('list-xargs-0', (s) => `printf '%s\\0' ${opsText(s)} | xargs -0 ${s.fixed}`),
  listRewrite('list-xargs-n1', (s) => `printf '%s\\0' ${opsText(s)} | xargs -0 -n 1 ${s.fixed}`),
  listRewrite('list-xargs-I', (s) => `printf '%s\\0' ${opsText(s)} | xargs -0 -I{} ${s.fixed} {}`),
  listRewrite('list-xargs-file', (s) => `{ printf '%s\\0' ${opsText(s)} > /tmp/rw-list; xargs -0 ${s.fixed} < /tmp/rw-list; }`),
  listRewrite('list-xargs-arg-file', (s) => `{ printf '%s\\0' ${opsText(s)} > /tmp/rw-list; xargs -0 -a /tmp/rw-list ${s.fixed}; }`),
  listRewrite('list-cat-file', (s, plain) => (plain ? `{ printf '%s\\n' ${opsText(s)} > /tmp/rw-list; cat /tmp/rw-list | xargs ${s.fixed}; }` : undefined)),
  listRewrite('list-while-read', (s) => `printf '%s\\n' ${opsText(s)} | while IFS= read -r _rwf; do ${s.fixed} "$_rwf"; done`),
  listRewrite('list-while-procsub', (s) => `while IFS= read -r _rwf; do ${s.fixed} "$_rwf"; done < <(printf '%s\\n' ${opsText(s)})`),
  listRewrite('list-while-heredoc', (s, _plain, c, source) => (s.ops.every(isPlain) && endsLine(c, source) ? `while read -r _rwf; do ${s.fixed} "$_rwf"; done <<'RW_LIST'\n${s.ops.map((w) => w.text).join('\n')}\nRW_LIST` : undefined)),
  listRewrite('list-for', (s) => `for _rwf in ${opsText(s)}; do ${s.fixed} "$_rwf"; done`),
  listRewrite('list-mapfile', (s) => `{ mapfile -t _rwf < <(printf '%s\\n' ${opsText(s)}); ${s.fixed} "\${_rwf[@]}"; }`),
  listRewrite('list-find-exec', (s) => `find ${opsText(s)} -maxdepth 0 -exec ${s.fixed} {} +`),
  listRewrite('list-find-exec-each', (s) => `find ${opsText(s)} -maxdepth 0 -exec ${s.fixed} {} \\;`),
  listRewrite('list-find-execdir', (s) => `find ${opsText(s)} -maxdepth 0 -execdir ${s.fixed} {} \\;`),
  // -ok asks before each command and reads the answer from stdin: `yes` answers it.
  listRewrite('list-find-ok', (s) => `yes | find ${opsText(s)} -maxdepth 0 -ok ${s.fixed} {} \\;`),
  listRewrite('list-parallel', (s) => `parallel ${s.fixed} ::: ${opsText(s)}`),
  listRewrite('list-parallel-stdin', (s) => `printf '%s\\n' ${opsText(s)} | parallel ${s.fixed}`),
  eachCommand('list-git-ls-files', 'list-feeding', (c) => {
    const text = gitCleanList(c, 'xargs -0');
    return text ? [{ pos: c.name.pos, end: (c.args[c.args.length - 1] as Word).end, text }] : undefined;
  }, { addsDanger: true }),
  eachCommand('list-git-ls-files-n1', 'list-feeding', (c) => {
    const text = gitCleanList(c, 'xargs -0 -n 1');
    return text ? [{ pos: c.name.pos, end: (c.args[c.args.length - 1] as Word).end, text }] : undefined;
  }, { addsDanger: true }),
  eachCommand('list-find-delete-exec', 'list-feeding', (c) => {
    const files = c.args.some((a, i) => a.text === '-type' && c.args[i + 1]?.text === 'f');
    const del = c.args.find((a) => a.text === '-delete');
    return isPlain(c.name) && baseName(c) === 'find' && files && del ? [at(del, '-exec rm -f {} +')] : undefined;
  }),
];

// ---------------------------------------------------------------------------------------------------------------
// interpreters: the same command run by python, node, perl, ruby or php

const perlString = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

const INTERPRETERS: Rewrite[] = [
  whole('interp-python-bash', 'interpreters', (cmd) => `python3 -c ${sq(`import subprocess, sys; sys.exit(subprocess.run(["bash", "-c", ${JSON.stringify(cmd)}]).returncode)`)}`),
  whole('interp-python-system', 'interpreters', (cmd, f) => (f.bashOnly ? undefined : `python3 -c ${sq(`import os; os.system(${JSON.stringify(cmd)})`)}`)),
  whole('interp-node-bash', 'interpreters', (cmd) => `node -e ${sq(`require("child_process").execFileSync("bash", ["-c", ${JSON.stringify(cmd)}], { stdio: "inherit" })`)}`),
  whole('interp-node-execsync', 'interpreters', (cmd, f) => (f.bashOnly ? undefined : `node -e ${sq(`require("child_process").execSync(${JSON.stringify(cmd)}, { stdio: "inherit" })`)}`)),
  whole('interp-perl-bash', 'interpreters', (cmd) => `perl -e ${sq(`exit(system("bash", "-c", ${perlString(cmd)}) >> 8)`)}`),
  whole('interp-ruby-bash', 'interpreters', (cmd) => `ruby -e ${sq(`system("bash", "-c", ${perlString(cmd)})`)}`),
  whole('interp-php-system', 'interpreters', (cmd, f) => (f.bashOnly ? undefined : `php -r ${sq(`system(${perlString(cmd)});`)}`)),
  eachCommand('interp-python-argv', 'interpreters', (c, f) =>
    external(c, f) && c.args.every(isPlain) ? replaceCommand(c, `python3 -c ${sq(`import subprocess, sys; sys.exit(subprocess.run(${JSON.stringify([c.name.value, ...c.args.map((a) => a.value)])}).returncode)`)}`) : undefined,
  ),
  eachCommand('interp-node-argv', 'interpreters', (c, f) =>
    external(c, f) && c.args.every(isPlain) ? replaceCommand(c, `node -e ${sq(`process.exitCode = require("child_process").spawnSync(${JSON.stringify(c.name.value)}, ${JSON.stringify(c.args.map((a) => a.value))}, { stdio: "inherit" }).status`)}`) : undefined,
  ),
];

// ---------------------------------------------------------------------------------------------------------------
// git-indirection: git reaching the same subcommand through its own aliases and global options

function gitSub(c: SimpleCommand): (Shape & { sub: number }) | undefined {
  const shape = shapeOf(c);
  if (!shape || shape.sub === undefined || baseName(c) !== 'git') return undefined;
  const sub = c.args[shape.sub] as Word;
  // Aliases cannot shadow real commands, and an alias of an alias name is left alone.
  if (!/^[a-z][a-z-]*$/.test(sub.value) || sub.value.startsWith('rw')) return undefined;
  return { ...shape, sub: shape.sub };
}

const GIT_INDIRECTION: Rewrite[] = [
  eachCommand('git-c-alias', 'git-indirection', (c) => {
    const g = gitSub(c);
    if (!g) return undefined;
    const sub = c.args[g.sub] as Word;
    return [at(sub, `-c alias.rwx=${sub.text} rwx`)];
  }),
  eachCommand('git-c-alias-args', 'git-indirection', (c) => {
    const g = gitSub(c);
    if (!g) return undefined;
    const rest = c.args.slice(g.sub);
    if (!rest.every(isPlain) || rest.length < 2) return undefined;
    return [{ pos: (rest[0] as Word).pos, end: (rest[rest.length - 1] as Word).end, text: `-c ${sq(`alias.rwx=${rest.map((a) => a.text).join(' ')}`)} rwx` }];
  }),
  eachCommand('git-c-alias-shell', 'git-indirection', (c, f) => {
    const g = gitSub(c);
    if (!g || f.movesCwd || g.sub !== 0) return undefined;
    const rest = c.args.slice(g.sub);
    if (!rest.every(isPlain)) return undefined;
    return [{ pos: (rest[0] as Word).pos, end: (rest[rest.length - 1] as Word).end, text: `-c ${sq(`alias.rwx=!git ${rest.map((a) => a.text).join(' ')}`)} rwx` }];
  }),
  eachCommand('git-config-alias', 'git-indirection', (c) => {
    const g = gitSub(c);
    if (!g || g.sub !== 0) return undefined;
    const sub = c.args[g.sub] as Word;
    return replaceCommand(c, `{ git config alias.rwx ${sub.text} && git rwx${c.args.length > 1 ? ` ${wordsText(c, 1)}` : ''}; }`);
  }),
  eachCommand('git-config-alias-args', 'git-indirection', (c) => {
    const g = gitSub(c);
    if (!g || g.sub !== 0 || !c.args.every(isPlain) || c.args.length < 2) return undefined;
    return replaceCommand(c, `{ git config --local alias.rwx ${sq(c.args.map((a) => a.text).join(' '))}; git rwx; }`);
  }),
  eachCommand('git-dash-C', 'git-indirection', (c) => (gitSub(c) && !c.args.some((a) => a.text === '-C') ? [before(c.args[0] as Word, '-C . ')] : undefined)),
  eachCommand('git-dash-C-absolute', 'git-indirection', (c, f, m) => (gitSub(c) && !f.movesCwd && !c.args.some((a) => a.text === '-C') ? [before(c.args[0] as Word, `-C ${m.repo} `)] : undefined)),
  eachCommand('git-dir-work-tree', 'git-indirection', (c, f) => (gitSub(c) && !['clone', 'init'].includes(c.args[gitSub(c)?.sub ?? 0]?.value ?? '') && !f.movesCwd && !c.args.some((a) => /^(?:-C|--git-dir|--work-tree)/.test(a.text)) ? [before(c.args[0] as Word, '--git-dir=.git --work-tree=. ')] : undefined)),
];

export const REWRITES: readonly Rewrite[] = [...WRAPPERS, ...NESTING, ...QUOTING, ...FLAGS, ...PATHS, ...EXPANSIONS, ...LIST_FEEDING, ...INTERPRETERS, ...GIT_INDIRECTION];
