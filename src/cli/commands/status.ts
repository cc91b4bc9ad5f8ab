// `fanout status`: active and past orchestrator runs of this repo.
import { parseFlags, type Command } from '../command.js';

const usage = `Usage: fanout status [--json]

Lists the orchestrator runs of this repo, newest last: status (running, merged, failed, conflict, invalid,
interrupted, or crashed when its process is gone), target branch, batches, and where the report is.`;

export const command: Command = {
  usage,
  async run(argv) {
    const { values } = parseFlags('status', argv, { json: { type: 'boolean' } }, false);
    const { listRuns } = await import('../../orchestrate/index.js');
    const status = await listRuns({ cwd: process.cwd() });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      return 0;
    }
    const lines: string[] = [];
    if (status.lock) {
      lines.push(
        status.lock.stale
          ? `Stale lock: run ${status.lock.runId} (pid ${status.lock.pid}) is gone; \`fanout cleanup\` sweeps it and clears the lock.`
          : `Active: run ${status.lock.runId} (pid ${status.lock.pid}, started ${status.lock.startedAt}).`,
        '',
      );
    }
    for (const bad of status.unreadable) {
      lines.push(`Unreadable: run ${bad.runId}: ${bad.problem} (${bad.file}). Its branches (fanout/${bad.runId}/…) and worktrees are left as they are; \`fanout cleanup --run ${bad.runId}\` sweeps them with the usual rules.`);
    }
    if (status.unreadable.length > 0) lines.push('');
    if (status.runs.length === 0) {
      lines.push(status.unreadable.length > 0 ? 'No other runs.' : 'No runs in this repo yet. Start one with `fanout orchestrate <plan>` (or try `fanout demo`).');
    } else {
      const rows = status.runs.map((run) => {
        const counts = new Map<string, number>();
        for (const batch of run.batches) counts.set(batch.status, (counts.get(batch.status) ?? 0) + 1);
        return [run.runId, run.status, run.target ?? '-', [...counts].map(([s, n]) => `${n} ${s}`).join(', '), run.title];
      });
      const header = ['run', 'status', 'target', 'batches', 'plan'];
      const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
      const format = (cells: string[]) => cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c] ?? 0))).join('  ');
      lines.push(format(header), ...rows.map(format));
      const crashed = status.runs.filter((run) => run.status === 'crashed');
      if (crashed.length > 0) lines.push('', `Crashed runs leave worktrees and branches behind: \`fanout cleanup\` sweeps them and keeps any work.`);
      const last = status.runs[status.runs.length - 1];
      if (last?.report) lines.push('', `Latest report: ${last.report}`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
