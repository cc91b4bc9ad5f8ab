// Which Claude Code hook events run fanout's hook bundle, and how: one source for the per-repo
// settings entries and the plugin's hooks/hooks.json.

/** Where the hook bundle lives, seen from the hook command (bash expands the variable). */
export type InstallTarget = 'repo' | 'plugin';

export const HOOK_PATHS: Record<InstallTarget, string> = {
  repo: '$CLAUDE_PROJECT_DIR/.claude/fanout/hook.cjs',
  plugin: '${CLAUDE_PLUGIN_ROOT}/dist/hook.cjs',
};

/**
 * The tools the guard judges: shell, file writes, subagents (isolation: worktree), MCP tools (file-writing ones
 * by name). An anchored regex, because a plain name list cannot express the mcp__ prefix (spec §3.1). Read, Glob,
 * Grep and the rest are not matched: the guard allows them anyway, and a node spawn on every read costs ~50 ms.
 */
export const TOOL_MATCHER = '^(Bash|Write|Edit|MultiEdit|NotebookEdit|Agent|Task|Skill|mcp__.+)$';

/** Seconds: the hook answers in ~0.1 s; 10 s leaves room for a loaded machine and still fails fast (default 600 s). */
export const HOOK_TIMEOUT_SECONDS = 10;

export interface HookEntry {
  type: 'command';
  command: string;
  /** Exec form: `command` is run directly with these arguments, no shell (Claude Code substitutes ${CLAUDE_PLUGIN_ROOT}). */
  args?: string[];
  timeout: number;
  onFailure?: 'block';
}

export interface HookGroup {
  matcher?: string;
  hooks: HookEntry[];
}

export interface WiredEvent {
  /** Claude Code's event name, the key under settings.hooks. */
  event: string;
  /** The argument hook.cjs takes (src/hooks/main.ts HOOK_EVENTS). */
  hookEvent: string;
  /** Tool events only. */
  matcher?: string;
  /**
   * Fail closed where the hook's answer gates something (a tool call, a prompt): a crash or timeout then blocks.
   * SessionStart and the subagent events only record and inform; they exit 1 on failure by design
   * (src/hooks/main.ts), which onFailure "block" would turn into a blocking error the model must read (on
   * SubagentStop: one that keeps the subagent running). A lost SubagentStop only keeps a writer claim longer.
   */
  failClosed: boolean;
}

/**
 * One node start per tool call at most: PreToolUse judges, and also records what the call changes and reports
 * warn-level locks, which a PostToolUse hook once did at the cost of a second node start per call (an `async`
 * PostToolUse does not help: checked on 2.1.328, its output reaches the model only when it finishes before the next
 * request, and it still costs a node start).
 * UserPromptSubmit sees every typed prompt, `/orchestrate plan.md` included; UserPromptExpansion fires only for
 * slash commands, after UserPromptSubmit and not at all when that blocked (checked on 2.1.328). Both are wired so
 * the gate holds if either is disabled; the cost is one extra node start per slash command.
 */
export const WIRED_EVENTS: readonly WiredEvent[] = [
  { event: 'PreToolUse', hookEvent: 'pre-tool-use', matcher: TOOL_MATCHER, failClosed: true },
  { event: 'SessionStart', hookEvent: 'session-start', failClosed: false },
  { event: 'UserPromptSubmit', hookEvent: 'user-prompt-submit', failClosed: true },
  { event: 'UserPromptExpansion', hookEvent: 'user-prompt-expansion', failClosed: true },
  // Which subagents of a session run: a writer's claim on the checkout ends when it stops (parallel-writers).
  { event: 'SubagentStart', hookEvent: 'subagent-start', failClosed: false },
  { event: 'SubagentStop', hookEvent: 'subagent-stop', failClosed: false },
];

/** Settings-shaped hooks: event → the one group fanout adds to it, in wiring order. */
export type Wiring = Array<{ event: string; group: HookGroup }>;

/**
 * The plugin's hooks module (src/mod/register.ts), relative to hooks/: where Claude Code loads it, it judges tool
 * calls in-process. The plugin's PreToolUse command hook stays as the fail-closed backstop, a shell script that
 * exits at once for a call the module already judged and runs hook.cjs otherwise (src/mod/pre-tool-use.sh).
 */
export const PLUGIN_MODULE = '../dist/plugin/fanout-hooks.mjs';
/**
 * Run by bash directly (exec form), not through `bash -c`: a command string starts the user's shell, which (Debian's
 * bash, with the socket Claude Code gives hooks as stdin) sources ~/.bashrc on every call; and the script needs
 * bash's `read -N` (checked on 2.1.328, docs/install.md: about the cost of a hook that only runs `true`).
 */
export const PLUGIN_PRE_TOOL_USE = { command: 'bash', args: ['${CLAUDE_PLUGIN_ROOT}/dist/plugin/pre-tool-use.sh'] };

export function hookCommand(target: InstallTarget, hookEvent: string): string {
  return `node "${HOOK_PATHS[target]}" ${hookEvent}`;
}

export function fanoutWiring(target: InstallTarget): Wiring {
  return WIRED_EVENTS.map((wired) => {
    const command = target === 'plugin' && wired.hookEvent === 'pre-tool-use' ? PLUGIN_PRE_TOOL_USE : { command: hookCommand(target, wired.hookEvent) };
    const entry: HookEntry = { type: 'command', ...command, timeout: HOOK_TIMEOUT_SECONDS };
    if (wired.failClosed) entry.onFailure = 'block';
    return { event: wired.event, group: wired.matcher === undefined ? { hooks: [entry] } : { matcher: wired.matcher, hooks: [entry] } };
  });
}

/**
 * fanout's own per-repo entries, from any version: they run the copied bundle in .claude/fanout/ (hook.cjs, hook.mjs, or an
 * older `cli.mjs hook <event>`). Recognised by command so that re-running init replaces them instead of adding more.
 */
export function isFanoutHookCommand(command: unknown): boolean {
  return typeof command === 'string' && /(^|[\s"'/=])\.claude\/fanout\/(hook\.[cm]js|cli\.mjs["']?\s+hook)(["'\s]|$)/.test(command);
}

/** hooks/hooks.json for the plugin. */
export function pluginHooksJson(): { description: string; modules: string[]; hooks: Record<string, HookGroup[]> } {
  const hooks: Record<string, HookGroup[]> = {};
  for (const { event, group } of fanoutWiring('plugin')) hooks[event] = [group];
  return {
    description:
      'fanout: Phase 0 guard, parallel-writers gate and run ledger (in-process hooks module, PreToolUse backstop), constraints in context (SessionStart), complexity gate (UserPromptSubmit/Expansion), subagent tracking (SubagentStart/Stop)',
    modules: [PLUGIN_MODULE],
    hooks,
  };
}
