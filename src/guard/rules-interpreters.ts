// Interpreters: code given inline (-c/-e/-r/eval), on stdin (pipes, heredocs) or by a tainted script path.
// Inline code is scanned for deletions, writes and shell-outs on dangerous targets (scan-code.ts).
import { posix } from 'node:path';
import type { Invocation, RuleContext, RuleModule } from './rule-context.js';
import { literalArg, UNKNOWN, type Arg } from './resolve-word.js';
import { stdinCode, taintFinding } from './stdin-content.js';
import { langOf, MAX_SCAN_CHARS, scanCode, type CodeEffect, type CodeValue, type Lang } from './scan-code.js';

interface Parsed {
  codes: Arg[];
  script: Arg | undefined;
  scriptArgs: Arg[];
  module: Arg | undefined;
  moduleArgs: Arg[];
}

/** Per language: flags whose next word is code, flags that take a value. */
const FLAGS: Record<Lang, { code: RegExp; valued: Set<string> }> = {
  py: { code: /^-[a-zA-Z]*c$/, valued: new Set(['-W', '-X', '-Q', '--check-hash-based-pycs']) },
  js: { code: /^(?:-e|--eval|-p|--print|-pe|-ep)$/, valued: new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '-C', '--conditions', '--input-type', '--env-file', '--title', '--stack-size', '--max-old-space-size']) },
  pl: { code: /^-[a-zA-Z]*[eE]$/, valued: new Set(['-I', '-M', '-m', '-x', '-0']) },
  rb: { code: /^-[a-zA-Z]*e$/, valued: new Set(['-r', '-I', '-C', '-E', '--encoding']) },
  php: { code: /^-r$/, valued: new Set(['-c', '-d', '-z', '-t']) },
  lua: { code: /^-e$/, valued: new Set(['-l']) },
  r: { code: /^-e$/, valued: new Set(['--default-packages']) },
};

function parseArgs(args: Arg[], lang: Lang): Parsed {
  const { code, valued } = FLAGS[lang];
  const parsed: Parsed = { codes: [], script: undefined, scriptArgs: [], module: undefined, moduleArgs: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as Arg;
    const v = a.value;
    if (code.test(v)) {
      const next = args[i + 1];
      if (next) parsed.codes.push(next);
      i++;
      // python -c / node -e: the words after the code are its argv, not more options.
      if (lang === 'py' || lang === 'js' || lang === 'php') return parsed;
      continue;
    }
    if (lang === 'py' && v === '-m') {
      parsed.module = args[i + 1];
      parsed.moduleArgs = args.slice(i + 2);
      return parsed;
    }
    if (v === '--') {
      parsed.script = args[i + 1];
      parsed.scriptArgs = args.slice(i + 2);
      return parsed;
    }
    if (v.startsWith('-') && v !== '-') {
      if (valued.has(v)) i++;
      continue;
    }
    if (parsed.codes.length > 0) return parsed;
    parsed.script = a;
    parsed.scriptArgs = args.slice(i + 1);
    return parsed;
  }
  return parsed;
}

const toArg = (value: CodeValue): Arg => ({ text: value.value.replace(new RegExp(UNKNOWN, 'g'), '…'), value: value.value, globAt: -1, taint: value.taint });

function applyEffects(effects: CodeEffect[], lang: Lang, inv: Invocation, an: RuleContext, depth: number): void {
  const via = (fn: string): string => `${inv.name} ${fn}`;
  for (const effect of effects) {
    switch (effect.kind) {
      case 'delete':
      case 'write': {
        const arg = toArg(effect.path);
        an.target({ op: effect.kind, arg, path: an.path(arg, inv), recursive: effect.kind === 'delete' && effect.recursive, segment: inv.segment, via: via(effect.fn) });
        break;
      }
      case 'shell':
        if (effect.code.taint) taintFinding(an, effect.code.taint, inv.segment, `runs (through ${effect.fn})`);
        else if (effect.code.value !== UNKNOWN) an.runShellString(toArg(effect.code), [], inv);
        else an.uncertain();
        break;
      case 'argv': {
        const tainted = effect.argv.find((a) => a.taint);
        if (tainted?.taint) taintFinding(an, tainted.taint, inv.segment, `runs (through ${effect.fn})`);
        // The child inherits the interpreter's stdin (subprocess.run, spawnSync with stdio inherit, system).
        else if (effect.argv.length > 0) an.invoke(effect.argv.map(toArg), { state: inv.state, depth: inv.depth + 1, segment: inv.segment, background: false, stdin: inv.stdin });
        break;
      }
      case 'eval':
        if (effect.code.taint) taintFinding(an, effect.code.taint, inv.segment, `evaluates (through ${effect.fn})`);
        else if (!effect.code.value.includes(UNKNOWN) && depth < 3) applyEffects(scanCode(effect.code.value, { lang, home: an.context.home }), lang, inv, an, depth + 1);
        else an.uncertain();
        break;
      case 'opaque':
        an.uncertain();
        break;
      case 'fork-bomb':
        an.add('fork-bomb', 'deny', `this ${inv.name} code calls ${effect.fn} in an endless loop: every copy starts more, until the machine runs out of processes (a fork bomb). Remove the loop, or bound it and wait for each one.`, inv.segment);
        break;
      case 'unread':
        an.uncertain();
        an.add('too-complex', 'deny', `this ${inv.name} code is longer than fanout reads (${MAX_SCAN_CHARS / 1000} KB, or more than a few hundred calls of one kind), and the unread part calls ${effect.fn}; fanout does not clear code it has not read. Write the code to a file, review it, and run the file.`, inv.segment);
        break;
    }
  }
}

function scan(code: string, lang: Lang, inv: Invocation, an: RuleContext): void {
  applyEffects(scanCode(code, { lang, home: an.context.home }), lang, inv, an, 0);
}

/** Scripts that are really a CLI with known subcommands: manage.py, artisan, fanout's own cli.mjs. */
function knownScript(script: Arg, rest: Arg[], inv: Invocation, an: RuleContext): boolean {
  const base = posix.basename(script.value);
  // `node …/cli.mjs orchestrate plan.md`: fanout's CLI bundle run directly is `fanout orchestrate`, gated the same way.
  const cli = /(?:^|\/)cli\.mjs$/.test(script.value) && rest[0]?.value === 'orchestrate' ? 'fanout' : undefined;
  const program = cli ?? (base === 'manage.py' || base === 'artisan' ? base : undefined);
  if (program === undefined) return false;
  an.invoke([literalArg(program), ...rest], { state: inv.state, depth: inv.depth + 1, segment: inv.segment, background: inv.background, stdin: undefined });
  return true;
  return false;
}

export function ruleInterpreter(inv: Invocation, an: RuleContext): void {
  const key = inv.name.startsWith('pypy') ? 'python' : inv.name.replace(/(?:\d+(?:\.\d+)*)?$/, '');
  const lang = langOf(key);
  if (!lang) return;
  an.uncertain();
  let args = inv.args.slice(1);
  if (key === 'deno') {
    const sub = args[0]?.value;
    if (sub === 'eval') args = [literalArg('-e'), ...args.slice(1).filter((a) => !a.value.startsWith('-'))];
    else if (sub === 'run') args = args.slice(1);
    else return;
  } else if (key === 'bun') {
    if (!args.some((a) => a.value === '-e' || a.value === '--eval' || a.value === '-p' || a.value === '--print')) return;
  }
  const parsed = parseArgs(args, lang);
  for (const code of parsed.codes) {
    if (code.taint) taintFinding(an, code.taint, inv.segment, 'runs');
    else scan(code.value, lang, inv, an);
  }
  if (parsed.codes.length > 0) return;
  if (parsed.module) {
    if (parsed.module.value === 'pip') an.invoke([literalArg('pip'), ...parsed.moduleArgs], { state: inv.state, depth: inv.depth + 1, segment: inv.segment, background: inv.background, stdin: undefined });
    return;
  }
  const script = parsed.script;
  if (script && script.value !== '-' && script.value !== '/dev/stdin') {
    if (script.taint) taintFinding(an, script.taint, inv.segment, 'runs');
    else if (!knownScript(script, parsed.scriptArgs, inv, an)) {
      // A script this command wrote (`cat > /tmp/x.py <<EOF … python /tmp/x.py`): scan what it holds.
      const written = an.writtenScript(script, inv);
      if (written?.taint) taintFinding(an, written.taint, inv.segment, `runs ${script.value}, written earlier in this command from`);
      else if (written) scan(written.text, lang, inv, an);
    }
    return;
  }
  const stdin = stdinCode(inv);
  if (stdin.kind === 'taint') taintFinding(an, stdin.taint, inv.segment, 'runs');
  else if (stdin.kind === 'text') scan(stdin.text, lang, inv, an);
}

const AWK_VALUED = new Set(['-F', '-v', '--assign', '--field-separator', '-i', '--include', '-l', '--load', '-W']);
const AWK_STRING = /"(?:[^"\\\n]|\\.)*"/g;

function awkString(literal: string): string {
  return literal.slice(1, -1).replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
}

/** An awk expression as a string: its literals concatenated, anything computed unknown (`"rm -rf " $1` → rm -rf <unknown>). */
function awkValue(expr: string): string {
  let out = '';
  let last = 0;
  for (const m of expr.matchAll(AWK_STRING)) {
    if (expr.slice(last, m.index).trim() !== '') out += UNKNOWN;
    out += awkString(m[0]);
    last = m.index + m[0].length;
  }
  if (expr.slice(last).trim() !== '') out += UNKNOWN;
  return out.replace(/\u0000+/g, UNKNOWN);
}

/** The text of a balanced (…) starting at `open`, strings skipped; undefined when unbalanced. */
function awkParens(code: string, open: number): string | undefined {
  let depth = 0;
  for (let i = open; i < code.length; i++) {
    const c = code[i];
    if (c === '"') {
      const m = /^"(?:[^"\\\n]|\\.)*"/.exec(code.slice(i));
      if (!m) return undefined;
      i += m[0].length - 1;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return code.slice(open + 1, i);
  }
  return undefined;
}

const AWK_SHELLS = /^(?:ba|da|z|k)?sh$/;

/** awk/gawk/mawk: `system("…")`, `print … | "cmd"`, `"cmd" | getline` run shell commands; `print > "f"` writes a file. */
export function ruleAwk(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  let program: Arg | undefined;
  for (let i = 0; i < rest.length; i++) {
    const v = (rest[i] as Arg).value;
    if (v === '--') {
      program ??= rest[i + 1];
      break;
    }
    if (v === '-f' || v === '--file') {
      // A program file: only visible when this command wrote it.
      const file = rest[i + 1];
      const written = file ? an.writtenScript(file, inv) : undefined;
      if (written?.taint) taintFinding(an, written.taint, inv.segment, 'runs');
      program = written ? literalArg(written.text) : undefined;
      if (!written) an.uncertain();
      break;
    }
    if (v === '-e' || v === '--source') {
      program = rest[i + 1];
      break;
    }
    if (AWK_VALUED.has(v)) {
      i++;
      continue;
    }
    if (v.startsWith('-') && v !== '-') continue;
    program = rest[i];
    break;
  }
  if (!program) return;
  if (program.taint) {
    taintFinding(an, program.taint, inv.segment, 'runs');
    return;
  }
  const code = program.value;
  if (!/system|\||>/.test(code)) return;
  an.uncertain();
  let runs = 0;
  const run = (cmd: string): void => {
    if (cmd === UNKNOWN || cmd === '') return;
    // Bounded: past 64 commands the program is not read further, and it holds more commands, so it is blocked.
    if (++runs > 64) {
      if (runs === 65) an.add('too-complex', 'deny', `this awk program runs more than 64 shell commands; fanout does not read that many. Write the commands to a script file, review it, and run it.`, inv.segment);
      return;
    }
    an.runShellString(literalArg(cmd), [], inv);
  };
  for (const m of code.matchAll(/\bsystem\s*\(/g)) {
    const inner = awkParens(code, m.index + m[0].length - 1);
    if (inner !== undefined) run(awkValue(inner));
  }
  // print … | "cmd": the printed text goes to cmd's stdin; when cmd is a shell, that text runs too.
  for (const m of code.matchAll(/\b(print|printf)\b([^;}\n|]*)\|&?\s*("(?:[^"\\\n]|\\.)*")/g)) {
    const cmd = awkString(m[3] as string);
    run(cmd);
    if (AWK_SHELLS.test(cmd.trim().split(/\s+/)[0] ?? '')) run(awkValue((m[2] as string).replace(/^\s*\(|\)\s*$/g, '')));
  }
  for (const m of code.matchAll(/("(?:[^"\\\n]|\\.)*")\s*\|&?\s*getline/g)) run(awkString(m[1] as string));
  for (const m of code.matchAll(/\b(?:print|printf)\b[^;}\n|>]*(>>?)\s*("(?:[^"\\\n]|\\.)*")/g)) {
    const arg = literalArg(awkString(m[2] as string));
    an.target({ op: 'write', arg, path: an.path(arg, inv), recursive: false, segment: inv.segment, via: `awk print ${m[1] as string}` });
  }
}

export const interpreterRules: RuleModule[] = [
  { name: 'interpreter', commands: ['python', 'node', 'perl', 'ruby', 'php', 'deno', 'bun', 'lua', 'Rscript', 'osascript', 'pwsh'], check: ruleInterpreter },
  { name: 'awk', commands: ['awk', 'gawk', 'mawk', 'nawk'], check: ruleAwk },
];
