// PostToolUse used to record changed files and report warn-level locks after each call, at the cost of a second
// node start per tool call. Both moved to PreToolUse (src/hooks/pre-tool-use.ts). The event still answers, with
// nothing, so that settings written by an older fanout keep working until `fanout init` rewrites them.
export function postToolUse(): Promise<undefined> {
  return Promise.resolve(undefined);
}
