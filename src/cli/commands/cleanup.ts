// `fanout cleanup`: sweep what crashed runs left, keeping every piece of work.
import { parseFlags, type Command } from '../command.js';

const usage = `Usage: fanout cleanup [--run <run-id>] [--json]

Sweeps leftovers of runs that are not active (all of them, or one with --run): stops stray agent processes,
removes worktrees without uncommitted changes (a worktree with changes is kept and listed), prunes, deletes
the run's branches whose commits are merged and keeps the others, and clears a stale lock.`;

export const command: Command = {
  usage,
  async run(argv) {
    const { values } = parseFlags('cleanup', argv, { run: { type: 'string' }, json: { type: 'boolean' } }, false);
    const { cleanupRuns } = await import('../../orchestrate/index.js');
    const report = await cleanupRuns({ cwd: process.cwd(), runId: values.run });
    if (values.json) {
      process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      return 0;
    }
    const lines: string[] = [];
    for (const run of report.runs) {
      if (run.skipped) {
        lines.push(`${run.runId}: skipped (${run.skipped})`);
        continue;
      }
      const nothing = run.killedProcesses === 0 && run.removedWorktrees.length === 0 && run.deletedBranches.length === 0 && run.keptWorktrees.length === 0 && run.keptBranches.length === 0;
      if (nothing) continue;
      const parts = [
        run.killedProcesses > 0 ? `stopped ${run.killedProcesses} stray process${run.killedProcesses === 1 ? '' : 'es'}` : undefined,
        `removed ${run.removedWorktrees.length} worktree${run.removedWorktrees.length === 1 ? '' : 's'}`,
        `deleted ${run.deletedBranches.length} merged branch${run.deletedBranches.length === 1 ? '' : 'es'}`,
      ].filter(Boolean);
      lines.push(`${run.runId}: ${parts.join(', ')}`);
      for (const kept of run.keptWorktrees) lines.push(`  kept worktree ${kept.path}: ${kept.reason}`);
      for (const kept of run.keptBranches) lines.push(`  kept branch ${kept.branch}: ${kept.reason}`);
    }
    if (lines.length === 0) lines.push('Nothing to clean up.');
    if (report.clearedLock) lines.push(`Cleared the stale lock of run ${report.clearedLock.runId} (pid ${report.clearedLock.pid}).`);
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};
