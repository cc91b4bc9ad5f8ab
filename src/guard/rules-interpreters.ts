// Interpreters: code given inline (-c/-e/-r/eval), on stdin (pipes, heredocs) or by a tainted script path.
// Inline code is scanned for deletions, writes and shell-outs on dangerous targets (scan-code.ts).
import { posix } from 'node:path';
import { taintFinding, type Analysis, type Invocation } from './analyze-command.js';
import { literalArg, UNKNOWN, type Arg } from './resolve-word.js';
import { fanoutViaNode } from './rules-agents.js';
import { stdinCode } from './rules-exec.js';
import { langOf, scanCode, type CodeEffect, type CodeValue, type Lang } from './scan-code.js';

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

function applyEffects(effects: CodeEffect[], lang: Lang, inv: Invocation, an: Analysis, depth: number): void {
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
        else an.certain = false;
        break;
      case 'argv': {
        const tainted = effect.argv.find((a) => a.taint);
        if (tainted?.taint) taintFinding(an, tainted.taint, inv.segment, `runs (through ${effect.fn})`);
        else if (effect.argv.length > 0) an.invoke(effect.argv.map(toArg), { state: inv.state, depth: inv.depth + 1, segment: inv.segment, background: false, stdin: undefined });
        break;
      }
      case 'eval':
        if (effect.code.taint) taintFinding(an, effect.code.taint, inv.segment, `evaluates (through ${effect.fn})`);
        else if (!effect.code.value.includes(UNKNOWN) && depth < 3) applyEffects(scanCode(effect.code.value, { lang, home: an.context.home }), lang, inv, an, depth + 1);
        else an.certain = false;
        break;
      case 'opaque':
        an.certain = false;
        break;
    }
  }
}

function scan(code: string, lang: Lang, inv: Invocation, an: Analysis): void {
  applyEffects(scanCode(code, { lang, home: an.context.home }), lang, inv, an, 0);
}

/** Scripts that are really a CLI with known subcommands: manage.py, artisan, fanout's own cli.mjs. */
function knownScript(script: Arg, rest: Arg[], inv: Invocation, an: Analysis): boolean {
  const base = posix.basename(script.value);
  if (fanoutViaNode(inv, an, script, rest)) return true;
  if (base === 'manage.py' || base === 'artisan') {
    an.invoke([literalArg(base), ...rest], { state: inv.state, depth: inv.depth + 1, segment: inv.segment, background: inv.background, stdin: undefined });
    return true;
  }
  return false;
}

export function ruleInterpreter(inv: Invocation, an: Analysis): void {
  const key = inv.name.startsWith('pypy') ? 'python' : inv.name.replace(/(?:\d+(?:\.\d+)*)?$/, '');
  const lang = langOf(key);
  if (!lang) return;
  an.certain = false;
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
    else knownScript(script, parsed.scriptArgs, inv, an);
    return;
  }
  const stdin = stdinCode(inv);
  if (stdin.kind === 'taint') taintFinding(an, stdin.taint, inv.segment, 'runs');
  else if (stdin.kind === 'text') scan(stdin.text, lang, inv, an);
}
