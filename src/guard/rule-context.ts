// What a rule sees: the invocation it judges and the small interface of the analysis it may ask things of.
// Rules import this file (types only), never the analyzer; the analyzer finds rules through rule-registry.ts.
import type { Constraints } from '../constraints/schema.js';
import type { PathInfo } from './classify-path.js';
import type { Arg, ShellState, Taint } from './resolve-word.js';
import type { Finding, GuardContext, Severity } from './types.js';
import type { Unwrapped } from './unwrap-command.js';

/** What a command reads on stdin: text (heredoc, here-string, a file written earlier) or the stages piped into it. */
export type Stdin =
  | { kind: 'text'; text: string; taint: Taint | undefined; items?: Arg[] | undefined }
  | { kind: 'pipe'; producers: Array<Invocation | undefined> };

/** One command that would run, after wrappers are peeled off. */
export interface Invocation {
  args: Arg[];
  /** Basename of args[0]; '' when the name is unknowable. */
  name: string;
  wrappers: string[];
  unwrapped: Unwrapped;
  state: ShellState;
  /** Source text of the command, shortened for messages. */
  segment: string;
  background: boolean;
  stdin: Stdin | undefined;
  /** Assignments in front of the command (VAR=x cmd). */
  assigns: Map<string, Arg>;
  depth: number;
  /** Inside a for/while/until body: it may run many times. */
  inLoop: boolean;
  /** What the command prints, when the analysis knows it beyond its words (`cat f` of a file written earlier). */
  printed?: WrittenFile | undefined;
  /** The command prints downloaded or decoded content because a command it runs does (`bash -c 'curl …'`). */
  emits?: Taint | undefined;
  /** The argv that really runs when the command expands an alias of its own (`git x` with alias.x = `ls-files -o`). */
  runs?: Arg[] | undefined;
  /** The one command this one runs, when it runs exactly one (`python -c 'run(["git", "ls-files"])'`, `bash -c 'find …'`). */
  child?: Invocation | undefined;
}

/** A file a command writes or deletes, judged against the boundary, the git dir and the locks after the walk. */
export interface Target {
  op: 'write' | 'delete';
  arg: Arg;
  path: PathInfo;
  recursive: boolean;
  segment: string;
  /** How the command writes: 'rm', 'redirect >', 'cp', 'mv source', 'find -delete' … */
  via: string;
  /** cp/ln/install sources, for "seeding a locked file from its template". */
  copyFrom?: PathInfo[];
  /** find with -name/-path filters: only matching paths below the base are touched. */
  filters?: string[];
}

/** Where a command built by a rule runs (the same shell state, one level deeper, …). */
export interface InvokeAt {
  state: ShellState;
  depth: number;
  segment: string;
  background: boolean;
  stdin: Stdin | undefined;
  assigns?: Map<string, Arg>;
  xargs?: Unwrapped['xargs'];
}

/** Content a command wrote to a file earlier in the same command line. */
export interface WrittenFile {
  text: string;
  taint: Taint | undefined;
  /** The paths it lists, one per line, when a glob wrote them (`printf '%s\n' * > list`): each stands for its matches. */
  items?: Arg[] | undefined;
  /** The commands that wrote it when they print a list the guard knows the kind of (`git ls-files -o > list`). */
  producers?: Invocation[] | undefined;
}

/** What a rule may ask of the analysis. */
export interface RuleContext {
  readonly constraints: Constraints;
  readonly context: GuardContext;
  /** Records a finding (deduplicated by rule id and segment). */
  add(ruleId: string, severity: Severity, message: string, segment: string): void;
  /** A path the command writes or deletes. */
  target(target: Target): void;
  /** Resolves a path argument against the invocation's working directory. */
  path(arg: Arg, inv: Invocation): PathInfo;
  /** Something runs that the guard cannot see (a script file, interpreter code, an unknown program). */
  uncertain(): void;
  /** Runs an argv a rule built (find -exec, a git alias, an interpreter's system call) through wrappers and rules. */
  invoke(argv: Arg[], at: InvokeAt): Invocation | undefined;
  /** Analyses shell source text as if it ran here. */
  source(text: string, state: ShellState, depth: number, origin: string): void;
  /** Analyses a string a shell would run (bash -c, eval, su -c, a git alias), with $0, $1 … bound. */
  runShellString(code: Arg, positional: Arg[], inv: Invocation): void;
  /** What a script file written earlier in this command holds, if the guard saw it written. */
  writtenScript(arg: Arg, inv: Invocation): WrittenFile | undefined;
  /** Runs a script file written earlier in this command; false when its content is unknown. */
  runWrittenScript(arg: Arg, args: Arg[], inv: Invocation): boolean;
  /** Records what a command wrote to a file (undefined: unknowable, forget it). */
  remember(abs: string, content: WrittenFile | undefined, append: boolean): void;
  /** Runs `run` and hands back the targets it produced (taken out of the analysis: the caller re-adds them, mapped) and the findings it added. */
  capture(run: () => void): { targets: Target[]; findings: Finding[] };
  /** Memory a rule family keeps for the rest of this command line (git config set earlier, agent runs). */
  memory<T>(key: string, init: () => T): T;
}

export type Rule = (inv: Invocation, ctx: RuleContext) => void;

/** A rule module: the commands it judges and how. The registry (rule-registry.ts) lists every module. */
export interface RuleModule {
  /** Stable kebab-case name of the module (the finding ids it emits are documented in docs/guard.md). */
  name: string;
  /**
   * Command names it judges (basename after wrappers; versioned interpreters and mkfs.* share their family's key).
   * '*' judges every command; NO_COMMAND a wrapper that starts no command (`sudo -s`); UNKNOWN_NAME a program
   * whose name is only known at run time.
   */
  commands: readonly string[];
  check: Rule;
  /** Called once the whole command line is walked (for judgments over several commands). */
  finish?: (ctx: RuleContext) => void;
}

export const EVERY_COMMAND = '*';
export const NO_COMMAND = '<no-command>';
export const UNKNOWN_NAME = '<unknown-name>';
