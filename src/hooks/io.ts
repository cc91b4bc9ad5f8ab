// Claude Code hook protocol: JSON on stdin, a decision as JSON on stdout (see shared/claude-code-spec.md §1-2).

/** Above this the input is refused rather than parsed: no honest tool call is that large. */
export const MAX_INPUT_BYTES = 32 * 1024 * 1024;

export type HookInput = Record<string, unknown> & { hook_event_name?: string; cwd?: string; session_id?: string };

export type ReadInputResult = { ok: true; input: HookInput } | { ok: false; reason: string };

export function parseHookInput(raw: string): ReadInputResult {
  if (raw.length > MAX_INPUT_BYTES) return { ok: false, reason: `hook input is ${raw.length} bytes, over the ${MAX_INPUT_BYTES}-byte limit` };
  if (raw.trim() === '') return { ok: false, reason: 'hook input is empty; Claude Code sends the tool call as JSON on stdin' };
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    return { ok: false, reason: `hook input is not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, reason: 'hook input must be a JSON object' };
  return { ok: true, input: value as HookInput };
}

export function preToolUseDecision(decision: 'deny' | 'ask', reason: string): string {
  return JSON.stringify({ hookSpecificOutput: { hookEventName: 'PreToolUse', permissionDecision: decision, permissionDecisionReason: reason } });
}

export function additionalContext(event: 'PreToolUse' | 'PostToolUse' | 'SessionStart' | 'UserPromptSubmit' | 'UserPromptExpansion', text: string): string {
  return JSON.stringify({ hookSpecificOutput: { hookEventName: event, additionalContext: text } });
}

export function blockPrompt(reason: string): string {
  return JSON.stringify({ decision: 'block', reason });
}
