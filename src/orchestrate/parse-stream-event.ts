// Progress read from Claude Code's `--output-format stream-json` lines: tool calls, files written, cost.
// Any other agent's output is just logged; lines that are not stream-json events are ignored.

export interface StreamProgress {
  toolCalls: number;
  files: Set<string>;
  costUsd: number | null;
}

const WRITE_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);

export function emptyProgress(): StreamProgress {
  return { toolCalls: 0, files: new Set(), costUsd: null };
}

/** Folds one output line into progress; returns whether anything changed. */
export function applyStreamLine(progress: StreamProgress, line: string): boolean {
  if (!line.startsWith('{')) return false;
  let event: unknown;
  try {
    event = JSON.parse(line);
  } catch {
    return false;
  }
  if (!event || typeof event !== 'object') return false;
  const { type } = event as { type?: unknown };
  if (type === 'assistant') {
    const content = (event as { message?: { content?: unknown } }).message?.content;
    if (!Array.isArray(content)) return false;
    let changed = false;
    for (const block of content as Array<{ type?: unknown; name?: unknown; input?: Record<string, unknown> }>) {
      if (block?.type !== 'tool_use') continue;
      progress.toolCalls++;
      changed = true;
      const path = block.input?.['file_path'] ?? block.input?.['notebook_path'];
      if (typeof block.name === 'string' && WRITE_TOOLS.has(block.name) && typeof path === 'string') progress.files.add(path);
    }
    return changed;
  }
  if (type === 'result') {
    const cost = (event as { total_cost_usd?: unknown }).total_cost_usd;
    if (typeof cost === 'number') {
      progress.costUsd = cost;
      return true;
    }
  }
  return false;
}
