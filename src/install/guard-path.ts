// Which way the plugin's guard judges tool calls on this machine: in-process (the hooks module, where Claude Code
// loads function hooks) or in node (the plugin's PreToolUse command hook, the fail-closed backstop). The module names
// each call it lets through in <plugin data>/judged/<session id> (src/hooks/judged-marker.ts); those files say
// whether, and when, it last judged calls here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { JUDGED_DIR } from '../hooks/judged-marker.js';

export interface ModuleSeen {
  session: string;
  /** mtime of its marker file: the last call the module let through in that session. */
  at: number;
}

/** The session whose marker file is newest, across the fanout plugin's data dirs (`fanout-<marketplace>`, `fanout-inline`). */
export function lastModuleSession(configDir: string): ModuleSeen | undefined {
  const dataRoot = join(configDir, 'plugins', 'data');
  let newest: ModuleSeen | undefined;
  for (const data of listQuietly(dataRoot).filter((name) => name.startsWith('fanout-'))) {
    const dir = join(dataRoot, data, JUDGED_DIR);
    for (const session of listQuietly(dir)) {
      try {
        const at = statSync(join(dir, session)).mtimeMs;
        if (newest === undefined || at > newest.at) newest = { session, at };
      } catch {
        // Swept or written meanwhile: the others still tell.
      }
    }
  }
  return newest;
}

function listQuietly(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function ago(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return 'less than a minute ago';
  if (minutes < 120) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

/** doctor's words for the plugin's guard path, from what the module left behind. */
export function describeGuardPath(seen: ModuleSeen | undefined, now: number): { summary: string; detail: string } {
  const backstop = "the plugin's PreToolUse command hook judges every call the module did not, in node, fail closed (one node start per call)";
  const detail = "Claude Code 2.1.287+ loads plugin hooks modules (function hooks, early access); `claude --debug-file <file>` shows 'hooks module fanout@… loaded', or why it was dropped.";
  if (seen === undefined) {
    return { summary: `plugin guard: no session here has used fanout's in-process hooks module yet (a new install, or a Claude Code without function hooks); until one does, ${backstop}`, detail };
  }
  return { summary: `plugin guard: in-process, fanout's hooks module judged tool calls in session ${seen.session}, the last ${ago(now - seen.at)}; ${backstop}`, detail };
}
