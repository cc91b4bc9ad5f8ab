// Walks what bash would execute (parsed once with unbash) and runs the rules on every command that would run,
// however it is wrapped or nested. Pure: paths and the home dir come from the context.
import { posix } from 'node:path';
import { forEachChild, parse, type Command, type CompoundList, type ParsedScript, type PipelineNode, type AndOr, type Redirection, type SyntaxNode, type Word } from 'unbash';
import type { Constraints } from '../constraints/schema.js';
import { classifyAbs, pathOf, type PathInfo } from './classify-path.js';
import { judgeTargets } from './judge-targets.js';
import { xargsItems } from './list-items.js';
import { cloneState, expandBraces, isKnown, literalArg, lookupVar, newState, resolveWord, UNKNOWN, type Arg, type ShellState, type Taint, type WordEnv } from './resolve-word.js';
import type { InvokeAt, Invocation, RuleContext, Stdin, Target, WrittenFile } from './rule-context.js';
import { finishRules, runRules } from './rule-registry.js';
import { decodes, isNetwork, pipeContent, printedContent, taintFinding } from './stdin-content.js';
import type { Finding, GuardContext, Severity } from './types.js';
import { commandName, unwrapCommand } from './unwrap-command.js';

export type { Invocation, Stdin } from './rule-context.js';

/** Nested shells, evals and substitutions deeper than this are not unpacked. */
export const MAX_DEPTH = 10;
/** Commands analysed per call; past this the rest is judged by its words alone. */
export const MAX_STEPS = 20_000;
/** Longer commands are not analysed at all. */
export const MAX_COMMAND_CHARS = 4 * 1024 * 1024;

/** Pipeline stages a stage's stdin keeps track of (beyond these, only the network/decoding ones). */
const PIPE_WINDOW = 32;

/** Builtins that only change the shell's directory: they print nothing a substitution would capture. */
const CWD_BUILTINS = new Set(['cd', 'pushd', 'popd']);

const DANGER_WORD =
  /(?:^|[\s;&|(){}`'"=\\])(rm|rmdir|unlink|shred|dd|mkfs(?:\.\w+)?|mke2fs|wipefs|fdisk|sfdisk|parted|chmod|chown|kill|pkill|killall|shutdown|reboot|halt|poweroff|sudo|doas|su|eval|exec|curl|wget|find|mv|cp|truncate|git|python[\d.]*|node|perl|ruby|bash|sh|zsh|dash|docker|podman|claude|xargs|fanout|tee)(?=$|[\s;&|(){}`'"\\])/;

/** A command word that could do damage, found in text that was not (or could not be) parsed. */
export function dangerWord(text: string): string | undefined {
  const sample = text.length > 200_000 ? text.slice(0, 200_000) : text;
  return DANGER_WORD.exec(sample)?.[1];
}

function shorten(text: string): string {
  const flat = text.length > 400 ? `${text.slice(0, 200)} … ${text.slice(-120)}` : text;
  return flat.replace(/\u0000/g, '…').trim();
}

export class Analysis implements RuleContext {
  readonly findings: Finding[] = [];
  readonly targets: Target[] = [];
  /** False once something writes where the guard cannot see (unknown names, evals of unknown text, interpreters). */
  certain = true;
  private steps = 0;
  private loops = 0;
  private overBudget = false;
  private readonly seen = new Set<string>();

  constructor(
    readonly constraints: Constraints,
    readonly context: GuardContext,
  ) {}

  add(ruleId: string, severity: Severity, message: string, segment: string): void {
    const key = `${ruleId}\u0000${segment}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.findings.push({ ruleId, severity, message, segment: shorten(segment) });
  }

  target(target: Target): void {
    if (target.path.kind !== 'exact') this.certain = false;
    this.targets.push(target);
  }

  uncertain(): void {
    this.certain = false;
  }

  capture(run: () => void): { targets: Target[]; findings: Finding[] } {
    const targets = this.targets.length;
    const findings = this.findings.length;
    run();
    return { targets: this.targets.splice(targets), findings: this.findings.slice(findings) };
  }

  private readonly memories = new Map<string, unknown>();

  memory<T>(key: string, init: () => T): T {
    if (!this.memories.has(key)) this.memories.set(key, init());
    return this.memories.get(key) as T;
  }

  /** Resolves a path argument against the invocation's working directory. */
  path(arg: Arg, inv: Invocation): PathInfo {
    return pathOf(arg, inv.state.cwd);
  }

  /** Analyses shell source: the whole command, or a string run by bash -c, eval, a heredoc, an alias… */
  source(text: string, state: ShellState, depth: number, origin: string): void {
    if (depth > MAX_DEPTH) {
      this.certain = false;
      const word = dangerWord(text);
      if (word !== undefined) {
        this.add('nesting-too-deep', 'deny', `this command nests shells, evals or substitutions more than ${MAX_DEPTH} levels deep and the innermost part runs '${word}'; fanout does not unpack that far. Run the inner command directly.`, origin);
      }
      return;
    }
    let script: ParsedScript;
    try {
      script = parse(text);
    } catch (error) {
      this.unparseable(text, error instanceof Error ? error.message : String(error), origin);
      return;
    }
    this.script(script, text, state, depth);
  }

  private unparseable(text: string, why: string, segment: string): void {
    this.certain = false;
    const word = dangerWord(text);
    if (word === undefined) return;
    this.add(
      'unparseable-command',
      'deny',
      `fanout could not parse this command (${why}) and it contains '${word}'; a command the guard cannot read is blocked when it could be dangerous. Fix the quoting or split it into simpler commands.`,
      segment,
    );
  }

  script(script: ParsedScript, source: string, state: ShellState, depth: number): void {
    const src = script.source ?? source;
    if (script.errors && script.errors.length > 0) {
      const first = script.errors[0];
      this.unparseable(src, first ? `${first.message} at offset ${first.pos}` : 'syntax error', src);
    }
    for (const statement of script.commands) this.node(statement.command, src, state, depth, statement.background === true);
  }

  private list(list: CompoundList, src: string, state: ShellState, depth: number, background: boolean): void {
    for (const statement of list.commands) this.node(statement.command, src, state, depth, background || statement.background === true);
  }

  private step(src: string, node: { pos: number; end: number }): boolean {
    if (++this.steps <= MAX_STEPS) return true;
    if (!this.overBudget) {
      this.overBudget = true;
      this.certain = false;
    }
    const rest = src.slice(node.pos, node.end);
    const word = dangerWord(rest);
    if (word !== undefined) {
      this.add('too-complex', 'deny', `this command has more than ${MAX_STEPS} parts; fanout stopped analysing it and the rest runs '${word}'. Split it into smaller commands or write a script file and review it.`, rest);
    }
    return false;
  }

  private node(node: PipelineNode | AndOr, src: string, state: ShellState, depth: number, background: boolean, stdin?: Stdin): Invocation | undefined {
    if (!this.step(src, node)) return undefined;
    switch (node.type) {
      case 'AndOr':
        for (const command of node.commands) this.node(command, src, state, depth, background);
        return undefined;
      case 'Pipeline': {
        if (node.commands.length === 1) return this.node(node.commands[0] as PipelineNode, src, state, depth, background);
        const producers: Array<Invocation | undefined> = [];
        // Long pipelines: each stage sees the last stages plus the first network/decoding producer (what pipeContent
        // needs), not a fresh copy of every earlier stage (quadratic in the stage count).
        const carriers: Invocation[] = [];
        for (const command of node.commands) {
          const seen = producers.length <= PIPE_WINDOW ? [...producers] : [...carriers, ...producers.slice(-PIPE_WINDOW)];
          const stageStdin: Stdin | undefined = producers.length > 0 ? { kind: 'pipe', producers: seen } : undefined;
          const inv = this.node(command, src, cloneState(state), depth, background, stageStdin);
          producers.push(inv);
          if (inv && carriers.length < 2 && pipeContent([inv]).taint && !carriers.some((c) => pipeContent([c]).taint === pipeContent([inv]).taint)) carriers.push(inv);
        }
        return undefined;
      }
      case 'Command':
        return this.command(node, src, state, depth, background, stdin);
      case 'Subshell':
        this.list(node.body, src, cloneState(state), depth, background);
        return undefined;
      case 'BraceGroup':
        this.list(node.body, src, state, depth, background);
        return undefined;
      case 'If':
        this.list(node.clause, src, state, depth, background);
        this.list(node.then, src, state, depth, background);
        for (const elif of node.elif) {
          this.list(elif.clause, src, state, depth, background);
          this.list(elif.then, src, state, depth, background);
        }
        if (node.else) this.list(node.else, src, state, depth, background);
        return undefined;
      case 'For':
      case 'Select': {
        const env = this.wordEnv(state, depth, src);
        const values = (node.wordlist ?? []).flatMap((w) => expandBraces(resolveWord(w, env)));
        const name = node.name.value;
        this.loops++;
        // Unrolled for known words, two loops deep at most (nested loops multiply: 16^8 bodies otherwise).
        if (node.wordlist && values.length > 0 && values.length <= 16 && this.loops <= 2 && values.every((v) => v.globAt === -1)) {
          for (const value of values) {
            const inner = cloneState(state);
            inner.vars.set(name, value.value);
            this.list(node.body, src, inner, depth, background);
          }
        } else {
          const inner = cloneState(state);
          inner.vars.set(name, UNKNOWN);
          this.list(node.body, src, inner, depth, background);
        }
        this.loops--;
        return undefined;
      }
      case 'While':
        this.list(node.clause, src, state, depth, background);
        this.loops++;
        this.list(node.body, src, state, depth, background);
        this.loops--;
        return undefined;
      case 'ArithmeticFor':
        this.loops++;
        this.list(node.body, src, state, depth, background);
        this.loops--;
        this.scanSubstitutions(node, src, state, depth);
        return undefined;
      case 'Case':
        resolveWord(node.word, this.wordEnv(state, depth, src));
        for (const item of node.items) this.list(item.body, src, state, depth, background);
        return undefined;
      case 'Function': {
        this.forkBomb(node.name.value, node.body, src);
        const body = node.body;
        // The body is analysed where it is called, with its arguments; a function never called is analysed at the end.
        if (this.functions.size < 64) {
          this.functions.set(node.name.value, { body, src, state: cloneState(state), depth, background, called: false });
          return undefined;
        }
        if (body.type === 'CompoundList') this.list(body, src, cloneState(state), depth, background);
        else this.node(body, src, cloneState(state), depth, background);
        return undefined;
      }
      case 'Redirected':
        this.node(node.command, src, state, depth, background);
        this.redirects(node.redirects, src, state, depth, undefined);
        return undefined;
      case 'Coproc': {
        const body = node.body;
        if (body.type === 'CompoundList') this.list(body, src, cloneState(state), depth, true);
        else this.node(body, src, cloneState(state), depth, true);
        return undefined;
      }
      case 'TestCommand':
      case 'ArithmeticCommand':
        this.scanSubstitutions(node, src, state, depth);
        return undefined;
    }
  }

  /** Finds command substitutions anywhere under a node the walker does not model ([[ ]], (( ))). */
  private scanSubstitutions(node: SyntaxNode, src: string, state: ShellState, depth: number): void {
    const visit = (child: SyntaxNode): void => {
      if (child.type === 'CommandExpansion' || child.type === 'ProcessSubstitution' || child.type === 'ArithmeticCommandExpansion') {
        this.substitution(child.script, child.text, state, depth, src);
        return;
      }
      forEachChild(child, visit);
    };
    forEachChild(node, visit);
  }

  private forkBomb(name: string, body: SyntaxNode, src: string): void {
    let calls = 0;
    let backgrounded = false;
    const visit = (child: SyntaxNode): void => {
      if (child.type === 'Statement' && child.background) backgrounded = true;
      if (child.type === 'Command' && child.name?.value === name) calls++;
      if (child.type === 'Pipeline' && child.commands.filter((c) => c.type === 'Command' && c.name?.value === name).length >= 2) calls += 2;
      forEachChild(child, visit);
    };
    forEachChild(body, visit);
    if (calls >= 2 || (calls >= 1 && backgrounded)) {
      this.add('fork-bomb', 'deny', `function '${name}' calls itself more than once per call: a fork bomb that takes the machine down. Remove it.`, src.slice(body.pos, body.end));
    }
  }

  wordEnv(state: ShellState, depth: number, src: string): WordEnv {
    return {
      state,
      home: this.context.home,
      projectDir: this.context.projectDir,
      substitute: (script, text, process) => this.substitution(script, text, state, depth, src, process),
      budget: this.expansionBudget,
    };
  }

  /** Analyses $( ), ` ` and <( ): they run. Says what they print when that is knowable. */
  private substitution(script: ParsedScript | undefined, text: string, state: ShellState, depth: number, src: string, process = false): { value: string; taint: Taint | undefined } {
    if (depth + 1 > MAX_DEPTH) {
      this.source(text, state, depth + 1, text);
      return { value: UNKNOWN, taint: undefined };
    }
    if (!script) {
      this.source(text.replace(/^\$\(|^`|^[<>]\(|[)`]$/g, ''), cloneState(state), depth + 1, text);
      return { value: UNKNOWN, taint: undefined };
    }
    const inner = cloneState(state);
    const before = this.invocationsSeen.length;
    this.script(script, src, inner, depth + 1);
    const ran = this.invocationsSeen.slice(before).filter((inv) => inv.depth === depth + 1);
    this.invocationsSeen.length = before;
    let taint: Taint | undefined;
    if (ran.some((inv) => isNetwork(inv) || inv.args.some((a) => a.taint === 'network'))) taint = 'network';
    else if (ran.some((inv) => decodes(inv) || inv.args.some((a) => a.taint === 'decode'))) taint = 'decode';
    if (process) return { value: '/dev/fd/63', taint };
    // `$(cd .. && pwd)`: the cd only moves the substitution's own shell; what prints is the last command.
    const printing = ran.filter((inv) => !CWD_BUILTINS.has(inv.name));
    const only = printing.length === 1 ? printing[0] : undefined;
    if (only && only.stdin === undefined) {
      if (only.name === 'pwd') return { value: only.state.cwd ?? UNKNOWN, taint };
      if (only.name === 'echo' && only.args.length >= 2) return { value: only.args.slice(1).filter((a) => !/^-[neE]+$/.test(a.value)).map((a) => a.value).join(' '), taint: taint ?? only.args.find((a) => a.taint)?.taint };
      if (only.name === 'printf' && only.args.length === 2 && !only.args[1]?.value.includes('%') && !only.args[1]?.value.includes('\\')) return { value: only.args[1]?.value ?? '', taint };
      if (only.name === 'git' && only.args.some((a) => a.value === '--show-toplevel')) return { value: this.context.repoRoot, taint };
      if (only.name === 'git' && only.args.some((a) => a.value === '--git-dir' || a.value === '--absolute-git-dir' || a.value === '--git-common-dir')) return { value: this.context.gitDir, taint };
      if ((only.name === 'realpath' || (only.name === 'readlink' && only.args.some((a) => /^-[a-zA-Z]*[fem]/.test(a.value)))) && only.args.length >= 2) {
        const operand = only.args.slice(1).filter((a) => !a.value.startsWith('-'));
        const path = operand.length === 1 ? pathOf(operand[0] as Arg, only.state.cwd) : undefined;
        if (path?.kind === 'exact') return { value: path.abs, taint };
      }
      if (only.name === 'mktemp') return { value: `/tmp/${UNKNOWN}`, taint };
      if (only.name === 'dirname' && only.args[1] && isKnown(only.args[1])) return { value: posix.dirname(only.args[1].value), taint };
    }
    return { value: UNKNOWN, taint };
  }

  /** Functions defined in this command (`f() { rm -rf "$1"; }; f ~`), by name. */
  private readonly functions = new Map<string, { body: Extract<SyntaxNode, { type: 'Function' }>['body']; src: string; state: ShellState; depth: number; background: boolean; called: boolean }>();

  /** Analyses the functions this command defines but never calls (their arguments unknown): they may run later. */
  uncalledFunctions(): void {
    for (const fn of this.functions.values()) {
      if (fn.called) continue;
      fn.called = true;
      if (fn.body.type === 'CompoundList') this.list(fn.body, fn.src, fn.state, fn.depth, fn.background);
      else this.node(fn.body, fn.src, fn.state, fn.depth, fn.background);
    }
  }
  /** Functions whose body is being analysed (a recursive call is not followed again). */
  private readonly calling = new Set<string>();

  /** Characters variable and substitution expansions may produce in this analysis (bounds `x=$x$x` doubling). */
  private readonly expansionBudget = { left: 32 * 1024 * 1024 };

  /** Invocations recorded while analysing a substitution (to tell what it prints). */
  private readonly invocationsSeen: Invocation[] = [];

  private redirects(redirects: readonly Redirection[], src: string, state: ShellState, depth: number, commandText: string | undefined, outs?: Array<{ abs: string; append: boolean }>): Stdin | undefined {
    let stdin: Stdin | undefined;
    const env = this.wordEnv(state, depth, src);
    for (const redirect of redirects) {
      if (redirect.type === 'HereDoc') {
        const body = redirect.body;
        let text = body.text;
        let taint: Taint | undefined;
        if (!redirect.delimiter?.quoted && (text.includes('$(') || text.includes('`') || text.includes('${') || text.includes('$'))) {
          // An unquoted heredoc expands $( ) and `` before the command reads it: those run.
          if (text.includes('$(') || text.includes('`')) {
            const acc = resolveWord({ type: 'Word', text, value: text, pos: body.pos, end: body.end, parts: body.parts }, env);
            text = acc.value;
            taint = acc.taint;
          } else {
            const acc = resolveWord({ type: 'Word', text, value: text, pos: body.pos, end: body.end, parts: body.parts }, env);
            text = acc.value;
          }
        }
        if (redirect.descriptor === undefined || (redirect.descriptor.type === 'FileDescriptor' && redirect.descriptor.value === 0)) stdin = { kind: 'text', text, taint };
        continue;
      }
      if (redirect.type === 'HereString') {
        if (redirect.target) {
          const arg = resolveWord(redirect.target, env);
          stdin = { kind: 'text', text: arg.value, taint: arg.taint };
        }
        continue;
      }
      if (!redirect.target) continue;
      const arg = resolveWord(redirect.target, env);
      const op = redirect.operator;
      if (op === '<' || op === '<&' || (op === '>&' && /^\d+$|^-$/.test(arg.value))) continue;
      const segment = commandText ?? src.slice(redirect.pos, redirect.end);
      const path = pathOf(arg, state.cwd);
      this.target({ op: 'write', arg, path, recursive: false, segment, via: `redirect ${op}` });
      if (path.kind === 'exact' && (redirect.descriptor === undefined || (redirect.descriptor.type === 'FileDescriptor' && redirect.descriptor.value === 1))) outs?.push({ abs: path.abs, append: op === '>>' });
    }
    return stdin;
  }

  private command(node: Command, src: string, state: ShellState, depth: number, background: boolean, pipeStdin: Stdin | undefined): Invocation | undefined {
    const env = this.wordEnv(state, depth, src);
    const segment = src.slice(node.pos, node.end);
    const assigns = new Map<string, Arg>();
    for (const item of node.prefix) {
      if (item.type !== 'Assignment') continue;
      const value = item.value.type === 'Word' ? resolveWord(item.value, env) : literalArg(UNKNOWN);
      assigns.set(item.name, value);
    }
    if (!node.name) {
      for (const [name, value] of assigns) {
        state.vars.set(name, value.value);
        if (value.taint) state.taints.set(name, value.taint);
        else state.taints.delete(name);
      }
      this.redirects(node.redirects, src, state, depth, undefined);
      return undefined;
    }
    const argv: Arg[] = [];
    for (const word of [node.name, ...node.args]) {
      if (word.type === 'Assignment') {
        const value = word.value.type === 'Word' ? resolveWord(word.value, env) : literalArg(UNKNOWN);
        argv.push({ text: word.text, value: `${word.name}=${value.value}`, globAt: -1, taint: value.taint });
        continue;
      }
      const positional = /^"?\$(?:[@*]|\{[@*]\})"?$/.test(word.text) ? positionalArgs(state) : undefined;
      if (positional) argv.push(...positional);
      else argv.push(...splitFields(word as Word, expandBraces(resolveWord(word as Word, env))));
    }
    const alias = state.aliases.get(node.name.text);
    if (alias !== undefined && depth < MAX_DEPTH) {
      this.source(`${alias} ${node.args.map((a) => a.text).join(' ')}`, state, depth + 1, segment);
      return undefined;
    }
    const outs: Array<{ abs: string; append: boolean }> = [];
    const fn = this.functions.get(node.name.text);
    if (fn && depth < MAX_DEPTH && !this.calling.has(node.name.text)) {
      // A function defined earlier in this command: its body runs with $1 … bound to these arguments.
      this.redirects(node.redirects, src, state, depth, segment);
      const inner = cloneState(state);
      for (let i = 1; inner.vars.has(String(i)); i++) inner.vars.delete(String(i));
      argv.slice(1).forEach((arg, index) => inner.vars.set(String(index + 1), arg.value));
      fn.called = true;
      this.calling.add(node.name.text);
      if (fn.body.type === 'CompoundList') this.list(fn.body, fn.src, inner, depth + 1, background);
      else this.node(fn.body, fn.src, inner, depth + 1, background);
      this.calling.delete(node.name.text);
      return undefined;
    }
    const redirectStdin = this.redirects(node.redirects, src, state, depth, segment, outs);
    const inv = this.invoke(argv, { state, depth, segment, background, stdin: redirectStdin ?? pipeStdin, assigns });
    if (inv && outs.length > 0) {
      const content = printedContent(inv);
      for (const out of outs) this.remember(out.abs, content, out.append);
    }
    return inv;
  }

  /**
   * Files this command writes with content it shows (`echo … > f.sh`, `cat > f.sh <<EOF`, `tee`, `curl -o`), by absolute
   * path: running such a file later in the same command runs that content, so it is analysed like `bash -c`.
   */
  private readonly written = new Map<string, WrittenFile>();

  /** Records what a command wrote to a file; undefined content (unknowable) forgets the file. */
  remember(abs: string, content: WrittenFile | undefined, append: boolean): void {
    const before = append ? this.written.get(abs) : undefined;
    if (content === undefined) {
      if (!append) this.written.delete(abs);
      return;
    }
    if (this.written.size >= 64 && !this.written.has(abs)) return;
    this.written.set(abs, { text: (before ? `${before.text}\n` : '') + content.text, taint: content.taint ?? before?.taint });
  }

  /** What a script file written earlier in this command holds, if the guard saw it written. */
  writtenScript(arg: Arg, inv: Invocation): WrittenFile | undefined {
    if (this.written.size === 0) return undefined;
    const path = pathOf(arg, inv.state.cwd);
    return path.kind === 'exact' ? this.written.get(path.abs) : undefined;
  }

  /** Runs a script file written earlier in this command as shell code, `$1 …` bound; false when its content is unknown. */
  runWrittenScript(arg: Arg, args: Arg[], inv: Invocation): boolean {
    const script = this.writtenScript(arg, inv);
    if (!script) return false;
    if (script.taint) {
      taintFinding(this, script.taint, inv.segment, `runs ${arg.value}, written earlier in this command from`);
      return true;
    }
    const state = cloneState(inv.state);
    [arg, ...args].forEach((a, index) => state.vars.set(String(index), a.value));
    this.source(script.text, state, inv.depth + 1, inv.segment);
    return true;
  }

  /** Runs the rules on an argv (from the parser, or built by a rule: find -exec, git aliases, interpreter calls). */
  invoke(argv: Arg[], at: InvokeAt): Invocation | undefined {
    if (argv.length === 0) return undefined;
    const unwrapped = unwrapCommand(argv);
    if (at.xargs && !unwrapped.xargs) unwrapped.xargs = at.xargs;
    let state = at.state;
    if (unwrapped.chdir) {
      state = cloneState(state);
      const dir = pathOf(unwrapped.chdir, state.cwd);
      state.cwd = dir.kind === 'exact' ? dir.abs : undefined;
    }
    const inv: Invocation = {
      args: unwrapped.args,
      name: commandName(unwrapped.args[0]),
      wrappers: unwrapped.wrappers,
      unwrapped,
      state,
      segment: at.segment,
      background: at.background,
      stdin: at.stdin,
      assigns: at.assigns ?? new Map(),
      depth: at.depth,
      inLoop: this.loops > 0,
    };
    for (const [name, value] of unwrapped.env) inv.assigns.set(name, value);
    const marker = unwrapped.xargs?.replace;
    if (marker !== undefined && unwrapped.args.some((a) => a.value.includes(marker))) {
      // xargs -I{}: run the command once per input item, the placeholder replaced.
      const items = xargsItems(inv);
      // Each item runs the command once: the first 64 are judged as given, the rest as one unknown item.
      const judged = items.length <= 64 ? items : [...items.slice(0, 64), literalArg(UNKNOWN)];
      for (const item of judged) {
        const argv = unwrapped.args.map((a) => (a.value.includes(marker) ? { ...a, value: a.value.split(marker).join(item.value), taint: a.taint ?? item.taint } : a));
        this.invoke(argv, { state, depth: at.depth, segment: at.segment, background: at.background, stdin: undefined, assigns: inv.assigns, xargs: { ...(unwrapped.xargs as NonNullable<InvokeAt['xargs']>), replace: undefined, consumed: true } });
      }
      return inv;
    }
    this.invocationsSeen.push(inv);
    if (unwrapped.shellString) {
      this.runShellString(unwrapped.shellString, [], inv);
    }
    runRules(inv, this);
    this.builtinEffects(inv, at.state);
    return inv;
  }

  /** Analyses a string a shell would run (bash -c, eval, su -c, git alias …), with $0, $1 … bound. */
  runShellString(code: Arg, positional: Arg[], inv: Invocation): void {
    if (code.taint) {
      taintFinding(this, code.taint, inv.segment, 'runs the output of');
      return;
    }
    const state = cloneState(inv.state);
    positional.forEach((arg, index) => state.vars.set(String(index), arg.value));
    this.source(code.value, state, inv.depth + 1, inv.segment);
  }

  /** `cd "$(mktemp -d)"`: a directory with an unknown name under a temp root is still scratch space (kept as /tmp/<unknown>). */
  private tempDirOf(dir: PathInfo, target: Arg): string | undefined {
    if (dir.kind !== 'within' || target.globAt !== -1 || /(?:^|\/)\.\.(?:\/|$)/.test(dir.rest)) return undefined;
    const cls = classifyAbs(dir.base, this.constraints, this.context);
    return cls === 'temp' || cls === 'temp-root' ? posix.join(dir.base, dir.rest) : undefined;
  }

  /** cd, alias, export: what changes for the commands after. */
  private builtinEffects(inv: Invocation, state: ShellState): void {
    const [, first] = inv.args;
    switch (inv.name) {
      case 'cd':
      case 'pushd': {
        const target = inv.args.slice(1).find((a) => !a.value.startsWith('-') || a.value === '-');
        if (target === undefined) {
          state.cwd = this.context.home;
          return;
        }
        if (target.value === '-') {
          state.cwd = undefined;
          return;
        }
        const dir = pathOf(target, state.cwd);
        state.cwd = dir.kind === 'exact' ? dir.abs : this.tempDirOf(dir, target);
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
          if (eq > 0 && /^[A-Za-z_]\w*$/.test(arg.value.slice(0, eq))) {
            state.vars.set(arg.value.slice(0, eq), arg.value.slice(eq + 1));
            if (arg.taint) state.taints.set(arg.value.slice(0, eq), arg.taint);
          }
        }
        return;
      case 'unset':
        for (const arg of inv.args.slice(1)) state.vars.set(arg.value, UNKNOWN);
        return;
      case 'read':
      case 'mapfile':
      case 'readarray':
        for (const arg of inv.args.slice(1)) if (/^[A-Za-z_]\w*$/.test(arg.value)) state.vars.set(arg.value, UNKNOWN);
        return;
      default:
        void first;
    }
  }
}

/** `"$@"` inside `bash -c '…' _ a b`: the positional arguments, one word each (unknown when none are bound). */
function positionalArgs(state: ShellState): Arg[] {
  const args: Arg[] = [];
  for (let i = 1; state.vars.has(String(i)); i++) args.push(literalArg(state.vars.get(String(i)) as string));
  return args.length > 0 ? args : [literalArg(UNKNOWN)];
}

/** Unquoted `$X`, `$(…)` split into several words on whitespace (`X="rm -rf"; $X ~`). */
function splitFields(word: Word, args: Arg[]): Arg[] {
  const parts = word.parts ?? [];
  const unquotedExpansion = parts.some((p) => p.type === 'SimpleExpansion' || p.type === 'ParameterExpansion' || p.type === 'CommandExpansion');
  if (!unquotedExpansion || parts.some((p) => p.type === 'SingleQuoted' || p.type === 'DoubleQuoted' || p.type === 'AnsiCQuoted')) return args;
  return args.flatMap((arg) => {
    if (!/[ \t\n]/.test(arg.value)) return [arg];
    return arg.value
      .split(/[ \t\n]+/)
      .filter(Boolean)
      .map((value) => ({ ...arg, value, globAt: arg.globAt === -1 ? -1 : value.search(/[*?[]/) }));
  });
}

export function lookup(name: string, state: ShellState, context: GuardContext): string {
  return lookupVar(name, { state, home: context.home, projectDir: context.projectDir, substitute: () => ({ value: UNKNOWN, taint: undefined }) });
}

export function initialState(context: GuardContext): ShellState {
  return newState(context.cwd);
}

/** Analyses a whole command: findings plus every write/delete target, judged. */
export function analyzeShell(command: string, constraints: Constraints, context: GuardContext): Analysis {
  const analysis = new Analysis(constraints, context);
  if (command.length > MAX_COMMAND_CHARS) {
    analysis.certain = false;
    analysis.add('command-too-large', 'deny', `this command is ${(command.length / 1048576).toFixed(1)} MB; fanout analyses commands up to ${MAX_COMMAND_CHARS / 1048576} MB. Write large data with the Write tool and keep the command short.`, command.slice(0, 200));
    return analysis;
  }
  analysis.source(command, initialState(context), 0, command);
  analysis.uncalledFunctions();
  judgeTargets(analysis);
  finishRules(analysis);
  return analysis;
}
