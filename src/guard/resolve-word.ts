// Turns parsed shell words into what the shell would pass: quotes removed, ~ and known variables expanded,
// unknowable parts marked, and where a value came from the network or a decoder.
import { posix } from 'node:path';
import type { ParsedScript, Word, WordPart } from 'unbash';

/** Stands for a part of a word whose value cannot be known before the shell runs. */
export const UNKNOWN = '\u0000';

export type Taint = 'network' | 'decode';

export interface Arg {
  /** Source text of the word. */
  text: string;
  /** The value, with UNKNOWN where an expansion cannot be known. */
  value: string;
  /** Index in value of the first unquoted glob character, -1 if none. */
  globAt: number;
  /** Set when the value is the output of a network fetch or a decoder. */
  taint: Taint | undefined;
}

export interface ShellState {
  /** Working directory; undefined once a `cd` went somewhere unknowable. */
  cwd: string | undefined;
  vars: Map<string, string>;
  /** Variables holding downloaded or decoded content (`x=$(curl …)`). */
  taints: Map<string, Taint>;
  aliases: Map<string, string>;
}

export function cloneState(state: ShellState): ShellState {
  return { cwd: state.cwd, vars: new Map(state.vars), taints: new Map(state.taints), aliases: new Map(state.aliases) };
}

export function newState(cwd: string | undefined): ShellState {
  return { cwd, vars: new Map(), taints: new Map(), aliases: new Map() };
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
  substitute(script: ParsedScript | undefined, text: string, process: boolean): { value: string; taint: Taint | undefined };
  /** Characters expansions may still produce in this analysis (`x=$x$x` doubling, `$big` repeated); then UNKNOWN. */
  budget?: { left: number };
}

/** An expansion's value, or UNKNOWN once the analysis has expanded more than its budget. */
function spend(value: string, env: WordEnv): string {
  if (env.budget === undefined || value.length < 256) return value;
  if (value.length > env.budget.left) return UNKNOWN;
  env.budget.left -= value.length;
  return value;
}

export function lookupVar(name: string, env: WordEnv): string {
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
    default:
      return UNKNOWN;
  }
}

interface Acc {
  value: string;
  globAt: number;
  taint: Taint | undefined;
}

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

function addParts(parts: readonly WordPart[], env: WordEnv, acc: Acc, first: boolean): void {
  parts.forEach((part, index) => {
    switch (part.type) {
      case 'Literal': {
        const tilde = first && index === 0 ? (expandTilde(part.text, env) ?? expandAfterName(part.text, env)) : undefined;
        acc.value += tilde ?? part.value;
        break;
      }
      case 'SingleQuoted':
      case 'AnsiCQuoted':
        acc.value += part.value;
        break;
      case 'DoubleQuoted':
      case 'LocaleString':
        addParts(part.parts, env, acc, false);
        break;
      case 'SimpleExpansion':
        acc.value += spend(lookupVar(part.text.slice(1), env), env);
        acc.taint ??= env.state.taints.get(part.text.slice(1));
        break;
      case 'ParameterExpansion': {
        if (part.prefix !== undefined || part.index !== undefined) {
          acc.value += UNKNOWN;
          break;
        }
        const own = spend(lookupVar(part.parameter, env), env);
        acc.taint ??= env.state.taints.get(part.parameter);
        const op = part.operation;
        if (op === undefined) acc.value += own;
        else if (op.type === 'Default' && /^:?[-=]$/.test(op.operator)) {
          acc.value += own.includes(UNKNOWN) || (own === '' && op.operator.startsWith(':')) ? resolveWord(op.operand, env).value : own;
        } else if (op.type === 'Default' && /^:?\?$/.test(op.operator)) acc.value += own;
        else acc.value += UNKNOWN;
        break;
      }
      case 'CommandExpansion':
      case 'ProcessSubstitution': {
        const out = env.substitute(part.script, part.text, part.type === 'ProcessSubstitution');
        acc.value += spend(out.value, env);
        acc.taint ??= out.taint;
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

export function resolveWord(word: Word, env: WordEnv): Arg {
  const acc: Acc = { value: '', globAt: -1, taint: undefined };
  if (word.parts === undefined) {
    acc.value = (word.text.startsWith('~') ? expandTilde(word.text, env) : expandAfterName(word.text, env)) ?? word.value;
  } else {
    addParts(word.parts, env, acc, true);
  }
  return { text: word.text, value: acc.value, globAt: acc.globAt, taint: acc.taint };
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
  return out.map((value) => {
    const restored = value.replace(/\u0001/g, '{').replace(/\u0002/g, '}');
    const globAt = restored.search(/[*?[]/);
    return { text: arg.text, value: restored, globAt, taint: arg.taint };
  });
}
