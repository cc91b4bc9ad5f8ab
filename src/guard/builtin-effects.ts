// What a builtin changes for the commands after it: the working directory (cd), aliases, variables and arrays
// (export, declare, read, mapfile, printf -v, unset), positional parameters (set --, shift).
import { posix } from 'node:path';
import { pathOf, type PathClass, type PathInfo } from './classify-path.js';
import { listOrigin, producerItems, stdinText } from './list-items.js';
import type { Invocation } from './rule-context.js';
import { DEFAULT_IFS, lookupVar, NUL, setArray, setVar, UNKNOWN, type Arg, type ShellState } from './resolve-word.js';
import { printfText } from './stdin-content.js';

export interface BuiltinHost {
  home: string;
  projectDir: string;
  classify(abs: string): PathClass;
}

const NAME = /^[A-Za-z_]\w*$/;

/** `cd "$(mktemp -d)"`: a directory with an unknown name under a temp root is still scratch space (kept as /tmp/<unknown>). */
function tempDirOf(dir: PathInfo, target: Arg, host: BuiltinHost): string | undefined {
  if (dir.kind !== 'within' || target.globAt !== -1 || /(?:^|\/)\.\.(?:\/|$)/.test(dir.rest)) return undefined;
  const cls = host.classify(dir.base);
  return cls === 'temp' || cls === 'temp-root' ? posix.join(dir.base, dir.rest) : undefined;
}

interface ReadOptions {
  names: string[];
  array: string | undefined;
  delimiter: string;
  raw: boolean;
}

/** read's options: -r, -a array, -d delim, and the variable names (REPLY when none). */
export function readOptions(args: Arg[]): ReadOptions {
  const out: ReadOptions = { names: [], array: undefined, delimiter: '\n', raw: false };
  for (let i = 0; i < args.length; i++) {
    const v = (args[i] as Arg).value;
    if (v === '--') {
      for (const a of args.slice(i + 1)) out.names.push(a.value);
      break;
    }
    if (/^-[a-zA-Z]+$/.test(v)) {
      for (let k = 1; k < v.length; k++) {
        const letter = v[k] as string;
        if (letter === 'r') out.raw = true;
        if ('adinNptu'.includes(letter)) {
          const value = k < v.length - 1 ? v.slice(k + 1) : args[++i]?.value;
          if (letter === 'a') out.array = value;
          if (letter === 'd') out.delimiter = value === '' || value === undefined ? NUL : (value[0] as string);
          break;
        }
      }
      continue;
    }
    out.names.push(v);
  }
  if (out.names.length === 0 && out.array === undefined) out.names.push('REPLY');
  return out;
}

/** Splits one line into read's fields: the last name gets the rest of the line. */
export function readFields(line: string, count: number, ifs: string): string[] {
  const whitespace = [...ifs].filter((c) => ' \t\n'.includes(c)).join('');
  const trimmed = whitespace ? line.replace(new RegExp(`^[${whitespace}]+|[${whitespace}]+$`, 'g'), '') : line;
  if (count <= 1) return [trimmed];
  const fields: string[] = [];
  let rest = trimmed;
  const separator = new RegExp(`[${ifs.replace(/[\\\]^-]/g, '\\$&') || ' '}]+`);
  while (fields.length < count - 1) {
    const m = separator.exec(rest);
    if (!m) break;
    fields.push(rest.slice(0, m.index));
    rest = rest.slice(m.index + m[0].length);
  }
  fields.push(rest);
  return fields;
}

/** Assigns what `read` reads from the invocation's stdin (a here-string, heredoc, file or known pipe), or unknown. */
function read(inv: Invocation, state: ShellState, host: BuiltinHost): void {
  const options = readOptions(inv.args.slice(1));
  const text = stdinText(inv.stdin);
  const ifsAssign = inv.assigns.get('IFS');
  const ifs = ifsAssign ? ifsAssign.value : lookupVar('IFS', { state, home: host.home, projectDir: host.projectDir });
  const list = inv.stdin?.kind === 'pipe' ? listOrigin(inv.stdin.producers)?.origin : undefined;
  if (text === undefined) {
    for (const name of options.names) if (NAME.test(name)) setVar(state, name, UNKNOWN, undefined, list);
    if (options.array && NAME.test(options.array)) {
      setArray(state, options.array, [UNKNOWN]);
      if (list) state.lists.set(options.array, list);
    }
    return;
  }
  const line = text.text.split(options.delimiter)[0] ?? '';
  if (options.array && NAME.test(options.array)) {
    const separators = ifs === UNKNOWN ? DEFAULT_IFS : ifs;
    setArray(state, options.array, separators === '' ? [line] : line.split(new RegExp(`[${separators.replace(/[\\\]^-]/g, '\\$&')}]+`)).filter(Boolean));
  }
  const fields = readFields(line, options.names.length, ifs === UNKNOWN ? DEFAULT_IFS : ifs);
  options.names.forEach((name, i) => {
    if (NAME.test(name)) setVar(state, name, fields[i] ?? '', text.taint);
  });
}

/** mapfile/readarray [-t] [-d delim] [-n count] [-s skip] array: one element per line of stdin. */
function mapfile(inv: Invocation, state: ShellState): void {
  const args = inv.args.slice(1);
  let delimiter = '\n';
  let count = 0;
  let skip = 0;
  let name = 'MAPFILE';
  for (let i = 0; i < args.length; i++) {
    const v = (args[i] as Arg).value;
    if (/^-[dnOsucC]$/.test(v)) {
      const value = args[++i]?.value ?? '';
      if (v === '-d') delimiter = value === '' ? NUL : (value[0] as string);
      if (v === '-n') count = Number(value) || 0;
      if (v === '-s') skip = Number(value) || 0;
      continue;
    }
    if (v.startsWith('-')) continue;
    name = v;
  }
  if (!NAME.test(name)) return;
  // `mapfile -t a < <(printf '%s\n' *)`: one element per path the glob matches.
  const globbed = producerItems(inv.stdin);
  if (globbed?.some((a) => a.globAt !== -1)) {
    setArray(state, name, globbed.map((a) => a.value));
    state.globs.add(name);
    return;
  }
  const text = stdinText(inv.stdin);
  const list = inv.stdin?.kind === 'pipe' ? listOrigin(inv.stdin.producers)?.origin : undefined;
  if (text === undefined) {
    setArray(state, name, [UNKNOWN]);
    if (list) state.lists.set(name, list);
    return;
  }
  let lines = text.text.split(delimiter);
  if (lines[lines.length - 1] === '') lines.pop();
  lines = lines.slice(skip);
  if (count > 0) lines = lines.slice(0, count);
  setArray(state, name, lines);
}

/** Sets $1 … to these words and forgets the ones after. */
function setPositional(state: ShellState, args: Arg[]): void {
  for (let i = 1; state.vars.has(String(i)); i++) state.vars.delete(String(i));
  args.forEach((arg, i) => setVar(state, String(i + 1), arg.value, arg.taint, arg.list, arg.globAt !== -1));
}

export function builtinEffects(inv: Invocation, state: ShellState, host: BuiltinHost): void {
  switch (inv.name) {
    case 'cd':
    case 'pushd': {
      const target = inv.args.slice(1).find((a) => !a.value.startsWith('-') || a.value === '-');
      if (target === undefined) {
        state.cwd = host.home;
        return;
      }
      if (target.value === '-') {
        state.cwd = undefined;
        return;
      }
      const dir = pathOf(target, state.cwd);
      state.cwd = dir.kind === 'exact' ? dir.abs : tempDirOf(dir, target, host);
      state.vars.delete('PWD');
      return;
    }
    case 'popd':
      state.cwd = undefined;
      return;
    case 'alias':
      for (const arg of inv.args.slice(1)) {
        const eq = arg.value.indexOf('=');
        if (eq > 0) state.aliases.set(arg.value.slice(0, eq), arg.value.slice(eq + 1));
      }
      return;
    case 'export':
    case 'declare':
    case 'typeset':
    case 'local':
    case 'readonly':
      for (const arg of inv.args.slice(1)) {
        const eq = arg.value.indexOf('=');
        const name = arg.value.slice(0, eq);
        if (eq > 0 && NAME.test(name) && !state.arrays.has(name)) setVar(state, name, arg.value.slice(eq + 1), arg.taint, arg.list);
      }
      return;
    case 'unset': {
      // unset -f removes a function, not a variable; an unset variable is empty.
      if (inv.args.some((a) => a.value === '-f')) return;
      for (const arg of inv.args.slice(1)) if (NAME.test(arg.value)) setVar(state, arg.value, '');
      return;
    }
    case 'read':
      read(inv, state, host);
      return;
    case 'mapfile':
    case 'readarray':
      mapfile(inv, state);
      return;
    case 'printf': {
      const args = inv.args.slice(1);
      const v = args.findIndex((a) => a.value === '-v');
      const name = args[v + 1]?.value;
      if (v === -1 || name === undefined || !NAME.test(name)) return;
      const rest = args.slice(v + 2).filter((a, i) => !(i === 0 && a.value === '--'));
      const format = rest[0];
      setVar(state, name, format ? printfText(format.value, rest.slice(1).map((a) => a.value)) : '', rest.find((a) => a.taint)?.taint);
      return;
    }
    case 'set': {
      const dashes = inv.args.findIndex((a) => a.value === '--');
      if (dashes !== -1) setPositional(state, inv.args.slice(dashes + 1));
      return;
    }
    case 'shift': {
      const n = Number(inv.args[1]?.value ?? '1') || 1;
      const values: Arg[] = [];
      for (let i = 1 + n; state.vars.has(String(i)); i++) {
        const name = String(i);
        const value = state.vars.get(name) as string;
        values.push({ text: `$${name}`, value, globAt: state.globs.has(name) ? Math.max(0, value.search(/[*?[]/)) : -1, taint: state.taints.get(name), list: state.lists.get(name) });
      }
      setPositional(state, values);
      return;
    }
    default:
      return;
  }
}
