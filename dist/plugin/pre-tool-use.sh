# fanout's PreToolUse command hook in the plugin, run by bash from hooks/hooks.json (exec form, no shell -c: no rc
# files, and `read -N` is there): bash "${CLAUDE_PLUGIN_ROOT}/dist/plugin/pre-tool-use.sh".
# Where Claude Code loaded fanout's hooks module (src/mod/register.ts), the module judged this very call in-process
# and wrote its tool_use_id to the marker file (src/hooks/judged-marker.ts): then say nothing, and no node starts.
# Anywhere else (no function hooks, a module that failed to load or was unloaded, a call the module left to this
# hook) run the guard in node. A missing script, node or hook fails the hook, and onFailure "block" blocks the call.
fanout_hook="${CLAUDE_PLUGIN_ROOT}/dist/hook.cjs"
fanout_marker="${CLAUDE_PLUGIN_DATA:-}/judged/${CLAUDE_CODE_SESSION_ID:-}"
if [ -n "${CLAUDE_PLUGIN_DATA:-}" ] && [ -n "${CLAUDE_CODE_SESSION_ID:-}" ] && [ -r "$fanout_marker" ]; then
  # The input in one builtin read: -N reads in blocks (a 1 MB Write in ~40 ms), where `read` without it reads a byte
  # per system call and $(cat) starts a process. Whatever it could not read (a bash without -N reads nothing) still
  # reaches node below, after what it read.
  # Bytes, not characters: counting and cutting a multi-megabyte string is then cheap (the JSON is ASCII).
  LC_ALL=C
  fanout_input=
  IFS= read -r -N 67108864 fanout_input 2>/dev/null
  # tool_use_id is the input's last key: match against the tail, not a megabyte of Write content.
  fanout_tail=$fanout_input
  if [ "${#fanout_input}" -gt 512 ]; then fanout_tail=${fanout_input: -512}; fi
  while IFS= read -r fanout_id || [ -n "$fanout_id" ]; do
    case $fanout_id in '' | *[!A-Za-z0-9_-]*) continue ;; esac
    case $fanout_tail in *"\"tool_use_id\":\"$fanout_id\"}"*) exit 0 ;; esac
  done < "$fanout_marker"
  { printf '%s' "$fanout_input"; exec cat; } | node "$fanout_hook" pre-tool-use
  exit $?
fi
exec node "$fanout_hook" pre-tool-use
