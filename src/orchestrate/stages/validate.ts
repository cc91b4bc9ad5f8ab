// Validate: the validate command in a batch's worktree, or on the merged result in the integration
// worktree. Dependencies follow the change: when the tree being validated changed a manifest or lockfile,
// the project's package manager installs them there first. Each call stands alone, so the driver decides
// which trees are validated and when.
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { portEnv } from '../allocate-ports.js';
import { gitTasks } from '../git-tasks.js';
import { changesDependencies, detectPackageManager, DEPENDENCY_FILES, installCommand, LOCKFILES } from '../provision/package-manager.js';
import { onPath } from '../on-path.js';
import { formatDuration } from '../parse-duration.js';
import { batchFiles, INTEGRATION_ID, integrationValidateLog } from '../run-paths.js';
import { runProcess } from '../run-process.js';
import type { BatchState, DependencyInstall, ValidationResult } from '../run-state.js';
import { formatCommand } from '../split-words.js';
import { integrationWorktree } from './fan-out.js';
import { describeExit, succeeded } from './process-outcome.js';
import { provisionIntegration, worktreeGit, worktreeGitEnv, type Provisioning } from './provision.js';
import { batchEnv } from './run-agent.js';
import { messageOf, type Run } from './start-run.js';

/** Validates a batch's branch in its worktree: done when green, invalid when red. */
export async function validateBatch(run: Run, batch: BatchState): Promise<void> {
  if (run.validateWords === null || run.signal.aborted) return;
  run.setStatus(batch, 'validating');
  const files = batchFiles(run.paths.runDir, batch.id);
  const env = batchEnv(run, batch);
  const install = await installChangedDependencies(run, batch.worktree, batch.changedFiles, files.depsLog, `${run.state.runId}/${batch.id}/install`, env);
  batch.install = install;
  if (install !== null && !install.ok) {
    batch.validation = { ok: false, exitCode: install.exitCode, timedOut: false, durationMs: install.durationMs, log: install.log };
    batch.error = `installing the changed dependencies (\`${install.command}\`) failed, so it was not validated; see ${install.log}`;
  } else {
    batch.validation = await runValidation(run, batch.worktree, files.validateLog, `${run.state.runId}/${batch.id}/validate`, env);
  }
  if (run.signal.aborted) return;
  run.setStatus(batch, batch.validation.ok ? 'done' : 'invalid');
}

/**
 * Makes the integration worktree ready while the agents run: provisioned like every batch's, at the base
 * until the integration branch exists. Never rejects: validateIntegration reports what went wrong.
 */
export function prepareIntegration(run: Run, provisioning: Provisioning): Promise<string | null> {
  if (run.validateWords === null || !run.state.integration.worktree) return Promise.resolve(null);
  const path = run.state.integration.worktree;
  return provisionIntegration(run, provisioning, path).then(
    () => null,
    (error: unknown) => `its worktree could not be provisioned: ${messageOf(error)}`,
  );
}

/** Validates the merged result; true when it is green (or there is nothing to validate with). */
export async function validateIntegration(run: Run, provisioning: Provisioning, prepared: Promise<string | null>): Promise<boolean> {
  const { state, paths, repo } = run;
  if (run.validateWords === null) return !run.signal.aborted;
  run.monitor.note(`validating the merged result on ${state.integration.branch}`);
  const failed = (error: string, log: string) => {
    state.integration.validation = { ok: false, exitCode: null, timedOut: false, durationMs: 0, log };
    state.error = `the merged result could not be validated: ${error}`;
    run.save();
    return false;
  };
  let problem = await prepared;
  if (problem !== null) return failed(problem, integrationValidateLog(paths.runDir));
  let cwd = state.integration.worktree;
  try {
    if (!cwd) {
      // Not made during fan-out (it failed there): made now, provisioned now.
      const path = integrationWorktree(run);
      await repo.git(gitTasks.addWorktreeDetached(path, state.base));
      cwd = realpathSync(path);
      state.integration.worktree = cwd;
      run.save();
      problem = await prepareIntegration(run, provisioning);
      if (problem !== null) return failed(problem, integrationValidateLog(paths.runDir));
    }
    await worktreeGit(run, cwd, INTEGRATION_ID)(gitTasks.switchTo(state.integration.branch));
  } catch (error) {
    return failed(`its worktree could not be checked out (${messageOf(error)})`, integrationValidateLog(paths.runDir));
  }
  const env = { FANOUT_RUN_ID: state.runId, FANOUT_BATCH: '', ...portEnv(state.integration.ports), ...worktreeGitEnv(run, INTEGRATION_ID) };
  const files = batchFiles(paths.runDir, INTEGRATION_ID);
  const merged = state.integration.head === null ? [] : (await repo.git(gitTasks.changedFiles(state.base, state.integration.head))).files;
  const install = await installChangedDependencies(run, cwd, merged, files.depsLog, `${state.runId}/${INTEGRATION_ID}/install`, env);
  state.integration.install = install;
  if (install !== null && !install.ok) return failed(`installing the changed dependencies (\`${install.command}\`) failed; see ${install.log}`, install.log);
  // Validation needs what the setup provides here as in the batches' worktrees.
  if (run.setupWords !== null) {
    const setup = await runProcess({ argv: run.setupWords, cwd, env, marker: `${state.runId}/${INTEGRATION_ID}/setup`, log: files.setupLog, timeoutMs: state.options.timeoutMs, signal: run.signal, killGraceMs: run.killGraceMs });
    if (!succeeded(setup)) {
      state.integration.validation = { ok: false, exitCode: setup.exitCode, timedOut: setup.timedOut, durationMs: setup.durationMs, log: files.setupLog };
      state.error = `the setup command ${describeExit(setup)} in the integration worktree; see ${files.setupLog}`;
      run.save();
      return false;
    }
  }
  state.integration.validation = await runValidation(run, cwd, files.validateLog, `${state.runId}/${INTEGRATION_ID}/validate`, env);
  run.save();
  return state.integration.validation.ok && !run.signal.aborted;
}

/**
 * When changedFiles touch a manifest, lockfile or package-manager config, installs with the project's
 * package manager (from the lockfile; the pinned version where it runs) in each project directory they
 * belong to (the nearest directory above them with a lockfile, else the top one with a package.json).
 */
async function installChangedDependencies(run: Run, worktree: string, changedFiles: readonly string[], log: string, marker: string, env: Record<string, string>): Promise<DependencyInstall | null> {
  if (!changesDependencies(changedFiles)) return null;
  const projects = [...new Set(changedFiles.filter((file) => DEPENDENCY_FILES.has(file.slice(file.lastIndexOf('/') + 1))).map((file) => projectDir(worktree, dirname(file))))].filter((dir) => dir !== null);
  let total: DependencyInstall | null = null;
  let elapsed = 0;
  for (const dir of projects) {
    const cwd = dir === '.' ? worktree : join(worktree, dir);
    const lockfiles = Object.keys(LOCKFILES).filter((name) => existsSync(join(cwd, name)));
    const manager = detectPackageManager(lockfiles, readManifest(cwd)?.['packageManager']);
    const argv = installCommand(manager, (program) => onPath(program, run.env));
    run.monitor.note(`${dir === '.' ? '' : `${dir}: `}dependencies changed in ${worktree}: \`${formatCommand(argv)}\``);
    const result = await runProcess({ argv, cwd, env: { ...env, COREPACK_ENABLE_DOWNLOAD_PROMPT: '0' }, marker, log, timeoutMs: run.state.options.timeoutMs, signal: run.signal, killGraceMs: run.killGraceMs });
    elapsed += result.durationMs;
    total = { command: formatCommand(argv), ok: succeeded(result), exitCode: result.exitCode, durationMs: elapsed, log };
    run.monitor.note(`installed in ${formatDuration(result.durationMs)}${total.ok ? '' : `: it ${describeExit(result)}`}`);
    if (!total.ok) break;
  }
  return total;
}

/** The project a changed dependency file belongs to, as a worktree-relative dir ('.' for the root). */
function projectDir(worktree: string, from: string): string | null {
  let top: string | null = null;
  for (let dir = from; ; dir = dirname(dir)) {
    const abs = dir === '.' ? worktree : join(worktree, dir);
    if (Object.keys(LOCKFILES).some((name) => existsSync(join(abs, name)))) return dir;
    if (existsSync(join(abs, 'package.json'))) top = dir;
    if (dir === '.' || dir === '/' || dir === '') return top;
  }
}

function readManifest(dir: string): Record<string, unknown> | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

async function runValidation(run: Run, cwd: string, log: string, marker: string, env: Record<string, string>): Promise<ValidationResult> {
  const result = await runProcess({ argv: run.validateWords ?? [], cwd, env, marker, log, timeoutMs: run.state.options.timeoutMs, signal: run.signal, killGraceMs: run.killGraceMs });
  return { ok: succeeded(result), exitCode: result.exitCode, timedOut: result.timedOut, durationMs: result.durationMs, log };
}
