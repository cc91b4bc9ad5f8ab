// Validate: the validate command in a batch's worktree, or on the merged result in a worktree of the
// integration branch (after the setup command, as in the batches' worktrees). Each call stands alone, so
// the driver decides which trees are validated and when.
import { realpathSync } from 'node:fs';
import { join } from 'node:path';
import { gitTasks } from '../git-tasks.js';
import { batchFiles, integrationValidateLog } from '../run-paths.js';
import { runProcess } from '../run-process.js';
import type { BatchState, ValidationResult } from '../run-state.js';
import { describeExit, succeeded } from './process-outcome.js';
import { provisionIntegration } from './provision.js';
import { batchEnv } from './run-agent.js';
import type { Run } from './start-run.js';

/** Validates a batch's branch in its worktree: done when green, invalid when red. */
export async function validateBatch(run: Run, batch: BatchState): Promise<void> {
  if (run.validateWords === null || run.signal.aborted) return;
  run.setStatus(batch, 'validating');
  batch.validation = await runValidation(run, batch.worktree, batchFiles(run.paths.runDir, batch.id).validateLog, `${run.state.runId}/${batch.id}/validate`, batchEnv(run, batch));
  if (run.signal.aborted) return;
  run.setStatus(batch, batch.validation.ok ? 'done' : 'invalid');
}

/** Validates the merged result; true when it is green (or there is nothing to validate with). */
export async function validateIntegration(run: Run): Promise<boolean> {
  const { state, paths, repo } = run;
  if (run.validateWords === null) return !run.signal.aborted;
  run.monitor.note(`validating the merged result on ${state.integration.branch}`);
  const path = integrationWorktree(run);
  await repo.git(gitTasks.addWorktree(path, state.integration.branch));
  state.integration.worktree = path;
  run.save();
  provisionIntegration(run, path);
  const cwd = realpathSync(path);
  const env = { FANOUT_RUN_ID: state.runId, FANOUT_BATCH: '' };
  // Validation needs what the setup provides (installed dependencies…) here as in the batches' worktrees.
  if (run.setupWords !== null) {
    const log = integrationValidateLog(paths.runDir).replace(/validate\.log$/, 'setup.log');
    const setup = await runProcess({ argv: run.setupWords, cwd, env, marker: `${state.runId}/_integration/setup`, log, timeoutMs: state.options.timeoutMs, signal: run.signal, killGraceMs: run.killGraceMs });
    if (!succeeded(setup)) {
      state.integration.validation = { ok: false, exitCode: setup.exitCode, timedOut: setup.timedOut, durationMs: setup.durationMs, log };
      state.error = `the setup command ${describeExit(setup)} in the integration worktree; see ${log}`;
      run.save();
      return false;
    }
  }
  state.integration.validation = await runValidation(run, cwd, integrationValidateLog(paths.runDir), `${state.runId}/_integration/validate`, env);
  run.save();
  return state.integration.validation.ok && !run.signal.aborted;
}

/** <worktrees dir>/<last segment of the integration branch>: integration, unless a batch took that name. */
export function integrationWorktree(run: Run): string {
  return join(run.paths.worktreesDir, run.state.integration.branch.split('/').pop() ?? 'integration');
}

async function runValidation(run: Run, cwd: string, log: string, marker: string, env: Record<string, string>): Promise<ValidationResult> {
  const result = await runProcess({ argv: run.validateWords ?? [], cwd, env, marker, log, timeoutMs: run.state.options.timeoutMs, signal: run.signal, killGraceMs: run.killGraceMs });
  return { ok: succeeded(result), exitCode: result.exitCode, timedOut: result.timedOut, durationMs: result.durationMs, log };
}
