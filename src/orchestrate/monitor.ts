// Live progress per batch: a table redrawn in place on a terminal, one line per event otherwise
// (inside Claude Code's Bash tool, or a log file).
import { formatDuration } from './parse-duration.js';
import type { BatchStatus } from './run-state.js';

export interface MonitorRow {
  id: string;
  status: BatchStatus;
  startedAt: number | null;
  endedAt: number | null;
  files: number | null;
  toolCalls: number;
  costUsd: number | null;
}

export interface Monitor {
  update(id: string, patch: Partial<Omit<MonitorRow, 'id'>>): void;
  /** A message between the rows' events (phase changes, warnings). */
  note(message: string): void;
  stop(): void;
}

export interface MonitorOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

const FINAL: ReadonlySet<BatchStatus> = new Set(['done', 'failed', 'timeout', 'interrupted', 'needs-human', 'invalid', 'conflict', 'merged']);

export function createMonitor(out: MonitorOutput, title: string, ids: readonly string[], tty = out.isTTY === true, now: () => number = Date.now): Monitor {
  const rows = new Map<string, MonitorRow>(ids.map((id) => [id, { id, status: 'queued', startedAt: null, endedAt: null, files: null, toolCalls: 0, costUsd: null }]));
  const started = now();
  const elapsed = (row: MonitorRow) => (row.startedAt === null ? '' : formatDuration((row.endedAt ?? now()) - row.startedAt));
  const details = (row: MonitorRow) =>
    [row.files === null ? undefined : `${row.files} file${row.files === 1 ? '' : 's'}`, row.toolCalls > 0 ? `${row.toolCalls} tool call${row.toolCalls === 1 ? '' : 's'}` : undefined, row.costUsd === null ? undefined : `$${row.costUsd.toFixed(4)}`]
      .filter((part) => part !== undefined)
      .join(', ');

  if (!tty) {
    out.write(`fanout: ${title}\n`);
    return {
      update(id, patch) {
        const row = rows.get(id);
        if (!row) return;
        const before = row.status;
        Object.assign(row, patch);
        if (patch.status === undefined || patch.status === before) return;
        const time = formatDuration(now() - started).padStart(6);
        const extra = FINAL.has(row.status) ? [elapsed(row) && `after ${elapsed(row)}`, details(row)].filter(Boolean).join(', ') : '';
        out.write(`fanout: [${time}] ${id}: ${row.status}${extra ? ` (${extra})` : ''}\n`);
      },
      note(message) {
        out.write(`fanout: ${message}\n`);
      },
      stop() {},
    };
  }

  const width = Math.max(5, ...ids.map((id) => id.length));
  let drawn = 0;
  const render = () => {
    const lines = [`fanout ${title}`, `  ${'batch'.padEnd(width)}  ${'status'.padEnd(10)}  ${'elapsed'.padStart(7)}  progress`];
    for (const row of rows.values()) lines.push(`  ${row.id.padEnd(width)}  ${row.status.padEnd(10)}  ${elapsed(row).padStart(7)}  ${details(row)}`);
    return lines;
  };
  const clear = () => {
    if (drawn > 0) out.write(`\x1b[${drawn}F\x1b[J`);
    drawn = 0;
  };
  const draw = () => {
    clear();
    const lines = render();
    out.write(`${lines.join('\n')}\n`);
    drawn = lines.length;
  };
  draw();
  const timer = setInterval(draw, 250);
  timer.unref();
  return {
    update(id, patch) {
      const row = rows.get(id);
      if (!row) return;
      Object.assign(row, patch);
    },
    note(message) {
      clear();
      out.write(`fanout: ${message}\n`);
      draw();
    },
    stop() {
      clearInterval(timer);
      draw();
    },
  };
}
