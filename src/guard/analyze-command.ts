// Walks what bash would execute (parsed once with unbash) and runs the rules on every command that would run,
// however it is wrapped or nested. Pure: paths and the home dir come from the context.
import { posix } from 'node:path';
import { forEachChild, parse, type Command, type CompoundList, type ParsedScript, type PipelineNode, type AndOr, type Redirection, type SyntaxNode, type While, type Word } from 'unbash';
import type { Constraints } from '../constraints/schema.js';
import { builtinEffects, readFields, readOptions } from './builtin-effects.js';
import { canonicalLongOptions } from './flags.js';
import { classifyAbs, fileKey, pathOf, type PathInfo } from './classify-path.js';
import { judgeTargets } from './judge-targets.js';
import { below, listOrigin, printedItems, producerItems, stdinText, xargsItems } from './list-items.js';
import { cloneState, DEFAULT_IFS, expandWord, isKnown, literalArg, lookupVar, newState, resolveWord, setArray, setVar, UNKNOWN, type Arg, type ListOrigin, type ShellState, type Taint, type WordEnv } from './resolve-word.js';
import type { InvokeAt, Invocation, RuleContext, Stdin, Target, WrittenFile } from './rule-context.js';
import { finishRules, runRules } from './rule-registry.js';
import { decodes, isNetwork, pipeContent, printedContent, taintFinding, taintOfOutput } from './stdin-content.js';
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
  /** Rule ids reported per command text (keyed by the text itself: a key built from a 1 MB command would cost 1 MB). */
  private readonly seen = new Map<string, Set<string>>();

  private readonly builtinHost: { home: string; projectDir: string; classify(abs: string): ReturnType<typeof classifyAbs> };

  constructor(
    readonly constraints: Constraints,
    readonly context: GuardContext,
  ) {
    this.builtinHost = { home: context.home, projectDir: context.projectDir, classify: (abs) => classifyAbs(abs, constraints, context) };
  }

  reported(ruleId: string, segment: string): boolean {
    return this.seen.get(segment)?.has(ruleId) === true;
  }

  add(ruleId: string, severity: Severity, message: string, segment: string): void {
    let rules = this.seen.get(segment);
    if (!rules) this.seen.set(segment, (rules = new Set()));
    if (rules.has(ruleId)) return;
    rules.add(ruleId);
    this.findings.push({ ruleId, severity, message, segment: shorten(segment) });
  }

  target(target: Target): void {
    if (target.path.kind !== 'exact') this.certain = false;
    // The same path deleted 100,000 times over (`mapfile` of a repeated line) is judged once per command.
    const key = targetKey(target);
    let seen = this.targetKeys.get(target.segment);
    if (!seen) this.targetKeys.set(target.segment, (seen = new Set()));
    if (seen.has(key) && !target.copyFrom) return;
    seen.add(key);
    this.targets.push(target);
  }

  /** Targets already recorded, per command text. */
  private readonly targetKeys = new Map<string, Set<string>>();

  uncertain(): void {
    this.certain = false;
  }

  capture(run: () => void): { targets: Target[]; findings: Finding[] } {
    const targets = this.targets.length;
    const findings = this.findings.length;
    run();
    const taken = this.targets.splice(targets);
    // Taken out, so the caller can add them again (mapped): forget them as seen.
    for (const t of taken) this.targetKeys.get(t.segment)?.delete(targetKey(t));
    return { targets: taken, findings: this.findings.slice(findings) };
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

  /** A list of statements; stdin piped into a group (`… | { x; bash; }`) is there for whichever of them reads it. */
  private list(list: CompoundList, src: string, state: ShellState, depth: number, background: boolean, stdin?: Stdin): void {
    for (const statement of list.commands) this.node(statement.command, src, state, depth, background || statement.background === true, stdin);
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
        for (const command of node.commands) this.node(command, src, state, depth, background, stdin);
        return undefined;
      case 'Pipeline': {
        // `time cmd` is a one-stage pipeline: it reads what the pipeline reads.
        if (node.commands.length === 1) return this.node(node.commands[0] as PipelineNode, src, state, depth, background, stdin);
        const producers: Array<Invocation | undefined> = [];
        // Long pipelines: each stage sees the last stages plus the first network/decoding producer (what pipeContent
        // needs), not a fresh copy of every earlier stage (quadratic in the stage count).
        const carriers: Invocation[] = [];
        for (const command of node.commands) {
          const seen = producers.length <= PIPE_WINDOW ? [...producers] : [...carriers, ...producers.slice(-PIPE_WINDOW)];
          const stageStdin: Stdin | undefined = producers.length > 0 ? { kind: 'pipe', producers: seen } : undefined;
          const inv = this.node(command, src, cloneState(state), depth, background, stageStdin);
          producers.push(inv);
          const taint = inv && carriers.length < 2 ? taintOfOutput(inv) : undefined;
          if (inv && taint && !carriers.some((c) => taintOfOutput(c) === taint)) carriers.push(inv);
        }
        return undefined;
      }
      case 'Command':
        return this.command(node, src, state, depth, background, stdin);
      case 'Subshell':
      case 'BraceGroup': {
        const from = this.invocationsSeen.length;
        this.list(node.body, src, node.type === 'Subshell' ? cloneState(state) : state, depth, background, stdin);
        return this.groupOutput(from, depth);
      }
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
        const words = node.wordlist ? node.wordlist.flatMap((w) => expandWord(w, env)) : this.positional(state);
        // Each distinct value once: the body is judged per value, not per repetition.
        const distinct = new Set<string>();
        const values = words.filter((w) => {
          const key = `${w.globAt}|${w.value}`;
          if (distinct.has(key)) return false;
          distinct.add(key);
          return true;
        });
        const name = node.name.value;
        this.loops++;
        // Unrolled for known words, two loops deep at most (nested loops multiply: 16^8 bodies otherwise).
        if (values.length > 0 && values.length <= 16 && this.loops <= 2) {
          // A glob (`for f in .*`) binds the name to a path matching it.
          for (const value of values) {
            const inner = cloneState(state);
            setVar(inner, name, value.value, value.taint, value.list, value.globAt !== -1);
            this.list(node.body, src, inner, depth, background);
          }
        } else {
          const inner = cloneState(state);
          const listed = values.find((v) => v.list);
          setVar(inner, name, listed && values.every((v) => v.list || v.globAt !== -1) ? listed.value : UNKNOWN, values.find((v) => v.taint)?.taint, listed?.list);
          this.list(node.body, src, inner, depth, background);
        }
        this.loops--;
        return undefined;
      }
      case 'While':
        this.list(node.clause, src, state, depth, background, stdin);
        if (endless(node, src)) this.forkLoop(node.body, src);
        this.loops++;
        this.readLoop(node, src, state, depth, background, stdin);
        this.loops--;
        return undefined;
      case 'ArithmeticFor':
        if (node.test === undefined) this.forkLoop(node.body, src);
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
      case 'Redirected': {
        // `while read f; do …; done < list`, `{ …; } <<< text`: the redirect feeds the compound command.
        const input = this.redirects(node.redirects, src, state, depth, undefined);
        this.node(node.command, src, state, depth, background, input ?? stdin);
        return undefined;
      }
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

  /** How often a body calls any of the names, and whether it starts anything in the background. */
  private callsTo(body: SyntaxNode, names: ReadonlySet<string>): { calls: number; backgrounded: boolean } {
    let calls = 0;
    let backgrounded = false;
    const visit = (child: SyntaxNode): void => {
      if (child.type === 'Statement' && child.background) backgrounded = true;
      if (child.type === 'Command' && child.name && names.has(child.name.value)) calls++;
      if (child.type === 'Pipeline' && child.commands.filter((c) => c.type === 'Command' && c.name && names.has(c.name.value)).length >= 2) calls += 2;
      forEachChild(child, visit);
    };
    forEachChild(body, visit);
    return { calls, backgrounded };
  }

  /**
   * A function that calls itself twice (or once in the background) per call, directly or through functions defined
   * earlier that call it back (`a() { b & b; }; b() { a & a; }`): the number of processes doubles every round.
   */
  private forkBomb(name: string, body: SyntaxNode, src: string): void {
    const cycle = new Set([name]);
    // Functions defined earlier that call this one, directly or through each other (a few rounds are enough; each
    // function's callees are collected once, when it is defined).
    for (let round = 0; round < 4 && this.callees.size <= 256; round++) {
      const before = cycle.size;
      for (const [other, callees] of this.callees) if (!cycle.has(other) && [...callees].some((c) => cycle.has(c))) cycle.add(other);
      if (cycle.size === before) break;
    }
    if (this.callees.size < 256) {
      const callees = new Set<string>();
      const visit = (child: SyntaxNode): void => {
        if (child.type === 'Command' && child.name) callees.add(child.name.value);
        forEachChild(child, visit);
      };
      forEachChild(body, visit);
      this.callees.set(name, callees);
    }
    const { calls, backgrounded } = this.callsTo(body, cycle);
    if (calls >= 2 || (calls >= 1 && backgrounded)) {
      const through = cycle.size > 1 ? ` (through ${[...cycle].filter((n) => n !== name).join(', ')})` : '';
      this.add('fork-bomb', 'deny', `function '${name}' calls itself more than once per call${through}: a fork bomb that takes the machine down. Remove it.`, src.slice(body.pos, body.end));
    }
  }

  wordEnv(state: ShellState, depth: number, src: string): WordEnv {
    return {
      state,
      home: this.context.home,
      projectDir: this.context.projectDir,
      substitute: (script, text, process) => this.substitution(script, text, state, depth, src, process),
      budget: this.expansionBudget,
      matching: this.matchingBudget,
    };
  }

  /** Analyses $( ), ` ` and <( ): they run. Says what they print when that is knowable. */
  private substitution(script: ParsedScript | undefined, text: string, state: ShellState, depth: number, src: string, process = false): { value: string; taint: Taint | undefined; list?: ListOrigin | undefined } {
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
    // `$(cd .. && pwd)`: the cd only moves the substitution's own shell; what prints is the last command.
    const printing = ran.filter((inv) => !CWD_BUILTINS.has(inv.name));
    if (process) {
      // `<(…)` is a file name: reading it (source, bash, < redirect) reads what these commands print.
      const path = `/dev/fd/${63 + this.fds.size}`;
      if (this.fds.size < 64) this.fds.set(path, printing);
      return { value: path, taint };
    }
    const listed = listOrigin(printing.filter((inv, i, all) => i === 0 || i >= all.length - 8));
    if (listed) return { value: listed.origin.source === 'processes' || listed.roots.length !== 1 ? UNKNOWN : below(listed.roots[0] as Arg).value, taint, list: listed.origin };
    const only = printing.length === 1 ? printing[0] : undefined;
    if (only && only.stdin === undefined) {
      if (only.name === 'pwd') return { value: only.state.cwd ?? UNKNOWN, taint };
      if ((only.name === 'echo' || only.name === 'printf') && only.args.length >= 2) {
        const printed = printedContent(only);
        // A substitution drops the trailing newlines of what it captures.
        if (printed && !decodes(only)) return { value: printed.text.replace(/\n+$/, ''), taint: taint ?? printed.taint };
      }
      if (only.name === 'git' && only.args.some((a) => a.value === '--show-toplevel')) return { value: this.context.repoRoot, taint };
      if (only.name === 'git' && only.args.some((a) => a.value === '--git-dir' || a.value === '--absolute-git-dir' || a.value === '--git-common-dir')) return { value: this.context.gitDir, taint };
      if ((only.name === 'realpath' || (only.name === 'readlink' && only.args.some((a) => /^-[a-zA-Z]*[fem]/.test(a.value)))) && only.args.length >= 2) {
        const operand = only.args.slice(1).filter((a) => !a.value.startsWith('-'));
        const path = operand.length === 1 ? pathOf(operand[0] as Arg, only.state.cwd) : undefined;
        if (path?.kind === 'exact') return { value: path.abs, taint };
      }
      // `$(which bash)`, `$(command -v sh)`: the path of a program by that name.
      const located = locatedProgram(only);
      if (located) return { value: located, taint };
      if (only.name === 'mktemp') return { value: `/tmp/${UNKNOWN}`, taint };
      if (only.name === 'dirname' && only.args[1] && isKnown(only.args[1])) return { value: posix.dirname(only.args[1].value), taint };
    }
    return { value: UNKNOWN, taint };
  }

  /** Functions defined in this command (`f() { rm -rf "$1"; }; f ~`), by name. */
  /** The command names each function defined in this command calls (the first 256), for recursion through others. */
  private readonly callees = new Map<string, Set<string>>();
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

  /** Characters pattern operations (`${x##*.}`) may compare in this analysis; past it their results are unknown. */
  private readonly matchingBudget = { left: 64 * 1024 * 1024 };

  /** What each `<(…)` of this command prints: the commands inside it, by the /dev/fd name the shell gives it. */
  private readonly fds = new Map<string, Invocation[]>();

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
      if (op === '<' && (redirect.descriptor === undefined || (redirect.descriptor.type === 'FileDescriptor' && redirect.descriptor.value === 0))) {
        // `< <(…)` or a file this command wrote: what the command reads is known.
        const from = pathOf(arg, state.cwd);
        const producers = from.kind === 'exact' ? this.fds.get(from.abs) : undefined;
        const fromKey = fileKey(from);
        const written = fromKey === undefined ? undefined : this.written.get(fromKey);
        if (producers) stdin = { kind: 'pipe', producers };
        else if (written?.producers) stdin = { kind: 'pipe', producers: written.producers };
        else if (written) stdin = { kind: 'text', text: written.text, taint: written.taint, items: written.items };
        if (arg.taint) stdin = { kind: 'text', text: '', taint: arg.taint };
        continue;
      }
      if (op === '<' || op === '<&' || (op === '>&' && /^\d+$|^-$/.test(arg.value))) continue;
      const segment = commandText ?? src.slice(redirect.pos, redirect.end);
      const path = pathOf(arg, state.cwd);
      this.target({ op: 'write', arg, path, recursive: false, segment, via: `redirect ${op}` });
      const key = fileKey(path);
      if (key !== undefined && (redirect.descriptor === undefined || (redirect.descriptor.type === 'FileDescriptor' && redirect.descriptor.value === 1))) outs?.push({ abs: key, append: op === '>>' });
    }
    return stdin;
  }

  private command(node: Command, src: string, state: ShellState, depth: number, background: boolean, pipeStdin: Stdin | undefined): Invocation | undefined {
    const env = this.wordEnv(state, depth, src);
    const segment = src.slice(node.pos, node.end);
    const assigns = new Map<string, Arg>();
    const arrays = new Map<string, { values: string[]; elements: Arg[] }>();
    for (const item of node.prefix) {
      if (item.type !== 'Assignment') continue;
      if (item.value.type === 'ArrayValue') {
        const elements = item.value.elements.flatMap((w) => expandWord(w, env));
        arrays.set(item.name, { values: [...(item.append ? (state.arrays.get(item.name) ?? []) : []), ...elements.map((a) => a.value)], elements });
        continue;
      }
      const value = resolveWord(item.value, env);
      assigns.set(item.name, item.append ? { ...value, value: lookupVar(item.name, env).replace(/^\u0000$/, '') + value.value } : value);
    }
    if (!node.name) {
      for (const [name, value] of assigns) setVar(state, name, value.value, value.taint, value.list);
      for (const [name, { values, elements }] of arrays) setArray(state, name, values, elements);
      this.redirects(node.redirects, src, state, depth, undefined);
      return undefined;
    }
    const argv: Arg[] = [];
    const declaration = /^(?:declare|typeset|local|readonly|export)$/.test(node.name.value);
    for (const word of [node.name, ...node.args]) {
      if (word.type === 'Assignment') {
        if (word.value.type === 'ArrayValue') {
          // `declare -a a=(rm -rf x)`, `local a=(…)`: an array for the commands after.
          const elements = word.value.elements.flatMap((w) => expandWord(w, env));
          if (declaration) setArray(state, word.name, elements.map((a) => a.value), elements);
          argv.push(literalArg(`${word.name}=(…)`));
          continue;
        }
        const value = resolveWord(word.value, env);
        argv.push({ text: word.text, value: `${word.name}=${value.value}`, globAt: -1, taint: value.taint, list: value.list });
        continue;
      }
      const positional = /^"?\$(?:[@*]|\{[@*]\})"?$/.test(word.text) ? this.positional(state) : undefined;
      // A loop, not push(...): one word can become 100,000 arguments ("${a[@]}").
      for (const arg of positional ?? expandWord(word as Word, env)) argv.push(arg);
    }
    const alias = state.aliases.get(node.name.text);
    if (alias !== undefined && depth < MAX_DEPTH) {
      this.source(`${alias} ${node.args.map((a) => a.text).join(' ')}`, state, depth + 1, segment);
      return undefined;
    }
    const outs: Array<{ abs: string; append: boolean }> = [];
    // A function defined earlier in this command (called by name, or by a name a variable holds).
    const called = this.functions.has(node.name.text) ? node.name.text : argv[0] && this.functions.has(argv[0].value) ? argv[0].value : undefined;
    const fn = called === undefined ? undefined : this.functions.get(called);
    if (fn && called !== undefined && depth < MAX_DEPTH && !this.calling.has(called)) {
      // Its body runs with $1 … bound to these arguments.
      this.redirects(node.redirects, src, state, depth, segment);
      const inner = cloneState(state);
      for (let i = 1; inner.vars.has(String(i)); i++) inner.vars.delete(String(i));
      argv.slice(1).forEach((arg, index) => setVar(inner, String(index + 1), arg.value, arg.taint, arg.list, arg.globAt !== -1));
      fn.called = true;
      this.calling.add(called);
      if (fn.body.type === 'CompoundList') this.list(fn.body, fn.src, inner, depth + 1, background);
      else this.node(fn.body, fn.src, inner, depth + 1, background);
      this.calling.delete(called);
      return undefined;
    }
    const redirectStdin = this.redirects(node.redirects, src, state, depth, segment, outs);
    for (const [name, { values }] of arrays) assigns.set(name, literalArg(values.join(' ')));
    const inv = this.invoke(argv, { state, depth, segment, background, stdin: redirectStdin ?? pipeStdin, assigns });
    if (inv && outs.length > 0) {
      const content = printedContent(inv);
      const items = printedItems(inv);
      // `git ls-files -o > list; xargs rm < list`: the file holds a list of that kind.
      const listed = content === undefined && listOrigin([inv]) ? { text: '', taint: undefined, producers: [inv] } : undefined;
      for (const out of outs) this.remember(out.abs, listed ?? (content && items?.some((a) => a.globAt !== -1) ? { ...content, items } : content), out.append);
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
    const items = before ? (before.items && content.items ? [...before.items, ...content.items] : undefined) : content.items;
    const producers = before ? undefined : content.producers;
    this.written.set(abs, { text: (before ? `${before.text}\n` : '') + content.text, taint: content.taint ?? before?.taint, items, producers });
  }

  /** What a script file written earlier in this command holds, if the guard saw it written. */
  writtenScript(arg: Arg, inv: Invocation): WrittenFile | undefined {
    if (this.written.size === 0 && this.fds.size === 0) return undefined;
    const path = pathOf(arg, inv.state.cwd);
    const key = fileKey(path);
    if (key === undefined) return undefined;
    const producers = path.kind === 'exact' ? this.fds.get(path.abs) : undefined;
    if (producers) {
      const content = pipeContent(producers);
      return content.taint || content.literal !== undefined ? { text: content.literal ?? '', taint: content.taint } : undefined;
    }
    return this.written.get(key);
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
    [arg, ...args].forEach((a, index) => setVar(state, String(index), a.value, a.taint, a.list, a.globAt !== -1));
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
    const name = commandName(unwrapped.args[0]);
    const inv: Invocation = {
      args: canonicalLongOptions(name, unwrapped.args),
      name,
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
    if (inv.name === 'cat' && inv.args.length > 1 && inv.args.slice(1).every((a) => !a.value.startsWith('-'))) {
      // `cat f.sh | bash`, `cat list | xargs rm`: cat of files written earlier prints what they hold.
      const parts = inv.args.slice(1).map((a) => this.writtenScript(a, inv));
      if (parts.every((p) => p !== undefined)) {
        const items = parts.every((p) => p?.items) ? parts.flatMap((p) => p?.items ?? []) : undefined;
        inv.printed = { text: parts.map((p) => p?.text ?? '').join(''), taint: parts.find((p) => p?.taint)?.taint, items };
      }
    }
    const marker = unwrapped.xargs?.replace;
    if (marker !== undefined && unwrapped.args.some((a) => a.value.includes(marker))) {
      // xargs -I{}: run the command once per input item, the placeholder replaced.
      const items = xargsItems(inv, this);
      // Each item runs the command once: the first 64 are judged as given, the rest as one unknown item.
      const judged = items.length <= 64 ? items : [...items.slice(0, 64), literalArg(UNKNOWN)];
      for (const item of judged) {
        const argv = unwrapped.args.map((a) => {
          if (!a.value.includes(marker)) return a;
          const value = a.value.split(marker).join(item.value);
          // An item that is a glob (`printf '%s\0' * | xargs -I{} …`) stays one, standing for what it matches.
          return { ...a, value, taint: a.taint ?? item.taint, list: a.list ?? item.list, globAt: item.globAt !== -1 ? value.search(/[*?[]/) : a.globAt };
        });
        this.invoke(argv, { state, depth: at.depth, segment: at.segment, background: at.background, stdin: undefined, assigns: inv.assigns, xargs: { ...(unwrapped.xargs as NonNullable<InvokeAt['xargs']>), replace: undefined, consumed: true } });
      }
      return inv;
    }
    this.invocationsSeen.push(inv);
    const nestedFrom = this.invocationsSeen.length;
    if (unwrapped.shellString) {
      this.runShellString(unwrapped.shellString, [], inv);
    }
    runRules(inv, this);
    // `bash -c 'curl …' | sh`, `python -c 'run(["curl", …])' | bash`: what the nested commands print, this prints.
    const nested = this.invocationsSeen.slice(nestedFrom);
    if (nested.some((n) => isNetwork(n) || n.emits === 'network')) inv.emits = 'network';
    else if (nested.some((n) => decodes(n) || n.emits === 'decode')) inv.emits = 'decode';
    const children = nested.filter((n) => n.depth === inv.depth + 1);
    // `bash -c 'echo rm -rf /' | bash`: a single nested command prints what this prints (and lists what it lists).
    if (children.length === 1 && nested.length === 1) {
      inv.child = children[0];
      if (inv.printed === undefined) inv.printed = printedContent(children[0] as Invocation);
    }
    builtinEffects(inv, at.state, this.builtinHost);
    return inv;
  }

  /** Analyses a string a shell would run (bash -c, eval, su -c, git alias …), with $0, $1 … bound. */
  runShellString(code: Arg, positional: Arg[], inv: Invocation): void {
    if (code.taint) {
      taintFinding(this, code.taint, inv.segment, 'runs the output of');
      return;
    }
    const state = cloneState(inv.state);
    positional.forEach((arg, index) => setVar(state, String(index), arg.value, arg.taint, arg.list, arg.globAt !== -1));
    this.source(code.value, state, inv.depth + 1, inv.segment);
  }

  /** `"$@"`: the positional arguments, one word each (unknown when none are bound). */
  private positional(state: ShellState): Arg[] {
    const args: Arg[] = [];
    for (let i = 1; state.vars.has(String(i)); i++) {
      const name = String(i);
      const value = state.vars.get(name) as string;
      args.push({ text: `$${name}`, value, globAt: state.globs.has(name) ? Math.max(0, value.search(/[*?[]/)) : -1, taint: state.taints.get(name), list: state.lists.get(name) });
    }
    return args.length > 0 ? args : [literalArg(UNKNOWN)];
  }

  /**
   * A while loop's body. `… | while read f; do …; done` runs it once per line it reads: the first 16 lines as read,
   * the rest as one unknown line; lines from a list the guard knows the kind of (find, git ls-files) bind that kind.
   */
  private readLoop(node: While, src: string, state: ShellState, depth: number, background: boolean, stdin: Stdin | undefined): void {
    const env = this.wordEnv(state, depth, src);
    // The condition is `read …`, however its name is spelled (`${r}`, `$(echo read)`).
    const clause = readClause(node);
    // Its words as bash splits them: `read${IFS}-r${IFS}f` and `{read,-r,f}` are `read -r f`.
    const argv = clause?.name ? [clause.name, ...clause.args].flatMap((w) => (w.type === 'Word' ? expandWord(w, env) : [])) : [];
    const read = argv[0]?.value === 'read' ? clause : undefined;
    if (!read) {
      this.list(node.body, src, state, depth, background);
      return;
    }
    const options = readOptions(argv.slice(1));
    const ifsWord = read.prefix.find((p): p is Extract<typeof p, { type: 'Assignment' }> => p.type === 'Assignment' && p.name === 'IFS');
    const ifs = ifsWord && ifsWord.value.type === 'Word' ? resolveWord(ifsWord.value, env).value : lookupVar('IFS', env);
    const bind = (line: string, taint: Taint | undefined, list?: ListOrigin): void => {
      const fields = readFields(line, options.names.length, ifs === UNKNOWN ? DEFAULT_IFS : ifs);
      options.names.forEach((name, i) => setVar(state, name, fields[i] ?? '', taint, list));
      if (options.array) setArray(state, options.array, line === UNKNOWN ? [UNKNOWN] : line.split(/\s+/).filter(Boolean));
    };
    const globbed = producerItems(stdin);
    if (globbed?.some((a) => a.globAt !== -1) && options.names.length === 1) {
      // `printf '%s\n' .* | while read f`: f is each path the glob matches.
      for (const item of globbed.slice(0, this.loops <= 2 ? 16 : 1)) {
        setVar(state, options.names[0] as string, item.value, item.taint, item.list, item.globAt !== -1);
        this.list(node.body, src, state, depth, background);
      }
      return;
    }
    const text = stdinText(stdin);
    if (text) {
      const all = text.text.split(options.delimiter);
      if (all[all.length - 1] === '') all.pop();
      // Each distinct line once: the body is judged per value, not per repetition.
      const lines = [...new Set(all)];
      // Unrolled two loops deep at most, as for loops are (nested loops multiply the bodies).
      const unrolled = this.loops <= 2 ? lines.slice(0, 16) : [];
      for (const line of unrolled) {
        bind(line, text.taint);
        this.list(node.body, src, state, depth, background);
      }
      if (lines.length > unrolled.length) {
        bind(UNKNOWN, text.taint);
        this.list(node.body, src, state, depth, background);
      }
      return;
    }
    const listed = stdin?.kind === 'pipe' ? listOrigin(stdin.producers) : undefined;
    if (listed) {
      const roots = listed.roots.length > 0 ? listed.roots.slice(0, 16) : [literalArg(UNKNOWN)];
      for (const root of roots) {
        bind(listed.origin.source === 'processes' ? UNKNOWN : below(root).value, undefined, listed.origin);
        this.list(node.body, src, state, depth, background);
      }
      return;
    }
    bind(UNKNOWN, stdin?.kind === 'pipe' ? pipeContent(stdin.producers).taint : undefined);
    this.list(node.body, src, state, depth, background);
  }

  /**
   * What a `{ …; }` or `( … )` prints into a pipe, as one invocation: its last command, tainted when any command in it
   * prints downloaded or decoded content (`{ x=…; curl $x; } | bash`).
   */
  private groupOutput(from: number, depth: number): Invocation | undefined {
    const ran = this.invocationsSeen.slice(from).filter((inv) => inv.depth === depth && !CWD_BUILTINS.has(inv.name) && inv.name !== 'set' && inv.name !== 'read');
    const last = ran[ran.length - 1];
    if (!last) return undefined;
    const emits = ran.some((inv) => isNetwork(inv) || inv.emits === 'network') ? 'network' : ran.some((inv) => decodes(inv) || inv.emits === 'decode') ? 'decode' : last.emits;
    return emits === last.emits ? last : { ...last, emits };
  }

  /** An endless loop that starts commands in the background and never waits: processes pile up until the machine stops. */
  private forkLoop(body: CompoundList, src: string): void {
    let spawns = false;
    let waits = false;
    const visit = (child: SyntaxNode, background: boolean): void => {
      const inBackground = background || (child.type === 'Statement' && child.background === true);
      if (inBackground) spawns = true;
      // A foreground sleep or wait paces the loop; one started with & does not.
      if (!inBackground && child.type === 'Command' && /^(?:sleep|wait|read|timeout)$/.test(child.name?.value ?? '')) waits = true;
      forEachChild(child, (c) => visit(c, inBackground));
    };
    forEachChild(body, (c) => visit(c, false));
    if (spawns && !waits) {
      this.add('fork-bomb', 'deny', 'this endless loop starts a new background process on every turn and never waits for one: processes pile up until the machine stops responding (a fork bomb). Run the command once, or wait for each one.', src.slice(body.pos, body.end));
    }
  }
}

/** What makes two targets of one command the same judgment. */
function targetKey(target: Target): string {
  const path = target.path;
  const where = path.kind === 'exact' ? path.abs : path.kind === 'within' ? `${path.base}|${path.rest}` : `?${path.display}`;
  return `${target.op}|${target.recursive}|${target.via}|${where}|${target.filters?.join('|') ?? ''}|${target.arg.list?.source ?? ''}|${target.copyFrom?.length ?? 0}`;
}

/** The single `read` command a while loop's condition runs (`while IFS= read -r f`), if that is what it is. */
function readClause(node: While): Command | undefined {
  const only = node.kind === 'while' && node.clause.commands.length === 1 ? node.clause.commands[0]?.command : undefined;
  return only?.type === 'Command' && only.name ? only : undefined;
}

/** `while true`, `while :`, `until false`: a loop that only ends when something inside breaks out. */
function endless(node: While, source: string): boolean {
  const only = node.clause.commands.length === 1 ? node.clause.commands[0]?.command : undefined;
  if (only?.type === 'ArithmeticCommand') return node.kind === 'while' && /^\(\(\s*[1-9]\d*\s*\)\)$/.test(source.slice(only.pos, only.end));
  if (only?.type !== 'Command' || !only.name) return false;
  const name = only.name.value;
  if (node.kind === 'until') return name === 'false' && only.args.length === 0;
  return ((name === 'true' || name === ':') && only.args.length === 0) || ((name === '[' || name === 'test') && only.args.length >= 1 && /^[1-9]\d*$/.test(only.args[0]?.type === 'Word' ? only.args[0].value : ''));
}

export function lookup(name: string, state: ShellState, context: GuardContext): string {
  return lookupVar(name, { state, home: context.home, projectDir: context.projectDir });
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

/** What `which X`, `command -v X` and `type -P X` print for one literal program name: a path ending in that name. */
function locatedProgram(inv: Invocation): string | undefined {
  const operands = inv.args.slice(1);
  const flags = operands.filter((a) => a.value.startsWith('-')).map((a) => a.value);
  const names = operands.filter((a) => !a.value.startsWith('-'));
  const only = names.length === 1 ? names[0] : undefined;
  if (!only || !isKnown(only) || !/^[\w.+-]+$/.test(only.value)) return undefined;
  const asks =
    (inv.name === 'which' && flags.every((f) => f === '-s' || f === '--skip-alias')) ||
    (inv.name === 'command' && flags.length === 1 && (flags[0] === '-v' || flags[0] === '-V')) ||
    (inv.name === 'type' && flags.length === 1 && (flags[0] === '-P' || flags[0] === '-p'));
  return asks ? `/usr/bin/${only.value}` : undefined;
}
