// How the hooks module tells the plugin's PreToolUse command hook "I judged this call already": it writes the
// tool_use_ids it let through to <CLAUDE_PLUGIN_DATA>/judged/<session id>, newest first, one per line, and the
// command hook (src/mod/pre-tool-use.sh) exits at once when its input names one of them. A call the module did not
// judge (function hooks off, the module failed to load or was unloaded, a call it left to the command hook) finds
// no line and runs the guard in node, fail closed. Ids are random per call, so a stale file never matches.
import type { HostFs } from '../util/host-fs.js';

export const JUDGED_DIR = 'judged';

/** Enough for the calls of one assistant message that run at once; older ids are dropped. */
export const JUDGED_KEEP = 16;

export function judgedMarkerPath(pluginData: string, sessionId: string): string {
  return `${pluginData.replace(/\/+$/, '')}/${JUDGED_DIR}/${sessionId}`;
}

/** The shell side reads ids as [A-Za-z0-9_-]+ and skips anything else; so does this side. */
export function isMarkableId(id: string): boolean {
  return /^[A-Za-z0-9_-]{1,200}$/.test(id);
}

/** The marker's new content: `id` first, then up to JUDGED_KEEP - 1 of the previous ids. */
export function nextJudged(previous: readonly string[], id: string): string[] {
  return [id, ...previous.filter((p) => p !== id)].slice(0, JUDGED_KEEP);
}

/** Marker files of sessions idle this long go at the next SessionStart: their ids can no longer match a call. */
export const JUDGED_RETENTION_MS = 24 * 60 * 60_000;

/** Removes the marker files of other sessions idle for JUDGED_RETENTION_MS (one file per session otherwise piles up). */
export async function sweepJudgedMarkers(fs: HostFs, pluginData: string, options: { keep?: string | undefined; now: number }): Promise<number> {
  if (!fs.remove) return 0;
  const dir = `${pluginData.replace(/\/+$/, '')}/${JUDGED_DIR}`;
  let removed = 0;
  for (const name of await fs.list(dir)) {
    if (name === options.keep || !isMarkableId(name)) continue;
    const stat = await fs.stat(`${dir}/${name}`);
    if (stat?.kind === 'file' && options.now - stat.mtimeMs > JUDGED_RETENTION_MS) {
      await fs.remove(`${dir}/${name}`);
      removed++;
    }
  }
  return removed;
}
