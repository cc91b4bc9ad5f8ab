# fanout's PreToolUse command hook in the plugin, sourced by the hook's shell from hooks/hooks.json:
#   . "${CLAUDE_PLUGIN_ROOT}/dist/plugin/pre-tool-use.sh"
# Where Claude Code loaded fanout's hooks module (src/mod/register.ts), the module judged this very call in-process
# and wrote its tool_use_id to the marker file (src/hooks/judged-marker.ts): then say nothing, and no node starts.
# Anywhere else (no function hooks, a module that failed to load or was unloaded, a call the module left to this
# hook) run the guard in node. A missing script, node or hook fails the hook, and onFailure "block" blocks the call.
fanout_hook="${CLAUDE_PLUGIN_ROOT}/dist/hook.cjs"
fanout_marker="${CLAUDE_PLUGIN_DATA:-}/judged/${CLAUDE_CODE_SESSION_ID:-}"
if [ -n "${CLAUDE_PLUGIN_DATA:-}" ] && [ -n "${CLAUDE_CODE_SESSION_ID:-}" ] && [ -r "$fanout_marker" ]; then
  fanout_input=$(cat)
  while IFS= read -r fanout_id || [ -n "$fanout_id" ]; do
    case $fanout_id in '' | *[!A-Za-z0-9_-]*) continue ;; esac
    case $fanout_input in *"\"tool_use_id\":\"$fanout_id\""*) exit 0 ;; esac
  done < "$fanout_marker"
  printf '%s\n' "$fanout_input" | node "$fanout_hook" pre-tool-use
  exit $?
fi
exec node "$fanout_hook" pre-tool-use
