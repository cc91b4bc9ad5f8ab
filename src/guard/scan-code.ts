// Reads interpreter one-liners (python -c, node -e, perl -e, ruby -e, php -r …) for the calls that matter:
// file deletion and writes, shell-outs, and code evaluation. Not a parser: it finds the calls, reads their
// arguments (string literals, simple variables, home-dir expressions) and reports what it could resolve.
import { posix } from 'node:path';
import { UNKNOWN } from './resolve-word.js';

export type Lang = 'py' | 'js' | 'pl' | 'rb' | 'php' | 'lua' | 'r';

export interface CodeEnv {
  lang: Lang;
  home: string;
}

/** A value as far as it is known: UNKNOWN marks parts only known at run time. */
export interface CodeValue {
  value: string;
  /** The expression fetches from the network or decodes data. */
  taint: 'network' | 'decode' | undefined;
}

export type CodeEffect =
  | { kind: 'delete'; fn: string; path: CodeValue; recursive: boolean }
  | { kind: 'write'; fn: string; path: CodeValue }
  | { kind: 'shell'; fn: string; code: CodeValue }
  | { kind: 'argv'; fn: string; argv: CodeValue[] }
  | { kind: 'eval'; fn: string; code: CodeValue }
  | { kind: 'opaque'; fn: string }
  /** Code past the scan budget that contains a call the guard judges (`fn`): unread, so it cannot be cleared. */
  | { kind: 'unread'; fn: string }
  /** An endless loop that forks (or starts processes without waiting): the machine runs out of processes. */
  | { kind: 'fork-bomb'; fn: string };

/** Code scanned per one-liner; longer code is judged by whether the rest calls anything that matters. */
export const MAX_SCAN_CHARS = 200_000;
/** Matches read per sink; past this the rest is unread. */
const MAX_MATCHES_PER_SINK = 256;
/** Variables remembered per one-liner. */
const MAX_VARS = 512;

const HOME =
  /os\.homedir\s*\(\s*\)|\bhomedir\s*\(\s*\)|Path\.home\s*\(\s*\)|expanduser\s*\(\s*(?:["']~["']|["']~\/)|process\.env\.HOME\b|process\.env\[["']HOME["']\]|environ\s*\[\s*["']HOME["']\s*\]|environ\.get\s*\(\s*["']HOME["']|getenv\s*\(\s*["']HOME["']|\$ENV\s*\{\s*["']?HOME["']?\s*\}|ENV\s*\[\s*["']HOME["']\s*\]|ENV\.fetch\s*\(\s*["']HOME["']|Dir\.home\b|File\.expand_path\s*\(\s*["']~|Deno\.env\.get\s*\(\s*["']HOME["']|\$_SERVER\s*\[\s*["']HOME["']\s*\]|\$_ENV\s*\[\s*["']HOME["']\s*\]|Sys\.getenv\s*\(\s*["']HOME["']|path\.expand\s*\(\s*["']~|os\.getenv\s*\(\s*["']HOME["']|Bun\.env\.HOME\b/;
const CWD = /os\.getcwd\s*\(\s*\)|process\.cwd\s*\(\s*\)|Dir\.pwd\b|Path\.cwd\s*\(\s*\)|Deno\.cwd\s*\(\s*\)|getcwd\s*\(\s*\)|__dirname\b/;
const NETWORK =
  /urlopen|urllib|\brequests\.(?:get|post|request)|httpx|http\.client|\bfetch\s*\(|https?:\/\/|\bhttps?\.get\b|axios|LWP::|HTTP::Tiny|Net::HTTP|open-uri|URI\.open|URI\.parse|file_get_contents\s*\(\s*["']https?|curl_exec|socket\.|\bcurl\b|\bwget\b/;
/** Decoding calls, matched outside string literals. */
const DECODE = /b64decode|base64|\batob\s*\(|fromCharCode|\bunhexlify|codecs\.decode|zlib\.(?:decompress|inflate|gunzip)|Base64\.decode64|decode_base64|\bgzinflate|str_rot13|hex2bin|bytes\.fromhex|\[::-1\]|\.reverse\(\)|\bchr\s*\(/;
/** Decoding that names its encoding in a literal: Buffer.from(x, 'base64'), pack('H*', …). */
const DECODE_LITERAL = /Buffer\.from\s*\([^)]*["'](?:base64|hex)["']|\.decode\s*\(\s*["'](?:base64|hex|rot13)|\bunpack\s*\(\s*["'][mu]|\bpack\s*\(\s*["']H/;

/** Words that appear in path expressions but name no unknown value. */
const PATH_API = new Set([
  'os', 'path', 'join', 'Path', 'pathlib', 'PurePath', 'expanduser', 'expandvars', 'resolve', 'str', 'home', 'homedir', 'require', 'fs', 'process', 'env',
  'HOME', 'cwd', 'getcwd', 'Dir', 'File', 'ENV', 'environ', 'get', 'getenv', 'abspath', 'realpath', 'normpath', 'fetch', 'expand_path', 'pwd', 'Deno',
  'Bun', 'new', 'String', 'toString', 'to_s', 'Sys', 'file', 'catfile', 'rel2abs', 'dirname', 'PWD', 'r', 'f', 'b', 'u', 'rb', 'fr', 'rf', 'br',
  'path_join', 'joinpath', 'File::Spec', 'Spec', 'pathlib2', 'sep', 'posix', 'node', 'import', 'from', 'with', 'let', 'const', 'var', 'my', 'await',
]);

/** Index just past the string literal that starts at i. */
function endOfString(code: string, i: number): number {
  const q = code[i] as string;
  if ((q === '"' || q === "'") && code.startsWith(q.repeat(3), i)) {
    const close = code.indexOf(q.repeat(3), i + 3);
    return close === -1 ? code.length : close + 3;
  }
  for (let k = i + 1; k < code.length; k++) {
    if (code[k] === '\\') {
      k++;
      continue;
    }
    if (code[k] === q) return k + 1;
  }
  return code.length;
}

const isQuote = (c: string | undefined): boolean => c === '"' || c === "'" || c === '`';

/** ` if ` after a paren-less call ends its arguments: `unlink "x" if -e "x"` (perl, ruby). */
const postfixIf = (code: string, i: number): boolean => code.startsWith('if', i) && /\s/.test(code[i - 1] ?? '') && !/\w/.test(code[i + 2] ?? '');

/** The arguments of a call whose '(' (or first argument, for paren-less perl/ruby calls) is at p. */
export function readArgs(code: string, p: number): { args: string[]; end: number } {
  let i = p;
  while (code[i] === ' ' || code[i] === '\t') i++;
  const paren = code[i] === '(';
  if (paren) i++;
  let depth = 0;
  let start = i;
  const args: string[] = [];
  for (; i < code.length; i++) {
    const c = code[i] as string;
    if (isQuote(c)) {
      i = endOfString(code, i) - 1;
      continue;
    }
    if (c === '(' || c === '[' || c === '{') depth++;
    else if (c === ')' || c === ']' || c === '}') {
      if (depth === 0) {
        if (paren && c === ')') {
          args.push(code.slice(start, i));
          return { args: args.map((a) => a.trim()).filter(Boolean), end: i + 1 };
        }
        break;
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      args.push(code.slice(start, i));
      start = i + 1;
    } else if (!paren && depth === 0 && (c === ';' || c === '\n' || postfixIf(code, i))) break;
  }
  args.push(code.slice(start, i));
  return { args: args.map((a) => a.trim()).filter(Boolean), end: i };
}

/** The expression a method is called on: `Path('x')` in `Path('x').unlink()`. */
function receiverBefore(code: string, dot: number): string {
  let i = dot - 1;
  let depth = 0;
  for (; i >= 0; i--) {
    const c = code[i] as string;
    if (c === ')' || c === ']') depth++;
    else if (c === '(' || c === '[') {
      if (depth === 0) break;
      depth--;
    } else if (depth === 0 && !/[\w.$:'"~/ ]/.test(c)) break;
    else if (depth === 0 && c === ' ' && !/[.(]/.test(code[i + 1] ?? '')) break;
  }
  return code.slice(i + 1, dot).trim();
}

/** Decodes a string literal's content; interpolations become UNKNOWN (or the home dir when they name it). */
function decodeLiteral(body: string, quote: string, prefix: string, env: CodeEnv): string {
  const raw = /r/i.test(prefix);
  let text = body;
  const interpolate = (re: RegExp): void => {
    text = text.replace(re, (whole: string, inner: string) => (HOME.test(inner ?? whole) ? env.home : UNKNOWN));
  };
  if (quote === '`' && env.lang === 'js') interpolate(/\$\{([^}]*)\}/g);
  else if (/f/i.test(prefix) && env.lang === 'py') {
    text = text.replace(/\{\{/g, '\u0001').replace(/\}\}/g, '\u0002');
    interpolate(/\{([^}]*)\}/g);
    text = text.replace(/\u0001/g, '{').replace(/\u0002/g, '}');
  } else if (quote === '"' && env.lang === 'rb') interpolate(/#\{([^}]*)\}/g);
  else if (quote === '"' && (env.lang === 'pl' || env.lang === 'php')) {
    text = text.replace(/\$ENV\{["']?HOME["']?\}|\$_SERVER\[["']HOME["']\]/g, env.home);
    interpolate(/(?<!\\)[$@]\{?([A-Za-z_][\w]*(?:\[[^\]]*\]|\{[^}]*\})?)\}?/g);
  }
  if (raw) return text;
  return text.replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r', '0': '\u0000' })[c] ?? c);
}

/** Every string literal in an expression, decoded, in order. */
function literals(expr: string, env: CodeEnv): string[] {
  const out: string[] = [];
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (!isQuote(c)) continue;
    if (c === '`' && env.lang !== 'js') {
      i = endOfString(expr, i) - 1;
      continue;
    }
    const end = endOfString(expr, i);
    const triple = (c === '"' || c === "'") && expr.startsWith((c as string).repeat(3), i);
    const body = triple ? expr.slice(i + 3, end - 3) : expr.slice(i + 1, end - 1);
    const prefix = /([rRbBuUfF]{0,2})$/.exec(expr.slice(Math.max(0, i - 2), i))?.[1] ?? '';
    out.push(decodeLiteral(body, c as string, env.lang === 'py' ? prefix : '', env));
    i = end - 1;
  }
  return out;
}

function withoutLiterals(expr: string): string {
  let out = '';
  for (let i = 0; i < expr.length; i++) {
    if (isQuote(expr[i])) {
      i = endOfString(expr, i) - 1;
      out += ' "" ';
      continue;
    }
    out += expr[i];
  }
  return out;
}

function taintOf(expr: string): CodeValue['taint'] {
  const bare = withoutLiterals(expr);
  if (NETWORK.test(bare) || /https?:\/\//.test(expr) && /\b(?:get|open|fetch|read|request)\b/i.test(bare)) return 'network';
  if (DECODE.test(bare) || DECODE_LITERAL.test(expr)) return 'decode';
  return undefined;
}

/** Simple assignments in the code (`p = '/x'`, `const p = …`, `my $p = …`), for one-step variable resolution. */
function assignments(code: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /(?:^|[;\n{(]|\b(?:const|let|var|my|our|local)\s+)\s*([$@]?[A-Za-z_]\w*)\s*=(?![=>~])\s*/g;
  // Linear: each value runs to the next ; or newline, found from where it starts (not by re-splitting the rest).
  const valueAt = /[^;\n]*/y;
  for (let m = re.exec(code); m; m = re.exec(code)) {
    valueAt.lastIndex = m.index + m[0].length;
    const value = valueAt.exec(code)?.[0].trim();
    if (value && m[1] && (out.size < MAX_VARS || out.has(m[1]))) out.set(m[1], value);
  }
  return out;
}

function substitute(expr: string, vars: Map<string, string>): string {
  let out = expr.trim();
  for (let round = 0; round < 4; round++) {
    const bare = vars.get(out);
    if (bare !== undefined && bare !== out) {
      out = bare.trim();
      continue;
    }
    let changed = false;
    // Only the variables the expression names (not every variable in the code, for every call).
    const named = new Set(withoutLiterals(out).match(/[$@]?[A-Za-z_]\w*/g) ?? []);
    for (const name of named) {
      const value = vars.get(name);
      if (value === undefined || value.includes(name)) continue;
      const re = new RegExp(`(?<![\\w$'"])${name.replace(/\$/g, '\\$')}(?![\\w'"])`, 'g');
      if (re.test(withoutLiterals(out))) {
        out = out.replace(re, `(${value})`);
        changed = true;
      }
    }
    if (!changed) break;
  }
  return out;
}

/** Evaluates a path or string expression as far as it can be known. */
export function evalExpr(exprIn: string, vars: Map<string, string>, env: CodeEnv, asPath: boolean): CodeValue {
  const resolved = substitute(exprIn, vars);
  // `require('os').homedir()` as a path: the module name is not part of it.
  const expr = asPath && !isQuote(resolved.trim()[0]) ? resolved.replace(/\brequire\s*\(\s*(["'])(?:node:)?[\w/-]+\1\s*\)/g, '') : resolved;
  const taint = taintOf(expr);
  const lits = literals(expr, env);
  const bare = withoutLiterals(expr);
  const unknownParts = (bare.match(/[$@]?[A-Za-z_][\w]*/g) ?? []).some((w) => !PATH_API.has(w.replace(/^[$@]/, '')) && !HOME.test(w) && !/^(?:os|sys|shutil|subprocess)$/.test(w));
  const home = HOME.test(expr);
  if (!asPath) {
    if (lits.length === 0) return { value: UNKNOWN, taint };
    if (lits.length === 1 && !unknownParts && !/\+|%|\.format|\.join/.test(bare)) return { value: lits[0] as string, taint };
    return { value: lits.join(unknownParts ? UNKNOWN : ''), taint };
  }
  let value: string;
  const parts = lits.map((l) => l.replace(/^~(?=\/|$)/, ''));
  if (home) value = posix.join(env.home, ...parts);
  else if (lits.length > 0) {
    const first = (lits[0] as string).replace(/^~(?=\/|$)/, env.home);
    value = lits.length > 1 && /join|\/|\+|,|catfile/.test(bare) ? posix.join(first, ...lits.slice(1)) : first;
    if (unknownParts && !first.startsWith('/')) value = UNKNOWN;
  } else if (CWD.test(expr)) value = '.';
  else return { value: UNKNOWN, taint };
  if (unknownParts && value !== UNKNOWN) value = posix.join(value, UNKNOWN);
  return { value, taint };
}

/** A list literal's elements (`['rm', '-rf', p]`, `%w[rm -rf x]`, `qw(rm -rf x)`). */
function listElements(expr: string): string[] | undefined {
  const trimmed = expr.trim();
  const words = /^(?:%w|qw)\s*[[({](.*)[\])}]$/s.exec(trimmed);
  if (words) return (words[1] ?? '').trim().split(/\s+/).map((w) => JSON.stringify(w));
  if (!/^\[.*\]$/s.test(trimmed)) return undefined;
  return readArgs(`(${trimmed.slice(1, -1)})`, 0).args;
}

interface Sink {
  re: RegExp;
  langs?: Lang[];
  handle: (match: RegExpExecArray, args: string[], receiver: string, ctx: Ctx) => void;
}

interface Ctx {
  code: string;
  env: CodeEnv;
  vars: Map<string, string>;
  effects: CodeEffect[];
}

const path = (ctx: Ctx, expr: string | undefined): CodeValue => (expr === undefined ? { value: UNKNOWN, taint: undefined } : evalExpr(expr, ctx.vars, ctx.env, true));
const str = (ctx: Ctx, expr: string | undefined): CodeValue => (expr === undefined ? { value: UNKNOWN, taint: undefined } : evalExpr(expr, ctx.vars, ctx.env, false));
/** An argv element: a home-dir expression is a path (no shell will expand '~' later), anything else a string. */
const element = (ctx: Ctx, expr: string): CodeValue => {
  const resolved = substitute(expr, ctx.vars);
  // A plain string literal is a string even when its text mentions homedir() (it is code for another program).
  const literal = withoutLiterals(resolved).trim() === '""';
  return !literal && HOME.test(resolved) ? path(ctx, expr) : str(ctx, expr);
};
const recursiveOpt = (args: string[]): boolean => args.slice(1).some((a) => /recursive\s*[:=]\s*(?:true|TRUE|True|1)|\{\s*recursive\b|:recursive\s*=>\s*true/.test(a));

function shellOrArgv(fn: string, args: string[], ctx: Ctx, listForm: boolean): void {
  const first = args[0];
  if (first === undefined) return;
  const resolved = substitute(first, ctx.vars);
  const list = listElements(resolved);
  if (list) {
    ctx.effects.push({ kind: 'argv', fn, argv: list.map((e) => element(ctx, e)) });
    return;
  }
  if (listForm && args.length > 1) {
    const rest = args.slice(1).flatMap((a) => listElements(substitute(a, ctx.vars)) ?? [a]);
    ctx.effects.push({ kind: 'argv', fn, argv: [str(ctx, first), ...rest.filter((a) => !/^\{|^\w+\s*[:=]/.test(a)).map((a) => element(ctx, a))] });
    return;
  }
  ctx.effects.push({ kind: 'shell', fn, code: str(ctx, first) });
}

const DELETE_REC = /^(?:rmtree|remove_tree|rm_rf|rm_r|remove_dir|remove_entry|remove_entry_secure|rimraf|removeSync|remove|emptyDirSync|emptyDir|rmrf)$/;

const SINKS: Sink[] = [
  {
    // Deletions: rmtree, rm_rf, rmSync(…, {recursive}), os.remove, unlink …
    re: /(?<![\w$])(?:shutil\.|FileUtils\.|File::Path::|fs\.|fsp\.|fs\.promises\.|fse\.|fsExtra\.|os\.|File\.|Dir\.|Deno\.|rimraf\.)?(rmtree|remove_tree|rm_rf|rm_r|rm_f|remove_dir|remove_entry_secure|remove_entry|rimraf|rmSync|rmdirSync|unlinkSync|removeSync|emptyDirSync|removedirs|rmdir|unlink|remove|rm|delete)(?=\s*\(|\s+["'$@\w])/g,
    handle: (m, args, receiver, ctx) => {
      const fn = m[1] as string;
      const prefix = m[0].slice(0, m[0].length - fn.length);
      // Too generic without a file module in front: list.remove(x), map.delete(k) …
      const fileModule = /^(?:os\.|fse\.|fsExtra\.|fs\.|fsp\.|fs\.promises\.|File\.|Dir\.|Deno\.|FileUtils\.)$/.test(prefix) || /require\(\s*["'](?:node:)?fs|fs-extra|promises/.test(receiver);
      if ((fn === 'remove' || fn === 'delete' || fn === 'rm') && !fileModule) return;
      const recursive = DELETE_REC.test(fn) && !(fn === 'remove' && (prefix === 'os.' || prefix === 'Deno.')) ? true : recursiveOpt(args);
      const target = args[0] ?? (receiver || undefined);
      ctx.effects.push({ kind: 'delete', fn: `${prefix}${fn}`, path: path(ctx, target), recursive: recursive || (fn === 'removedirs') });
    },
  },
  {
    // pathlib / Pathname: Path(x).unlink(), .rmdir(), .rmtree() (method on the receiver, no path argument)
    re: /\.(unlink|rmdir|rmtree|delete)\s*\(\s*(?:missing_ok\s*=\s*\w+\s*)?\)/g,
    langs: ['py', 'rb'],
    handle: (m, _args, receiver, ctx) => {
      if (!/Path|home|expanduser|['"/]/.test(receiver)) return;
      ctx.effects.push({ kind: 'delete', fn: m[1] as string, path: path(ctx, receiver), recursive: m[1] === 'rmtree' });
    },
  },
  {
    re: /\.(write_text|write_bytes|mkdir|touch)\s*\(/g,
    langs: ['py'],
    handle: (m, _args, receiver, ctx) => {
      if (!/Path|home|expanduser|['"/]/.test(receiver)) return;
      ctx.effects.push({ kind: 'write', fn: m[1] as string, path: path(ctx, receiver) });
    },
  },
  {
    // Writes: open(p, 'w'), writeFileSync(p), File.write(p), file_put_contents(p) …
    re: /(?<![\w$])(?:(?:fs|fsp|fs\.promises|Deno|Bun|File|IO|io)\.)?(open|writeFileSync|writeFile|appendFileSync|appendFile|createWriteStream|writeTextFile|writeTextFileSync|write|file_put_contents|fopen|copyFileSync|copyFile|copy|copy2|copyfile|copytree|move|rename|renameSync|replace|symlinkSync|symlink|cp|mv)(?=\s*\()/g,
    handle: (m, args, _receiver, ctx) => {
      const fn = m[1] as string;
      const prefix = m[0].slice(0, m[0].length - fn.length);
      if ((fn === 'open' || fn === 'fopen') && prefix === '' && m.index > 0 && ctx.code[m.index - 1] === '.') return;
      if (fn === 'open' || fn === 'fopen') {
        const mode = args.slice(1).find((a) => /^["'][^"']*["']$/.test(a) || /mode\s*=/.test(a)) ?? '';
        if (ctx.env.lang === 'pl') {
          const perlMode = args[1] ?? '';
          if (/^["']\s*\+?>/.test(perlMode)) ctx.effects.push({ kind: 'write', fn, path: path(ctx, args[2]) });
          else if (args.length === 2 && /^["']\s*>/.test(perlMode)) ctx.effects.push({ kind: 'write', fn, path: path(ctx, perlMode.replace(/^(["'])\s*>+\s*/, '$1')) });
          return;
        }
        if (/[wax+]/.test(mode.replace(/mode\s*=/, ''))) ctx.effects.push({ kind: 'write', fn, path: path(ctx, args[0]) });
        return;
      }
      if (fn === 'write' && !/^(?:File|IO|Bun)\.$/.test(prefix)) return;
      if (fn === 'replace' && prefix !== '' && ctx.env.lang !== 'py') return;
      const twoPath = /^(?:copyFileSync|copyFile|copy|copy2|copyfile|copytree|move|rename|renameSync|replace|symlinkSync|symlink|cp|mv)$/.test(fn);
      if (twoPath) {
        if (args.length < 2) return;
        if (!/^(?:copy|copy2|copyfile|copytree|move|rename|replace|cp|mv)$/.test(fn) || /^(?:shutil\.|os\.|FileUtils\.|File\.|fs\.|)$/.test(prefix)) {
          ctx.effects.push({ kind: 'write', fn, path: path(ctx, args[1]) });
          if (/move|rename|mv|replace/.test(fn)) ctx.effects.push({ kind: 'delete', fn, path: path(ctx, args[0]), recursive: true });
        }
        return;
      }
      ctx.effects.push({ kind: 'write', fn, path: path(ctx, args[0]) });
    },
  },
  {
    // Shell-outs that take one command string (or a list): os.system, subprocess.*, execSync, system(), popen …
    re: /(?<![\w$])(?:os\.|subprocess\.|child_process\.|cp\.|commands\.|Open3\.|IO\.|Kernel\.|pty\.|io\.)?(system|popen|popen2|popen3|getoutput|getstatusoutput|check_output|check_call|call|run|Popen|execSync|execFileSync|execFile|spawnSync|spawn|fork|shell_exec|passthru|proc_open|execute|capture2e?|capture3|pipeline|system2|exec[lv]p?e?|exec)(?=\s*\(|\s+["'`$@\w[%])/g,
    handle: (m, args, _receiver, ctx) => {
      const fn = m[1] as string;
      const prefix = m[0].slice(0, m[0].length - fn.length);
      const lang = ctx.env.lang;
      if (fn === 'exec' && (lang === 'py' || (lang === 'js' && prefix === ''))) {
        if (lang === 'py') ctx.effects.push({ kind: 'eval', fn, code: str(ctx, args[0]) });
        else shellOrArgv(fn, args, ctx, false);
        return;
      }
      if ((fn === 'run' || fn === 'call') && !/^(?:subprocess\.)$/.test(prefix)) return;
      if (fn === 'execute' && prefix !== 'os.') return;
      if (/^exec[lv]p?e?$/.test(fn)) {
        shellOrArgv(`${prefix}${fn}`, args.slice(1), ctx, true);
        return;
      }
      if (fn === 'pipeline' && prefix !== 'Open3.') return;
      if (fn === 'fork' && lang !== 'js') return;
      if ((fn === 'spawn' || fn === 'fork') && lang === 'py') return;
      const listForm = lang === 'pl' || lang === 'rb' || /^(?:execFileSync|execFile|spawnSync|spawn|system2|pipeline)$/.test(fn) || (lang === 'php' && fn === 'proc_open');
      shellOrArgv(`${prefix}${fn}`, args, ctx, listForm);
    },
  },
  {
    // Deno.Command('rm', { args: [...] }), Bun.spawn(['rm', …])
    re: /(?:new\s+Deno\.Command|Deno\.run|Bun\.spawnSync|Bun\.spawn)\s*\(/g,
    langs: ['js'],
    handle: (m, args, _receiver, ctx) => {
      const list = listElements(substitute(args[0] ?? '', ctx.vars));
      if (list) {
        ctx.effects.push({ kind: 'argv', fn: m[0], argv: list.map((e) => element(ctx, e)) });
        return;
      }
      const inner = /args\s*:\s*(\[[^\]]*\])/.exec(args[1] ?? '')?.[1];
      ctx.effects.push({ kind: 'argv', fn: m[0], argv: [str(ctx, args[0]), ...(listElements(inner ?? '[]') ?? []).map((e) => element(ctx, e))] });
    },
  },
  {
    // Evaluation of code built at run time.
    re: /(?<![\w$.])(eval|compile|Function|instance_eval|class_eval|assert|runInNewContext|runInThisContext|create_function)(?=\s*\(|\s+["'$])/g,
    handle: (m, args, _receiver, ctx) => {
      const fn = m[1] as string;
      if (fn === 'exec') return;
      if (fn === 'assert' && ctx.env.lang !== 'php') return;
      ctx.effects.push({ kind: 'eval', fn, code: str(ctx, args.length > 1 && fn === 'Function' ? args[args.length - 1] : args[0]) });
    },
  },
];

/** Backticks, %x(), qx() in perl/ruby/php, and zx/Bun `$\`…\`` templates in js: shell commands. */
function backtickShells(code: string, ctx: Ctx): void {
  const lang = ctx.env.lang;
  if (lang === 'pl' || lang === 'rb' || lang === 'php') {
    for (let i = 0; i < code.length; i++) {
      const c = code[i];
      if (c === '"' || c === "'") {
        i = endOfString(code, i) - 1;
        continue;
      }
      if (c === '`') {
        const end = endOfString(code, i);
        ctx.effects.push({ kind: 'shell', fn: 'backticks', code: str(ctx, `"${code.slice(i + 1, end - 1)}"`) });
        i = end - 1;
      }
    }
    const re = /(?:%x|qx)\s*([({[<|!/])/g;
    for (let m = re.exec(code); m; m = re.exec(code)) {
      const open = m[1] as string;
      const close = ({ '(': ')', '{': '}', '[': ']', '<': '>' } as Record<string, string>)[open] ?? open;
      const end = code.indexOf(close, m.index + m[0].length);
      ctx.effects.push({ kind: 'shell', fn: m[0].slice(0, 2), code: str(ctx, `"${code.slice(m.index + m[0].length, end === -1 ? undefined : end)}"`) });
    }
  }
  if (lang === 'js') {
    const re = /(?<![\w.])(?:\$|Bun\.\$)\s*`/g;
    for (let m = re.exec(code); m; m = re.exec(code)) {
      const start = m.index + m[0].length - 1;
      const end = endOfString(code, start);
      ctx.effects.push({ kind: 'shell', fn: '$`…`', code: str(ctx, code.slice(start, end)) });
    }
  }
}

/** Scans interpreter code for the effects the guard judges. Bounded: long code is sampled. */
/** Per language: a copy of this process (fork), and a new process not waited for (spawn, Popen …). */
const FORKS: Record<Lang, RegExp | undefined> = {
  py: /\bos\.fork(?:pty)?\s*\(|\bfork\s*\(/,
  pl: /\bfork\b/,
  rb: /\bfork\b/,
  js: /\b(?:cluster\.)?fork\s*\(/,
  php: /\bpcntl_fork\s*\(/,
  lua: undefined,
  r: undefined,
};
const SPAWNS: Record<Lang, RegExp | undefined> = {
  py: /\b(?:Popen|spawnl?v?p?e?|Process)\s*\(|\bos\.spawn/,
  pl: /\bexec\b|\bsystem\s*\([^\n&]{0,200}&/,
  rb: /\bspawn\s*\(|Process\.spawn/,
  js: /\b(?:spawn|exec|execFile)\s*\(|new\s+Worker\s*\(/,
  php: /\bproc_open\s*\(|\bpopen\s*\(/,
  lua: undefined,
  r: undefined,
};
const ENDLESS = /\bwhile\s*\(\s*(?:true|True|TRUE|1|!0)\s*\)|\bwhile\s+(?:True|true|1)\s*(?::|do\b|;|\n|$)|\bfor\s*\(\s*;\s*;\s*\)|\bloop\s*(?:\{|do\b)|\buntil\s*\(?\s*(?:false|0)\s*\)?\s*(?:\{|do\b|;|\n)|\bwhile\s*\(\s*\)/;
const POSTFIX = /\bfork\s*(?:\(\s*\))?\s+(?:while|until|for)\b|\b(?:while|until)\s*\(?\s*fork\b/;
/** Python iterators that never end (`for _ in iter(int, 1)`, `itertools.count()`), also in a comprehension. */
const ENDLESS_ITER = /\bfor\s+\w+\s+in\s+(?:iter\s*\(\s*int\s*,|(?:itertools\.)?(?:count|repeat|cycle)\s*\()/;
const PAUSE = /\bsleep\b|\bwait(?:pid)?\s*\(|\.wait\s*\(|\bjoin\s*\(|\bcommunicate\s*\(|\bawait\b|Sync\s*\(/;

/** A fork in an endless loop (`while True: os.fork()`, `fork while fork`, `loop { fork }`), or spawning without pause. */
function forkLoop(bare: string, lang: Lang): string | undefined {
  const fork = FORKS[lang];
  if (fork && (lang === 'pl' || lang === 'rb') && POSTFIX.test(bare)) return 'fork';
  if (fork && lang === 'py' && ENDLESS_ITER.test(bare)) {
    const forked = fork.exec(bare);
    if (forked) return forked[0].trim();
  }
  const loop = ENDLESS.exec(bare) ?? (lang === 'py' ? ENDLESS_ITER.exec(bare) : null);
  if (!loop) return undefined;
  const body = bare.slice(loop.index);
  const forked = fork?.exec(body);
  if (forked) return forked[0].trim();
  const spawned = SPAWNS[lang]?.exec(body);
  if (spawned && !PAUSE.test(body)) return spawned[0].trim();
  return undefined;
}

export function scanCode(codeIn: string, env: CodeEnv): CodeEffect[] {
  const code = codeIn.length > MAX_SCAN_CHARS ? codeIn.slice(0, MAX_SCAN_CHARS) : codeIn;
  const ctx: Ctx = { code, env, vars: assignments(code), effects: [] };
  const bomb = forkLoop(withoutLiterals(code), env.lang);
  if (bomb) ctx.effects.push({ kind: 'fork-bomb', fn: bomb });
  const inString = stringMask(code);
  for (const sink of SINKS) {
    if (sink.langs && !sink.langs.includes(env.lang)) continue;
    sink.re.lastIndex = 0;
    let matches = 0;
    for (let m = sink.re.exec(code); m; m = sink.re.exec(code)) {
      // Inside a string literal: data, not a call.
      if (inString[m.index] === 1) continue;
      if (++matches > MAX_MATCHES_PER_SINK) {
        ctx.effects.push({ kind: 'unread', fn: m[0].trim() });
        break;
      }
      const after = m.index + m[0].length;
      const { args } = readArgs(code, after);
      const receiver = m[0].startsWith('.') ? receiverBefore(code, m.index) : code[m.index - 1] === '.' ? receiverBefore(code, m.index - 1) : '';
      try {
        sink.handle(m, args, receiver, ctx);
      } catch {
        ctx.effects.push({ kind: 'opaque', fn: m[0] });
      }
    }
  }
  backtickShells(code, ctx);
  if (codeIn.length > code.length) {
    // The unread rest: any call the guard would judge there blocks, rather than slipping past the budget.
    const rest = codeIn.slice(code.length - 200);
    for (const sink of SINKS) {
      if (sink.langs && !sink.langs.includes(env.lang)) continue;
      sink.re.lastIndex = 0;
      const m = sink.re.exec(rest);
      if (m) {
        ctx.effects.push({ kind: 'unread', fn: m[0].trim() });
        break;
      }
    }
  }
  // eval handed over as a callback: fetch(url).then(r => r.text()).then(eval)
  const bare = withoutLiterals(code);
  if (/[(,]\s*(?:eval|exec|Function)\s*\)/.test(bare)) ctx.effects.push({ kind: 'eval', fn: 'eval', code: { value: UNKNOWN, taint: NETWORK.test(bare) || /https?:\/\//.test(code) ? 'network' : DECODE.test(bare) ? 'decode' : undefined } });
  return ctx.effects;
}

/** 1 for every index inside a string literal. */
function stringMask(code: string): Uint8Array {
  const mask = new Uint8Array(code.length);
  for (let k = 0; k < code.length; k++) {
    if (isQuote(code[k])) {
      const end = endOfString(code, k);
      mask.fill(1, k + 1, Math.max(k + 1, end - 1));
      k = end - 1;
    }
  }
  return mask;
}

const LANGS: Record<string, Lang> = { python: 'py', node: 'js', deno: 'js', bun: 'js', perl: 'pl', ruby: 'rb', php: 'php', lua: 'lua', Rscript: 'r' };

export const langOf = (name: string): Lang | undefined => LANGS[name];
