// The part of Claude Code's hooks-module API (function hooks, "mods": early access) that fanout's module uses, as
// checked against the pinned CLI 2.1.328 (shared/claude-code-spec.md §6.7). Declared here rather than generated
// with `/plugin-types`: a few calls, and the e2e tests pin their behaviour.

export interface ModStat {
  kind: string;
  size: number;
  mtimeMs: number;
  isLink: boolean;
}

export interface ProcessResult {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** `$`: every call is spelled `$.noun.verb(…)` at the call site (the loader refuses `$` used as a value). */
export interface ModApi {
  fs: {
    read(path: string): Promise<string>;
    write(path: string, text: string): Promise<void>;
    stat(path: string): Promise<ModStat>;
    list(path: string): Promise<Array<{ name: string; kind: string }>>;
  };
  process: {
    run(argv: string[], init?: { cwd?: string; env?: Record<string, string>; stdin?: string; timeoutMs?: number }): Promise<ProcessResult>;
    /** The environment Claude Code gives command hooks: CLAUDE_PROJECT_DIR, CLAUDE_PLUGIN_DATA, the session id… */
    hookEnv(): Promise<Record<string, string | undefined>>;
  };
  env: { get(name: string): Promise<string | undefined> };
  session: { id(): Promise<string>; cwd(): Promise<string> };
  ui: { log(text: string): void };
}

/** `next` of a hook; in a `.catch` handler, `next.error` says how the hook failed. */
export type Next<E, R> = ((e: E) => Promise<R>) & { error?: { kind: string } };

export type Hook<E, R> = ($: ModApi, e: E, next: Next<E, R>) => Promise<R>;

export interface Registration<E, R> {
  /** Answers in the hook's place when it throws or times out (1 s to answer). */
  catch(handler: Hook<E, R>): void;
}

/** `tool.call`: the tool's input fields at the top level, plus these. */
export type ToolCallEvent = Readonly<Record<string, unknown>> & { tool: string; tool_use_id: string; agentId?: string };

/** `{ deny }` refuses the call (the model reads the text as the tool's error); anything else came from `next`. */
export type ToolCallResult = { deny: string } | Record<string, unknown>;

export interface SessionStartEvent {
  cwd: string;
}

export interface On {
  (event: 'session.start', hook: Hook<SessionStartEvent, unknown>): Registration<SessionStartEvent, unknown>;
  (event: 'tool.call', matcher: { tool: RegExp }, hook: Hook<ToolCallEvent, ToolCallResult>): Registration<ToolCallEvent, ToolCallResult>;
}
