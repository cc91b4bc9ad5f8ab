// Turns parsed shell words into what the shell would pass: quotes removed, ~ and known variables expanded (parameter
// operations, arrays, indirection included), fields split on $IFS where expansions were unquoted, braces expanded,
// unknowable parts marked, and where a value came from the network, a decoder or a list of paths.
import { posix } from 'node:path';
import type { ParameterExpansionPart, ParsedScript, Word, WordPart } from 'unbash';

/** Stands for a part of a word whose value cannot be known before the shell runs. */
export const UNKNOWN = '\u0000';

/** A NUL byte a command prints (`printf '%s\\0'`): distinct from UNKNOWN, which is also a NUL character. */
export const NUL = '\uE000';

export type Taint = 'network' | 'decode';

/**
 * What is known about a path only known as "an item of this list" (`git ls-files --others | xargs rm`): where the
 * list comes from, and the patterns its items match (find's -name …).
 */
export interface ListOrigin {
  source: 'untracked' | 'ignored' | 'tracked' | 'found' | 'processes';
  /** The command that produced the list, for messages. */
  from: string;
  /** Name patterns every item matches (find -name, a git pathspec); absent: any name. */
  filters?: string[];
  /** Processes: the list holds every process (ps -e, pgrep .), not some. */
  all?: boolean;
}

export interface Arg {
  /** Source text of the word. */
  text: string;
  /** The value, with UNKNOWN where an expansion cannot be known. */
  value: string;
  /** Index in value of the first unquoted glob character, -1 if none. */
  globAt: number;
  /** Set when the value is the output of a network fetch or a decoder. */
  taint: Taint | undefined;
  /** Set when the value is an item of a list the guard knows the kind of. */
  list?: ListOrigin | undefined;
}

export interface ShellState {
  /** Working directory; undefined once a `cd` went somewhere unknowable. */
  cwd: string | undefined;
  vars: Map<string, string>;
  /** Variables holding downloaded or decoded content (`x=$(curl …)`). */
  taints: Map<string, Taint>;
  aliases: Map<string, string>;
  /** Indexed arrays (`a=(rm -rf x)`, `read -a`, `mapfile`); `$a` is `${a[0]}`. */
  arrays: Map<string, string[]>;
  /** Variables holding an item of a known list (`… | while read f`). */
  lists: Map<string, ListOrigin>;
  /** Variables holding a path that matches a glob (`for f in .*`): their value is the pattern. */
  globs: Set<string>;
}

export function cloneState(state: ShellState): ShellState {
  return { cwd: state.cwd, vars: new Map(state.vars), taints: new Map(state.taints), aliases: new Map(state.aliases), arrays: new Map(state.arrays), lists: new Map(state.lists), globs: new Set(state.globs) };
}

export function newState(cwd: string | undefined): ShellState {
  return { cwd, vars: new Map(), taints: new Map(), aliases: new Map(), arrays: new Map(), lists: new Map(), globs: new Set() };
}

/** Sets a scalar variable (an array of that name becomes this one value). */
export function setVar(state: ShellState, name: string, value: string, taint?: Taint, list?: ListOrigin, glob = false): void {
  state.vars.set(name, value);
  state.arrays.delete(name);
  if (glob) state.globs.add(name);
  else state.globs.delete(name);
  if (taint) state.taints.set(name, taint);
  else state.taints.delete(name);
  if (list) state.lists.set(name, list);
  else state.lists.delete(name);
}

/** Sets an indexed array; `$name` reads its first element. Elements given as words keep their taint, list and globs. */
export function setArray(state: ShellState, name: string, values: string[], elements: Arg[] = []): void {
  state.arrays.set(name, values);
  state.vars.set(name, values[0] ?? '');
  const taint = elements.find((a) => a.taint)?.taint;
  const list = elements.find((a) => a.list)?.list;
  if (taint) state.taints.set(name, taint);
  else state.taints.delete(name);
  if (list) state.lists.set(name, list);
  else state.lists.delete(name);
  if (elements.some((a) => a.globAt !== -1)) state.globs.add(name);
  else state.globs.delete(name);
}

export function isKnown(arg: Arg): boolean {
  return !arg.value.includes(UNKNOWN);
}

export function literalArg(value: string): Arg {
  return { text: value, value, globAt: -1, taint: undefined };
}

export interface WordEnv {
  state: ShellState;
  home: string;
  projectDir: string;
  /** Analyses a command substitution and says what it prints, if that is knowable. */
  substitute(script: ParsedScript | undefined, text: string, process: boolean): { value: string; taint: Taint | undefined; list?: ListOrigin | undefined };
  /** Characters expansions may still produce in this analysis (`x=$x$x` doubling, `$big` repeated); then UNKNOWN. */
  budget?: { left: number };
  /** Work pattern operations (`${x##*.}`, `${x//a/b}`) may still do in this analysis, in characters compared; then UNKNOWN. */
  matching?: { left: number };
}

/** Charges a pattern match of a value against the analysis's matching budget; false when it is spent. */
function afford(env: WordEnv, value: string): boolean {
  if (env.matching === undefined) return true;
  const cost = value.length * value.length + 1;
  if (cost > env.matching.left) return false;
  env.matching.left -= cost;
  return true;
}

/** An expansion's value, or UNKNOWN once the analysis has expanded more than its budget. */
function spend(value: string, env: WordEnv): string {
  if (env.budget === undefined || value.length < 256) return value;
  if (value.length > env.budget.left) return UNKNOWN;
  env.budget.left -= value.length;
  return value;
}

export const DEFAULT_IFS = ' \t\n';

export function lookupVar(name: string, env: Pick<WordEnv, 'state' | 'home' | 'projectDir'>): string {
  const own = env.state.vars.get(name);
  if (own !== undefined) return own;
  switch (name) {
    case 'HOME':
      return env.home;
    case 'PWD':
      return env.state.cwd ?? UNKNOWN;
    case 'TMPDIR':
    case 'TMP':
    case 'TEMP':
      return '/tmp';
    case 'USER':
    case 'LOGNAME':
      return posix.basename(env.home);
    case 'CLAUDE_PROJECT_DIR':
      return env.projectDir;
    case 'IFS':
      return DEFAULT_IFS;
    // The user's login shell and bash's own path: which shell is unknown, that it is one is not.
    case 'SHELL':
      return '/bin/sh';
    case 'BASH':
      return '/bin/bash';
    default:
      return UNKNOWN;
  }
}

interface Acc {
  value: string;
  globAt: number;
  taint: Taint | undefined;
  list: ListOrigin | undefined;
  /** Positions in value of $IFS characters that came from unquoted expansions: word splitting happens there. */
  splits: number[];
  /** Positions where an array expansion ("${a[@]}") ends a word, quoted or not. */
  breaks: number[];
  /** Positions of the glob characters expansions produced (an array holds several: `a=(rm -rf *)`). */
  marks: number[];
}

/** Shared empty list: replaced by a fresh array before the first push. */
const NONE: number[] = [];

/** Separator positions recorded per word; past this the word is not split but becomes unknown. */
const MAX_SPLITS = 65_536;
/** Values longer than this are not pattern-matched (`${x##*.}` on megabytes): the result is unknown. */
const MAX_PATTERN_VALUE = 4096;

function expandTilde(text: string, env: WordEnv): string | undefined {
  if (!text.startsWith('~')) return undefined;
  // The tilde prefix ends at the first '/' or ':' (bash expands `~:/x` to `$HOME:/x`).
  const slash = text.search(/[/:]/);
  const user = slash === -1 ? text.slice(1) : text.slice(1, slash);
  const rest = slash === -1 ? '' : text.slice(slash);
  if (user === '') return env.home + rest;
  if (user === '+') return (env.state.cwd ?? UNKNOWN) + rest;
  if (user === '-') return UNKNOWN + rest;
  if (!/^[a-z_][a-z0-9_.-]*$/i.test(user)) return undefined;
  return posix.join(posix.dirname(env.home), user) + rest;
}

/** Bash expands `~` after `name=` even in ordinary arguments: `dd of=~/x` writes to $HOME/x. */
function expandAfterName(text: string, env: WordEnv): string | undefined {
  const match = /^([A-Za-z_][A-Za-z0-9_]*=)(~.*)$/.exec(text);
  if (!match) return undefined;
  const rest = expandTilde(match[2] as string, env);
  return rest === undefined ? undefined : (match[1] as string) + rest;
}

/** Appends the result of an unquoted (splittable) or quoted expansion. */
function append(acc: Acc, value: string, quoted: boolean, env: WordEnv, glob = false): void {
  // An unquoted expansion is globbed again (`x='*'; rm $x`); a variable set from a glob holds its matches.
  if (glob || !quoted) {
    const at = value.search(/[*?[]/);
    if (at !== -1) {
      if (acc.globAt === -1) acc.globAt = acc.value.length + at;
      if (acc.marks === NONE) acc.marks = [];
      acc.marks.push(acc.value.length + at);
    }
  }
  if (!quoted && acc.splits.length < MAX_SPLITS && value !== '') {
    // Most words have no expansion to split: the array is made on the first separator found.
    if (acc.splits === NONE) acc.splits = [];
    const ifs = lookupVar('IFS', env);
    const separators = ifs === UNKNOWN ? DEFAULT_IFS : ifs;
    if (separators !== '') {
      for (let i = 0; i < value.length; i++) {
        if (separators.includes(value[i] as string)) {
          acc.splits.push(acc.value.length + i);
          if (acc.splits.length >= MAX_SPLITS) {
            acc.value += UNKNOWN;
            return;
          }
        }
      }
    }
  }
  acc.value += value;
}

/**
 * A glob pattern (`*.bak`, `rm?`) as a regular expression, for a value of this length; undefined when matching it
 * could take long (each `*` multiplies the work a backtracking match can do, so more stars need shorter values).
 */
function globRegex(pattern: string, length: number): string | undefined {
  const stars = (pattern.match(/\*/g) ?? []).length;
  const limit = stars === 0 ? MAX_PATTERN_VALUE : stars === 1 ? 1024 : 128;
  if (pattern.length > 128 || stars > 2 || length > limit) return undefined;
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') out += '[^]*';
    else if (c === '?') out += '[^]';
    else if (c === '[') {
      const close = pattern.indexOf(']', i + 2);
      if (close === -1) out += '\\[';
      else {
        const body = pattern.slice(i + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = close;
      }
    } else if (c === '\\' && i + 1 < pattern.length) out += (pattern[++i] as string).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return out;
}

/** `${x#p}`, `${x##p}`, `${x%p}`, `${x%%p}`: the shortest/longest prefix/suffix matching p removed. */
function removePattern(value: string, pattern: string, operator: string, env: WordEnv): string {
  if (value.includes(UNKNOWN) || pattern.includes(UNKNOWN) || value.length > MAX_PATTERN_VALUE || !afford(env, value)) return UNKNOWN;
  const source = globRegex(pattern, value.length);
  if (source === undefined) return UNKNOWN;
  const re = new RegExp(`^(?:${source})$`);
  const prefix = operator.startsWith('#');
  const longest = operator.length === 2;
  const lengths = [...Array(value.length + 1).keys()];
  if (longest) lengths.reverse();
  for (const n of lengths) {
    const part = prefix ? value.slice(0, n) : value.slice(value.length - n);
    if (re.test(part)) return prefix ? value.slice(n) : value.slice(0, value.length - n);
  }
  return value;
}

/** `${x/p/r}`, `${x//p/r}`, `${x/#p/r}`, `${x/%p/r}`. */
function replacePattern(value: string, pattern: string, replacement: string, operator: string, env: WordEnv): string {
  if (value.includes(UNKNOWN) || pattern.includes(UNKNOWN) || pattern === '') return value.includes(UNKNOWN) ? UNKNOWN : value;
  if (value.length > MAX_PATTERN_VALUE || !afford(env, value)) return UNKNOWN;
  const source = globRegex(pattern, value.length);
  if (source === undefined) return UNKNOWN;
  const anchored = operator === '/#' ? `^(?:${source})` : operator === '/%' ? `(?:${source})$` : source;
  // Bash matches the longest text at each position; a greedy regex does the same for these patterns.
  const re = new RegExp(anchored, operator === '//' ? 'g' : '');
  return value.replace(re, () => replacement);
}

/** An arithmetic word that is a plain integer (`1`, ` -2`); undefined otherwise. */
function integer(word: Word | undefined, env: WordEnv): number | undefined {
  if (word === undefined) return undefined;
  const text = resolveWord(word, env).value.trim();
  return /^-?\d{1,9}$/.test(text) ? Number(text) : undefined;
}

function slice(value: string, offset: number, length: number | undefined): string {
  const start = offset < 0 ? Math.max(0, value.length + offset) : offset;
  if (length === undefined) return value.slice(start);
  const end = length < 0 ? value.length + length : start + length;
  return end < start ? '' : value.slice(start, end);
}

/** The values a parameter holds: one for a scalar, every element for `name[@]`/`name[*]`; undefined when unknown. */
/** $1 … $n, or one unknown value when none are bound (the arguments of the whole command are unknown). */
function positionalValues(state: ShellState): string[] {
  const values: string[] = [];
  for (let i = 1; state.vars.has(String(i)); i++) values.push(state.vars.get(String(i)) as string);
  return values.length > 0 ? values : [UNKNOWN];
}

function parameterValues(part: ParameterExpansionPart, env: WordEnv): { values: string[]; array: boolean } {
  const name = part.parameter;
  if (name === '@' || name === '*') return { values: positionalValues(env.state), array: true };
  const array = env.state.arrays.get(name);
  if (part.index !== undefined) {
    const index = part.index.value;
    if (index === '@' || index === '*') return { values: array ?? [lookupVar(name, env)], array: true };
    const n = integer(part.index, env);
    if (n === undefined) return { values: [UNKNOWN], array: false };
    if (array) return { values: [(n < 0 ? array[array.length + n] : array[n]) ?? ''], array: false };
    return { values: [n === 0 ? lookupVar(name, env) : ''], array: false };
  }
  return { values: [lookupVar(name, env)], array: false };
}

/** Applies `${x<op>…}` to one value. */
function operate(own: string, part: ParameterExpansionPart, env: WordEnv): string {
  const op = part.operation;
  if (op === undefined) return own;
  switch (op.type) {
    case 'Default': {
      const empty = own === '' || own.includes(UNKNOWN);
      if (/^:?[-=]$/.test(op.operator)) {
        // An unknown variable is taken as unset: its default is what runs.
        return own.includes(UNKNOWN) || (own === '' && op.operator.startsWith(':')) ? resolveWord(op.operand, env).value : own;
      }
      if (/^:?\+$/.test(op.operator)) {
        if (own.includes(UNKNOWN)) return UNKNOWN;
        return (op.operator === ':+' ? !empty : true) ? resolveWord(op.operand, env).value : '';
      }
      return own;
    }
    case 'Remove':
      return removePattern(own, resolveWord(op.operand, env).value, op.operator, env);
    case 'Replace':
      return replacePattern(own, resolveWord(op.pattern, env).value, resolveWord(op.replacement, env).value, op.operator, env);
    case 'Slice': {
      if (own.includes(UNKNOWN)) return UNKNOWN;
      const offset = integer(op.offset, env);
      const length = op.length === undefined ? undefined : integer(op.length, env);
      if (offset === undefined || (op.length !== undefined && length === undefined)) return UNKNOWN;
      return slice(own, offset, length);
    }
    case 'CaseModification':
      if (op.operand !== undefined) return own.includes(UNKNOWN) ? UNKNOWN : own;
      if (op.operator === '^^') return own.toUpperCase();
      if (op.operator === ',,') return own.toLowerCase();
      if (op.operator === '^') return own.charAt(0).toUpperCase() + own.slice(1);
      return own.charAt(0).toLowerCase() + own.slice(1);
    default:
      return UNKNOWN;
  }
}

function parameterExpansion(part: ParameterExpansionPart, env: WordEnv, acc: Acc, quoted: boolean): void {
  if (part.prefix === '!') {
    // ${!name}: the variable whose name is name's value. ${!prefix*} and ${!a[@]} list names: unknown.
    const target = part.index === undefined && part.operation === undefined ? lookupVar(part.parameter, env) : UNKNOWN;
    if (!/^[A-Za-z_]\w*$/.test(target)) {
      acc.value += UNKNOWN;
      return;
    }
    parameterExpansion({ ...part, prefix: undefined, parameter: target }, env, acc, quoted);
    return;
  }
  const { values, array } = parameterValues(part, env);
  if (part.prefix === '#') {
    const v = array ? String(values.length) : values[0]?.includes(UNKNOWN) ? UNKNOWN : String(values[0]?.length ?? 0);
    acc.value += v;
    return;
  }
  acc.taint ??= env.state.taints.get(part.parameter);
  acc.list ??= env.state.lists.get(part.parameter);
  let results = values.map((v) => operate(spend(v, env), part, env));
  if (array && part.operation?.type === 'Slice') {
    const offset = integer(part.operation.offset, env);
    const length = part.operation.length === undefined ? undefined : integer(part.operation.length, env);
    results = offset === undefined ? [UNKNOWN] : values.slice(offset < 0 ? values.length + offset : offset, length === undefined ? undefined : (offset < 0 ? values.length + offset : offset) + length);
  }
  const star = part.index?.value === '*' || part.parameter === '*';
  results.forEach((value, i) => {
    if (i > 0) {
      if (quoted && star) acc.value += (lookupVar('IFS', env) || ' ').charAt(0);
      else if (quoted) {
        if (acc.breaks === NONE) acc.breaks = [];
        acc.breaks.push(acc.value.length);
      }
      else append(acc, ' ', false, env);
    }
    append(acc, value, quoted, env, part.operation === undefined && env.state.globs.has(part.parameter));
  });
}

function addParts(parts: readonly WordPart[], env: WordEnv, acc: Acc, first: boolean, quoted: boolean): void {
  parts.forEach((part, index) => {
    switch (part.type) {
      case 'Literal': {
        const tilde = first && index === 0 && !quoted ? (expandTilde(part.text, env) ?? expandAfterName(part.text, env)) : undefined;
        acc.value += tilde ?? part.value;
        break;
      }
      case 'SingleQuoted':
      case 'AnsiCQuoted':
        acc.value += part.value;
        break;
      case 'DoubleQuoted':
      case 'LocaleString':
        addParts(part.parts, env, acc, false, true);
        break;
      case 'SimpleExpansion': {
        const name = part.text.slice(1);
        if (name === '@' || name === '*') {
          parameterExpansion({ type: 'ParameterExpansion', text: part.text, parameter: name, parameterPos: part.pos, parameterEnd: part.end, pos: part.pos, end: part.end, prefix: undefined, index: undefined, operation: undefined }, env, acc, quoted);
          break;
        }
        append(acc, spend(lookupVar(name, env), env), quoted, env, env.state.globs.has(name));
        acc.taint ??= env.state.taints.get(name);
        acc.list ??= env.state.lists.get(name);
        break;
      }
      case 'ParameterExpansion':
        parameterExpansion(part, env, acc, quoted);
        break;
      case 'CommandExpansion':
      case 'ProcessSubstitution': {
        const out = env.substitute(part.script, part.text, part.type === 'ProcessSubstitution');
        append(acc, spend(out.value, env), quoted || part.type === 'ProcessSubstitution', env);
        acc.taint ??= out.taint;
        acc.list ??= out.list;
        break;
      }
      case 'ArithmeticExpansion':
        acc.value += UNKNOWN;
        break;
      case 'Glob':
      case 'ExtendedGlob':
      case 'BraceExpansion':
        if (acc.globAt === -1) acc.globAt = acc.value.length;
        acc.value += part.text;
        break;
    }
  });
}

/** Words with no quoting, expansion, brace, tilde or extglob: their value is their text (no need for the parser's parts). */
const SIMPLE = /^[^'"\\$`{}~()]*$/;

function resolveAcc(word: Word, env: WordEnv): Acc {
  const acc: Acc = { value: '', globAt: -1, taint: undefined, list: undefined, splits: NONE, breaks: NONE, marks: NONE };
  if (SIMPLE.test(word.text) && !word.text.includes('=~')) {
    acc.value = word.text;
    acc.globAt = word.text.search(/[*?[]/);
    return acc;
  }
  if (word.parts === undefined) {
    acc.value = (word.text.startsWith('~') ? expandTilde(word.text, env) : expandAfterName(word.text, env)) ?? word.value;
  } else {
    addParts(word.parts, env, acc, true, false);
  }
  return acc;
}

/** A word's value as one string (no splitting): assignments, redirect targets, here-strings, patterns. */
export function resolveWord(word: Word, env: WordEnv): Arg {
  const acc = resolveAcc(word, env);
  return { text: word.text, value: acc.value, globAt: acc.globAt, taint: acc.taint, ...(acc.list ? { list: acc.list } : {}) };
}

/** A word as the arguments it becomes: expansions split on $IFS where unquoted, arrays one word per element, braces expanded. */
export function expandWord(word: Word, env: WordEnv): Arg[] {
  const acc = resolveAcc(word, env);
  const base: Arg = { text: word.text, value: acc.value, globAt: acc.globAt, taint: acc.taint, ...(acc.list ? { list: acc.list } : {}) };
  const fields = splitAt(base, acc);
  return fields.flatMap((field) => expandBraces(field).map((arg) => (arg !== field && arg.value.startsWith('~') ? { ...arg, value: expandTilde(arg.value, env) ?? arg.value } : arg)));
}

/** Word splitting: fields at the recorded separators (runs of them collapse), and forced breaks between array elements. */
function splitAt(arg: Arg, acc: Acc): Arg[] {
  if (acc.splits.length === 0 && acc.breaks.length === 0) return [arg];
  if (acc.splits.length === 0) {
    // "${a[@]}": one word per element, however many (no sort, no merging).
    const out: Arg[] = [];
    let start = 0;
    // Marks are in order: walk them along with the breaks (a `.some` per field would be quadratic).
    let m = 0;
    const field = (from: number, to: number): Arg => {
      while (m < acc.marks.length && (acc.marks[m] as number) < from) m++;
      const globbed = (m < acc.marks.length && (acc.marks[m] as number) < to) || (arg.globAt >= from && arg.globAt < to && arg.globAt !== -1);
      const value = arg.value.slice(from, to);
      return { ...arg, value, globAt: globbed ? value.search(/[*?[]/) : -1 };
    };
    for (const p of acc.breaks) {
      out.push(field(start, p));
      start = p;
    }
    out.push(field(start, arg.value.length));
    return out;
  }
  const cuts: Array<[number, 'split' | 'break']> = [...acc.splits.map((p) => [p, 'split'] as [number, 'split']), ...acc.breaks.map((p) => [p, 'break'] as [number, 'break'])].sort((a, b) => a[0] - b[0]);
  const out: Arg[] = [];
  let m = 0;
  const field = (from: number, to: number): void => {
    while (m < acc.marks.length && (acc.marks[m] as number) < from) m++;
    const globbed = (m < acc.marks.length && (acc.marks[m] as number) < to) || (arg.globAt !== -1 && arg.globAt >= from && arg.globAt < to);
    const value = arg.value.slice(from, to);
    out.push({ ...arg, value, globAt: globbed ? value.search(/[*?[]/) : -1 });
  };
  let start = 0;
  // A quoted array element is a word even when empty; an unquoted split never makes an empty word.
  let keepEmpty = false;
  for (const [p, kind] of cuts) {
    if (kind === 'break') {
      if (p > start || keepEmpty || out.length === 0) field(start, p);
      start = p;
      keepEmpty = true;
    } else {
      if (p > start) field(start, p);
      start = p + 1;
      keepEmpty = false;
    }
  }
  if (arg.value.length > start || keepEmpty) field(start, arg.value.length);
  return out;
}

/** Expands `{a,b}` and `{1..3}` in a word the way bash does before anything else; bounded. */
export function expandBraces(arg: Arg): Arg[] {
  if (arg.globAt === -1 || !arg.value.includes('{')) return [arg];
  const out: string[] = [];
  const walk = (value: string): void => {
    if (out.length >= 64) return;
    const open = value.indexOf('{');
    if (open === -1) return void out.push(value);
    let depth = 0;
    const commas: number[] = [];
    let close = -1;
    for (let i = open; i < value.length; i++) {
      const c = value[i];
      if (c === '{') depth++;
      else if (c === '}' && --depth === 0) {
        close = i;
        break;
      } else if (c === ',' && depth === 1) commas.push(i);
    }
    if (close === -1) return void out.push(value);
    const head = value.slice(0, open);
    const tail = value.slice(close + 1);
    const body = value.slice(open + 1, close);
    const range = /^(-?\d{1,6})\.\.(-?\d{1,6})$/.exec(body);
    if (commas.length === 0 && range) {
      const from = Number(range[1]);
      const to = Number(range[2]);
      const step = from <= to ? 1 : -1;
      for (let n = from; step > 0 ? n <= to : n >= to; n += step) {
        if (out.length >= 64) break;
        walk(`${head}${n}${tail}`);
      }
      return;
    }
    if (commas.length === 0) return void walk(`${head}\u0001${body}\u0002${tail}`);
    let start = open + 1;
    for (const comma of [...commas, close]) {
      walk(head + value.slice(start, comma) + tail);
      start = comma + 1;
    }
  };
  walk(arg.value);
  if (out.length === 1 && out[0] === arg.value) return [arg];
  return out.map((value) => {
    const restored = value.replace(/\u0001/g, '{').replace(/\u0002/g, '}');
    const globAt = restored.search(/[*?[]/);
    return { ...arg, value: restored, globAt };
  });
}
