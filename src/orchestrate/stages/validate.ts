// Validate: the validate command on the merged result in the integration worktree, or on a batch's branch
// in its worktree. Every run of it goes through the run's limiter (at most one per core at once), is counted
// and shown; the same tree is never validated twice. Dependencies follow the change: when the tree being
// validated changed a manifest or lockfile, the project's package manager installs them there first. The
// driver decides which trees are validated and when (find-culprit.ts when the merged result is red).
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
import { batchEnv, runSetup } from './run-agent.js';
import { failBatch, messageOf, type Run } from './start-run.js';

/**
 * Validates a batch's branch on its own, in its worktree (its setup run first if this execution has not run
 * it there yet): done when green, invalid when red. With validate_batches: always, as each batch finishes;
 * otherwise only while looking for the culprit of a red merged result.
 */
export async function validateBatch(run: Run, batch: BatchState): Promise<void> {
  if (run.validateWords === null || run.signal.aborted || batch.head === null) return;
  if (!(await runSetup(run, batch))) return;
  run.setStatus(batch, 'validating');
  const files = batchFiles(run.paths.runDir, batch.id);
  const env = batchEnv(run, batch);
  const tree = await run.repo.git(gitTasks.treeOf(batch.head));
  batch.validation = await validateTree(run, tree, batch.id, async () => {
    const install = await installChangedDependencies(run, batch.worktree, batch.changedFiles, files.depsLog, `${run.state.runId}/${batch.id}/install`, env);
    batch.install = install;
    if (install !== null && !install.ok) return { ok: false, exitCode: install.exitCode, timedOut: false, durationMs: install.durationMs, log: install.log, installFailed: install.command };
    return runSuite(run, batch.id, batch.worktree, files.validateLog, `${run.state.runId}/${batch.id}/validate`, env);
  });
  if (run.signal.aborted) return;
  if (batch.validation.ok) run.setStatus(batch, 'done');
  else if (batch.validation.installFailed !== undefined) failBatch(run, batch, 'invalid', 'install', `installing the changed dependencies (\`${batch.validation.installFailed}\`) failed, so it was not validated; see ${batch.validation.log}`, batch.validation.log);
  else failBatch(run, batch, 'invalid', 'validation', `\`${run.state.options.validate}\` ${batch.validation.timedOut ? 'timed out' : `exited with ${batch.validation.exitCode ?? '-'}`} on its own branch; see ${batch.validation.log}`, batch.validation.log);
}

/**
 * The same tree is validated once per execution: a run with one batch (or --force on a small plan) merges
 * into a tree its batch already validated, and the search for a culprit meets trees it has seen.
 */
export async function validateTree(run: Run, tree: string, what: string, validate: () => Promise<ValidationResult>): Promise<ValidationResult> {
  const seen = run.validatedTrees.get(tree);
  if (seen !== undefined) {
    const result = await seen.result;
    // The same batch asked again (validate_batches: always, then the search for a culprit): its own result.
    if (seen.what === what) return result;
    run.monitor.note(`${what}: the same tree as ${label(seen.what)}, already validated (${result.ok ? 'green' : 'red'}); not run again`);
    return { ...result, sameAs: seen.what };
  }
  const result = validate();
  run.validatedTrees.set(tree, { what, result });
  return result;
}

/** One run of the validate command: at most one per core at once, counted in state.suiteRuns, shown as it starts and ends. */
export function runSuite(run: Run, what: string, cwd: string, log: string, marker: string, env: Record<string, string>): Promise<ValidationResult> {
  return run.validation.run(async () => {
    if (run.signal.aborted) return { ok: false, exitCode: null, timedOut: false, durationMs: 0, log };
    run.monitor.note(`validating ${label(what)}: \`${run.state.options.validate}\``);
    const result = await runProcess({ argv: run.validateWords ?? [], cwd, env, marker, log, timeoutMs: run.state.options.timeoutMs, signal: run.signal, killGraceMs: run.killGraceMs });
    const validation = { ok: succeeded(result), exitCode: result.exitCode, timedOut: result.timedOut, durationMs: result.durationMs, log };
    if (!result.interrupted) {
      run.state.suiteRuns = [...(run.state.suiteRuns ?? []), { what, ok: validation.ok, durationMs: validation.durationMs, log }];
      run.monitor.note(`${label(what)}: ${validation.ok ? 'green' : `red (${describeExit(result)})`} in ${formatDuration(result.durationMs)}`);
    }
    run.save();
    return validation;
  });
}

/** How progress lines and the report name what was validated. */
export function label(what: string): string {
  if (what === INTEGRATION_ID) return 'the merged result';
  return what.includes('+') ? `the combination ${what.split('+').join(' + ')}` : `batch ${what}`;
}

/**
 * Makes the integration worktree ready while the agents run: provisioned like every batch's, at the base
 * until the integration branch exists. Never rejects: validateIntegration reports what went wrong.
 */
export function prepareIntegration(run: Run, provisioning: Provisioning): Promise<string | null> {
  if (run.validateWords === null || !run.state.integration.worktree || run.signal.aborted) return Promise.resolve(null);
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
  run.setPhase('validate');
  const failed = (error: string, log: string) => {
    state.integration.validation = { ok: false, exitCode: null, timedOut: false, durationMs: 0, log };
    state.error = `the merged result could not be validated: ${error}`;
    run.save();
    return false;
  };
  const head = state.integration.head;
  if (head === null) return failed('there is no merged result', integrationValidateLog(paths.runDir));
  const tree = await repo.git(gitTasks.treeOf(head));
  const cwd = await readyIntegrationWorktree(run, provisioning, prepared);
  if (typeof cwd !== 'string') return failed(cwd.problem, integrationValidateLog(paths.runDir));
  state.integration.validation = await validateTree(run, tree, INTEGRATION_ID, async () => {
    try {
      await worktreeGit(run, cwd, INTEGRATION_ID)(gitTasks.switchTo(state.integration.branch));
    } catch (error) {
      return { ok: false, exitCode: null, timedOut: false, durationMs: 0, log: integrationValidateLog(paths.runDir), problem: `its worktree could not be checked out (${messageOf(error)})` };
    }
    const merged = (await repo.git(gitTasks.changedFiles(state.base, head))).files;
    return validateIn(run, cwd, merged, INTEGRATION_ID);
  });
  const validation = state.integration.validation;
  if (validation.problem !== undefined) state.error = `the merged result could not be validated: ${validation.problem}`;
  run.save();
  return validation.ok && !run.signal.aborted;
}

/**
 * Validates a tree checked out in the integration worktree (the merged result, or a combination of
 * batches): dependencies installed if the tree changed them, the setup command once, then the suite.
 */
export async function validateIn(run: Run, cwd: string, changed: readonly string[], what: string): Promise<ValidationResult> {
  const { state, paths } = run;
  const env = { FANOUT_RUN_ID: state.runId, FANOUT_BATCH: '', ...portEnv(state.integration.ports), ...worktreeGitEnv(run, INTEGRATION_ID) };
  const files = batchFiles(paths.runDir, INTEGRATION_ID);
  const install = await installChangedDependencies(run, cwd, changed, files.depsLog, `${state.runId}/${INTEGRATION_ID}/install`, env);
  if (what === INTEGRATION_ID) state.integration.install = install;
  if (install !== null && !install.ok) return { ok: false, exitCode: install.exitCode, timedOut: false, durationMs: install.durationMs, log: install.log, installFailed: install.command, problem: `installing the changed dependencies (\`${install.command}\`) failed; see ${install.log}` };
  // Validation needs what the setup provides here as in the batches' worktrees.
  if (run.setupWords !== null && !run.setupDone.has(cwd)) {
    const setup = await runProcess({ argv: run.setupWords, cwd, env, marker: `${state.runId}/${INTEGRATION_ID}/setup`, log: files.setupLog, timeoutMs: state.options.timeoutMs, signal: run.signal, killGraceMs: run.killGraceMs });
    state.setupMs = (state.setupMs ?? 0) + setup.durationMs;
    if (!succeeded(setup)) return { ok: false, exitCode: setup.exitCode, timedOut: setup.timedOut, durationMs: setup.durationMs, log: files.setupLog, problem: `the setup command ${describeExit(setup)} in the integration worktree; see ${files.setupLog}` };
    run.setupDone.add(cwd);
  }
  const log = what === INTEGRATION_ID ? files.validateLog : join(paths.runDir, `_combination-${what}.validate.log`);
  return runSuite(run, what, cwd, log, `${state.runId}/${INTEGRATION_ID}/validate`, env);
}

/** The integration worktree, made and provisioned if fan-out could not; or what went wrong. */
async function readyIntegrationWorktree(run: Run, provisioning: Provisioning, prepared: Promise<string | null>): Promise<string | { problem: string }> {
  const { state, repo } = run;
  let problem = await prepared;
  if (problem !== null) return { problem };
  if (state.integration.worktree) return state.integration.worktree;
  try {
    // Not made during fan-out (it failed there): made now, provisioned now.
    const path = integrationWorktree(run);
    await repo.git(gitTasks.addWorktreeDetached(path, state.base));
    state.integration.worktree = realpathSync(path);
    run.save();
  } catch (error) {
    return { problem: `its worktree could not be made (${messageOf(error)})` };
  }
  problem = await prepareIntegration(run, provisioning);
  return problem === null ? state.integration.worktree : { problem };
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

