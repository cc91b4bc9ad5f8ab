// Steps 2-10 of a run, shared by `fanout orchestrate` and `fanout resume`: worktrees, agents, collect,
// predict, validate, integrate, land, clean up, report. Nothing here throws past the cleanup: a failure
// becomes the run's status, and the cleanup always runs.
import { copyFileSync, mkdirSync, realpathSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { agentSettings, defaultAgentArgs } from './agent-command.js';
import { buildIntegration } from './build-integration.js';
import { buildPrompt } from './build-prompt.js';
import { buildReport, formatReportMarkdown, formatReportTable, type Report } from './build-report.js';
import { emptyCleanup, removeWorktrees, sweepBranches } from './cleanup-run.js';
import { findScopeConflicts } from './find-scope-conflicts.js';
import { gitTasks, zeroOid } from './git-tasks.js';
import { createMonitor, type MonitorOutput } from './monitor.js';
import { applyStreamLine, emptyProgress } from './parse-stream-event.js';
import { mapLimit, predictMerges } from './predict-merges.js';
import type { RepoContext } from './preflight.js';
import { gitIn } from './run-git.js';
import { releaseLock } from './run-lock.js';
import { batchFiles, integrationValidateLog, type RunPaths } from './run-paths.js';
import { runProcess, type ProcessResult } from './run-process.js';
import { writeState, type BatchState, type RunState, type ValidationResult } from './run-state.js';
import { formatDuration } from './parse-duration.js';
import { formatCommand } from './split-words.js';

export interface RunHooks {
  /** Live progress (stderr in the CLI). */
  progress: MonitorOutput;
  tty?: boolean | undefined;
  /** Install SIGINT/SIGTERM/SIGHUP handlers for the run (the CLI does; library callers may abort instead). */
  handleSignals?: boolean | undefined;
  /** Aborting it interrupts the run like Ctrl-C. */
  signal?: AbortSignal | undefined;
  /** Between SIGTERM and SIGKILL when stopping a process group. */
  killGraceMs?: number | undefined;
  env?: NodeJS.ProcessEnv | undefined;
}

export interface RunContext {
  state: RunState;
  paths: RunPaths;
  repo: RepoContext;
  identity: string[];
  /** Untracked files (.worktreeinclude) copied into every worktree. */
  includeFiles: string[];
  /** dist/hook.cjs, for the default agent's settings. */
  hookBundle: string | null;
  validateWords: string[] | null;
  setupWords: string[] | null;
  /** A new run: no branch of it can exist yet. */
  fresh: boolean;
}

export interface RunOutcome {
  state: RunState;
  report: Report;
  /** 0 only for merged; 130 / 143 / 129 after SIGINT / SIGTERM / SIGHUP; 1 otherwise. */
  exitCode: number;
  reportPath: string;
  summary: string;
}

const AGENT_FAILED = new Set(['failed', 'timeout', 'interrupted', 'queued', 'setup', 'running']);

export async function executeRun(ctx: RunContext, rerun: ReadonlySet<string>, hooks: RunHooks): Promise<RunOutcome> {
  const { state, paths, repo } = ctx;
  const started = performance.now();
  const abort = new AbortController();
  let received: NodeJS.Signals | 'abort' | undefined;
  const monitor = createMonitor(
    hooks.progress,
    `run ${state.runId}: ${state.batches.length} batch${state.batches.length === 1 ? '' : 'es'}, concurrency ${state.options.concurrency}`,
    state.batches.map((batch) => batch.id),
    hooks.tty,
  );
  const save = () => writeState(paths.state, state);
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) {
      monitor.note(`${signal} again: still stopping agents and saving their work; a few seconds more`);
      return;
    }
    received = signal;
    monitor.note(`${signal}: stopping the agents, committing their work and cleaning up`);
    abort.abort();
  };
  const onAbort = () => {
    if (!received) {
      received = 'abort';
      abort.abort();
    }
  };
  if (hooks.handleSignals) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    // A closed terminal (or ssh session) must stop the run like Ctrl-C, not kill fanout before it cleans up.
    process.on('SIGHUP', onSignal);
  }
  hooks.signal?.addEventListener('abort', onAbort, { once: true });
  if (hooks.signal?.aborted) onAbort();
  const env = hooks.env ?? process.env;
  const grace = hooks.killGraceMs ?? 3000;
  const update = (batch: BatchState, status: BatchState['status']) => {
    batch.status = status;
    monitor.update(batch.id, { status });
    save();
  };
  const integrationPath = join(paths.worktreesDir, state.integration.branch.split('/').pop() ?? 'integration');
  let integrationWorktree = false;
  let firstStart: number | undefined;
  let lastEnd: number | undefined;
  let agentTime = 0;
  /** Batches whose work is committed and diffed: only these get a head. */
  const collected = new Set<string>();

  const validateIn = async (cwd: string, log: string, marker: string, extraEnv: Record<string, string>): Promise<ValidationResult> => {
    const result = await runProcess({
      argv: ctx.validateWords ?? [],
      cwd,
      env: extraEnv,
      marker,
      log,
      timeoutMs: state.options.timeoutMs,
      signal: abort.signal,
      killGraceMs: grace,
    });
    return { ok: succeeded(result), exitCode: result.exitCode, timedOut: result.timedOut, durationMs: result.durationMs, log };
  };

  const batchEnv = (batch: BatchState) => ({ FANOUT_RUN_ID: state.runId, FANOUT_BATCH: batch.id, FANOUT_FILES: JSON.stringify(batch.files) });

  /**
   * Commits whatever the agent left, then records what the branch changed since the base. False when the
   * work could not be committed: the batch then counts as failed (its worktree, with the work, is kept).
   */
  const collect = async (batch: BatchState, how: string): Promise<boolean> => {
    try {
      const git = gitIn(batch.worktree);
      if ((await git(gitTasks.status())).length > 0) {
        await git(gitTasks.addAll());
        await git(gitTasks.commit(`fanout: WIP of batch ${batch.id} (agent ${how})\n\nCommitted by fanout: the agent left these changes uncommitted. Run ${state.runId}, attempt ${batch.attempt}.`, ctx.identity));
      }
    } catch (error) {
      batch.error = `could not commit the agent's work (${message(error)}); it stays uncommitted in ${batch.worktree}`;
      return false;
    }
    const strayed = await adoptHead(batch);
    if (strayed !== null) {
      batch.error = strayed;
      return false;
    }
    const changed = await repo.git(gitTasks.changedFiles(state.base, `refs/heads/${batch.branch}`));
    batch.changedFiles = changed.files;
    batch.deletedFiles = changed.deleted;
    collected.add(batch.id);
    monitor.update(batch.id, { files: batch.changedFiles.length });
    return true;
  };

  /**
   * An agent may switch its worktree to another branch or a detached HEAD (and commit there): the worktree's
   * HEAD is then its work, and removing the worktree would orphan those commits. When HEAD builds on the
   * batch branch, the branch is moved to it; otherwise HEAD is kept on a branch of its own and the batch
   * fails, saying where the work is. Returns that message, or null when the batch branch holds the work.
   */
  const adoptHead = async (batch: BatchState): Promise<string | null> => {
    const git = gitIn(batch.worktree);
    const ref = `refs/heads/${batch.branch}`;
    const headRef = await git(gitTasks.headRef());
    if (headRef === ref) return null;
    const headCommit = await git(gitTasks.resolveCommit('HEAD'));
    const tip = await repo.git(gitTasks.resolveCommit(ref));
    if (headCommit === undefined || headCommit === tip) return null;
    const where = headRef === undefined ? `a detached HEAD (${headCommit.slice(0, 10)})` : `branch ${headRef.replace(/^refs\/heads\//, '')} (${headCommit.slice(0, 10)})`;
    if (await repo.git(gitTasks.isAncestor(tip ?? state.base, headCommit))) {
      await repo.git(gitTasks.updateRef(ref, headCommit, tip ?? zeroOid(headCommit), `fanout: take the agent's work from ${where}`));
      monitor.note(`${batch.id}: the agent left its worktree on ${where}; ${batch.branch} now points there`);
      return null;
    }
    let kept = headRef?.replace(/^refs\/heads\//, '');
    if (kept === undefined) {
      kept = await freeBranch(ctx, `${batch.branch}-agent-head`);
      await repo.git(gitTasks.updateRef(`refs/heads/${kept}`, headCommit, zeroOid(headCommit), `fanout: keep the agent's detached HEAD of ${batch.id}`));
    }
    return `the agent left its worktree on ${where}, which does not build on ${batch.branch}; its work is kept on branch ${kept}`;
  };

  const validateBatch = async (batch: BatchState) => {
    if (ctx.validateWords === null || abort.signal.aborted) return;
    update(batch, 'validating');
    batch.validation = await validateIn(batch.worktree, batchFiles(paths.runDir, batch.id).validateLog, `${state.runId}/${batch.id}/validate`, batchEnv(batch));
    if (abort.signal.aborted) return;
    batch.status = batch.validation.ok ? 'done' : 'invalid';
  };

  const runBatch = async (batch: BatchState) => {
    const files = batchFiles(paths.runDir, batch.id);
    batch.log = files.log;
    if (abort.signal.aborted || !batch.worktreeExists) {
      update(batch, abort.signal.aborted ? 'interrupted' : 'failed');
      if (!abort.signal.aborted) batch.error ??= 'its worktree could not be created';
      return;
    }
    if (ctx.setupWords !== null) {
      update(batch, 'setup');
      const setup = await runProcess({ argv: ctx.setupWords, cwd: batch.worktree, env: batchEnv(batch), marker: `${state.runId}/${batch.id}/setup`, log: files.setupLog, timeoutMs: state.options.timeoutMs, signal: abort.signal, killGraceMs: grace });
      if (!succeeded(setup)) {
        batch.error = `the setup command ${describe(setup)}; see ${files.setupLog}`;
        update(batch, setup.interrupted ? 'interrupted' : 'failed');
        return;
      }
    }
    const prompt = buildPrompt({ title: state.title, context: state.context, runId: state.runId, batchId: batch.id, branch: batch.branch, tasks: batch.tasks, files: batch.files, validate: state.options.validate, batchCount: state.batches.length });
    const command = state.options.agent ?? defaultAgentArgs(files.settings, env);
    const progress = emptyProgress();
    batch.startedAt = new Date().toISOString();
    monitor.update(batch.id, { startedAt: Date.now(), endedAt: null });
    update(batch, 'running');
    const t0 = performance.now();
    firstStart = Math.min(firstStart ?? t0, t0);
    const result = await runProcess({
      argv: [...command, prompt],
      cwd: batch.worktree,
      env: batchEnv(batch),
      marker: `${state.runId}/${batch.id}/agent`,
      log: files.log,
      display: `${formatCommand(command)} <prompt: ${prompt.length} characters>`,
      timeoutMs: state.options.timeoutMs,
      signal: abort.signal,
      killGraceMs: grace,
      onStart: (pid) => {
        batch.pid = pid;
        save();
      },
      onLine: (line) => {
        if (applyStreamLine(progress, line)) monitor.update(batch.id, { toolCalls: progress.toolCalls, files: progress.files.size, costUsd: progress.costUsd });
      },
    });
    const t1 = performance.now();
    lastEnd = Math.max(lastEnd ?? t1, t1);
    agentTime += result.durationMs;
    Object.assign(batch, { pid: null, exitCode: result.exitCode, signal: result.signal, timedOut: result.timedOut, durationMs: result.durationMs, toolCalls: progress.toolCalls, costUsd: progress.costUsd });
    monitor.update(batch.id, { endedAt: Date.now() });
    if (result.error) batch.error = `the agent could not start: ${result.error}`;
    else if (result.timedOut) batch.error = `the agent ran past the ${formatDuration(state.options.timeoutMs)} timeout and was stopped`;
    else if (!result.interrupted && result.exitCode !== 0) batch.error = `the agent ${describe(result)}; see ${files.log}`;
    const saved = await collect(batch, result.interrupted ? 'interrupted' : result.timedOut ? 'timed out' : `exit ${result.exitCode ?? result.signal}`);
    if (result.interrupted) return update(batch, 'interrupted');
    if (result.timedOut) return update(batch, 'timeout');
    if (!succeeded(result) || !saved) return update(batch, 'failed');
    batch.status = 'done';
    await validateBatch(batch);
    update(batch, batch.status);
  };

  /** Resume: a batch that already succeeded keeps its branch; its work is re-read and revalidated. */
  const recheckBatch = async (batch: BatchState) => {
    if (abort.signal.aborted) return;
    if (!(await collect(batch, 'finished earlier'))) return update(batch, 'failed');
    batch.status = 'done';
    monitor.update(batch.id, { status: 'done' });
    await validateBatch(batch);
    update(batch, batch.status);
  };

  try {
    // Step 2: one branch and worktree per batch, one after another (parallel `worktree add` is unreliable).
    state.phase = 'fan-out';
    save();
    mkdirSync(paths.worktreesDir, { recursive: true });
    for (const batch of state.batches) {
      if (abort.signal.aborted) break;
      try {
        await prepareWorktree(ctx, batch, rerun.has(batch.id));
      } catch (error) {
        // A Ctrl-C reaches the `git worktree add` child too (same process group); git undoes it, the batch is interrupted.
        if (!abort.signal.aborted) batch.error = `its worktree could not be created: ${message(error)}`;
      }
      save();
    }

    // Steps 3-5 (and per-batch validation): at most `concurrency` agents at once.
    state.phase = 'agents';
    save();
    await mapLimit(state.batches, state.options.concurrency, async (batch) => {
      try {
        if (rerun.has(batch.id)) await runBatch(batch);
        else await recheckBatch(batch);
      } catch (error) {
        batch.error = `fanout failed while running it: ${message(error)}`;
        update(batch, 'failed');
      }
    });
    if (firstStart !== undefined && lastEnd !== undefined) state.agentWallMs = Math.round(lastEnd - firstStart);
    state.agentTimeMs = agentTime;
    await readHeads();
    save();

    if (!abort.signal.aborted) await mergePhase();
  } catch (error) {
    state.error = message(error);
  } finally {
    await finish();
  }

  /** Branch tips of the batches whose work was collected, in one call. */
  async function readHeads(): Promise<void> {
    const tips = new Map((await repo.git(gitTasks.refsUnder(`refs/heads/fanout/${state.runId}/`))).map(({ ref, commit }) => [ref, commit]));
    for (const batch of state.batches) batch.head = collected.has(batch.id) ? (tips.get(`refs/heads/${batch.branch}`) ?? null) : null;
  }

  async function mergePhase(): Promise<void> {
    // Step 5-6: scope conflicts and predicted merges, before any real branch moves.
    state.phase = 'predict';
    save();
    const agentFailed = state.batches.some((batch) => AGENT_FAILED.has(batch.status) || batch.head === null);
    const finished = state.batches.filter((batch) => !AGENT_FAILED.has(batch.status) && batch.head !== null);
    const conflicts = findScopeConflicts(finished);
    const targetTip = state.into !== null ? state.base : ((await repo.git(gitTasks.resolveCommit(`refs/heads/${state.startBranch ?? ''}`))) ?? state.base);
    monitor.note(`checking ${finished.length} branch${finished.length === 1 ? '' : 'es'} pairwise${targetTip !== state.base ? ` and against ${state.startBranch}` : ''} with git merge-tree`);
    conflicts.push(...(await predictMerges(repo.git, { base: state.base, targetTip, targetName: state.startBranch ?? 'the target', branches: finished.map((b) => ({ id: b.id, head: b.head ?? state.base, changedFiles: b.changedFiles, deletedFiles: b.deletedFiles })) })));
    state.conflicts = conflicts;
    for (const conflict of conflicts) {
      for (const id of conflict.batches) {
        const batch = state.batches.find((b) => b.id === id);
        if (batch && (batch.status === 'done' || batch.status === 'invalid')) update(batch, 'conflict');
      }
    }
    save();
    if (agentFailed || conflicts.length > 0 || state.batches.some((batch) => batch.status === 'invalid')) return;
    if (abort.signal.aborted) return;

    // Step 7: the integration branch, built without a checkout, then validated once more.
    state.phase = 'integrate';
    save();
    const integration = await buildIntegration(repo.git, {
      runId: state.runId,
      start: targetTip,
      base: state.base,
      branches: state.batches.map((b) => ({ id: b.id, head: b.head ?? state.base })),
      ref: `refs/heads/${state.integration.branch}`,
      identity: ctx.identity,
    });
    if (!integration.ok) {
      state.conflicts.push(integration.conflict);
      return;
    }
    state.integration.head = integration.head;
    save();
    if (ctx.validateWords !== null) {
      monitor.note(`validating the merged result on ${state.integration.branch}`);
      await repo.git(gitTasks.addWorktree(integrationPath, state.integration.branch));
      integrationWorktree = true;
      copyIncludes(ctx, integrationPath);
      const cwd = realpathSync(integrationPath);
      const env = { FANOUT_RUN_ID: state.runId, FANOUT_BATCH: '' };
      // Validation needs what the setup provides (installed dependencies…) here as in the batches' worktrees.
      if (ctx.setupWords !== null) {
        const log = integrationValidateLog(paths.runDir).replace(/validate\.log$/, 'setup.log');
        const setup = await runProcess({ argv: ctx.setupWords, cwd, env, marker: `${state.runId}/_integration/setup`, log, timeoutMs: state.options.timeoutMs, signal: abort.signal, killGraceMs: grace });
        if (!succeeded(setup)) {
          state.integration.validation = { ok: false, exitCode: setup.exitCode, timedOut: setup.timedOut, durationMs: setup.durationMs, log };
          state.error = `the setup command ${describe(setup)} in the integration worktree; see ${log}`;
          save();
          return;
        }
      }
      state.integration.validation = await validateIn(cwd, integrationValidateLog(paths.runDir), `${state.runId}/_integration/validate`, env);
      save();
      if (!state.integration.validation.ok || abort.signal.aborted) return;
    }

    // Step 8: land, only now that everything is green.
    state.phase = 'land';
    save();
    await land(targetTip, integration.head);
  }

  async function land(targetTip: string, head: string): Promise<void> {
    if (state.into !== null) {
      await repo.git(gitTasks.updateRef(`refs/heads/${state.into}`, head, zeroOid(head), `fanout: result of run ${state.runId}`));
    } else {
      const branch = state.startBranch ?? '';
      const current = await repo.git(gitTasks.headRef());
      if (current !== `refs/heads/${branch}`) {
        state.error = `the main checkout is no longer on ${branch} (now ${current?.replace('refs/heads/', '') ?? 'a detached HEAD'}), so fanout did not move it`;
        return;
      }
      const tip = await repo.git(gitTasks.resolveCommit(`refs/heads/${branch}`));
      if (tip !== targetTip) {
        state.error = `${branch} moved while the run was merging, so fanout did not move it`;
        return;
      }
      try {
        await repo.git(gitTasks.fastForward(head));
      } catch (error) {
        state.error = `git merge --ff-only ${head.slice(0, 10)} failed in ${repo.repoRoot}: ${message(error)}`;
        return;
      }
    }
    state.landed = true;
    for (const batch of state.batches) batch.status = 'merged';
    save();
  }

  async function finish(): Promise<void> {
    // Step 9: always. Agents are already stopped (runProcess waits for their process groups) and committed.
    state.phase = 'cleanup';
    save();
    const cleanup = emptyCleanup();
    try {
      const worktrees = [...state.batches.filter((batch) => batch.worktreeExists).map((batch) => batch.worktree), ...(integrationWorktree ? [integrationPath] : [])];
      if (state.options.keepWorktrees) {
        for (const path of worktrees) cleanup.keptWorktrees.push({ path, reason: '--keep-worktrees' });
      } else {
        await removeWorktrees(repo.git, worktrees, [paths.worktreesDir, paths.worktreesRoot], cleanup);
      }
      const removed = new Set(cleanup.removedWorktrees);
      for (const batch of state.batches) if (removed.has(batch.worktree)) batch.worktreeExists = false;
      const mergedInto = state.landed && state.into !== null ? (state.integration.head ?? undefined) : ((await repo.git(gitTasks.resolveCommit(`refs/heads/${state.startBranch ?? ''}`))) ?? state.base);
      await sweepBranches(repo.git, state.runId, mergedInto, cleanup);
    } catch (error) {
      state.error ??= `cleanup failed: ${message(error)}`;
    }
    state.notes = cleanupNotes(state, cleanup);

    // Step 10: the report.
    state.status =
      received !== undefined ? 'interrupted'
      : state.batches.some((batch) => AGENT_FAILED.has(batch.status) || batch.head === null) ? 'failed'
      : state.conflicts.length > 0 ? 'conflict'
      : state.batches.some((batch) => batch.status === 'invalid') || state.integration.validation?.ok === false ? 'invalid'
      : state.landed ? 'merged'
      : 'failed';
    state.phase = 'done';
    state.finishedAt = new Date().toISOString();
    state.wallMs = Math.round(performance.now() - started);
    save();
    monitor.stop();
    if (hooks.handleSignals) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('SIGHUP', onSignal);
    }
    hooks.signal?.removeEventListener('abort', onAbort);
    releaseLock(paths.lock, state.runId);
  }

  const report = buildReport(state);
  writeFileSync(paths.reportJson, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(paths.reportMd, formatReportMarkdown(state, report));
  const exitCode = state.status === 'merged' ? 0 : received === 'SIGINT' ? 130 : received === 'SIGTERM' ? 143 : received === 'SIGHUP' ? 129 : 1;
  return { state, report, exitCode, reportPath: paths.reportMd, summary: formatReportTable(state, report, paths.reportMd) };
}

/** Creates (or, on resume, re-creates) a batch's worktree, copies .worktreeinclude files, writes its scope and settings. */
async function prepareWorktree(ctx: RunContext, batch: BatchState, rerun: boolean): Promise<void> {
  const { repo, state } = ctx;
  const ref = `refs/heads/${batch.branch}`;
  const tip = ctx.fresh ? undefined : await repo.git(gitTasks.resolveCommit(ref));
  if (rerun && tip !== undefined && tip !== state.base) {
    // A failed attempt's commits are kept on their own branch; the new attempt starts from the base again.
    const kept = await freeBranch(ctx, `${batch.branch}-attempt-${batch.attempt - 1}`);
    await repo.git(gitTasks.updateRef(`refs/heads/${kept}`, tip, zeroOid(tip), `fanout: keep attempt ${batch.attempt - 1} of ${batch.id}`));
    await repo.git(gitTasks.deleteRef(ref, tip));
    batch.keptAttempts.push(kept);
    await repo.git(gitTasks.addWorktreeNewBranch(batch.worktree, batch.branch, state.base));
  } else if (tip !== undefined) {
    await repo.git(gitTasks.addWorktree(batch.worktree, batch.branch));
  } else {
    await repo.git(gitTasks.addWorktreeNewBranch(batch.worktree, batch.branch, rerun ? state.base : (batch.head ?? state.base)));
  }
  batch.worktreeExists = true;
  batch.worktree = realpathSync(batch.worktree);
  copyIncludes(ctx, batch.worktree);
  const files = batchFiles(ctx.paths.runDir, batch.id);
  // protect: the main checkout and the other worktrees stay off limits even when they live under a temp root.
  const protect = [state.repoRoot, ctx.paths.worktreesRoot];
  writeFileSync(files.scope, `${JSON.stringify({ root: batch.worktree, files: batch.files, protect, runId: state.runId, batch: batch.id }, null, 2)}\n`);
  if (ctx.hookBundle !== null) writeFileSync(files.settings, `${JSON.stringify(agentSettings(ctx.hookBundle, files.scope), null, 2)}\n`);
}

async function freeBranch(ctx: RunContext, name: string): Promise<string> {
  let candidate = name;
  for (let k = 2; (await ctx.repo.git(gitTasks.resolveCommit(`refs/heads/${candidate}`))) !== undefined; k++) candidate = `${name}-${k}`;
  return candidate;
}

/** Files git does not carry but agents need (.env and the like), listed in .worktreeinclude. */
function copyIncludes(ctx: RunContext, worktree: string): void {
  for (const file of ctx.includeFiles) {
    const target = join(worktree, file);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(ctx.repo.repoRoot, file), target);
  }
}

function cleanupNotes(state: RunState, cleanup: ReturnType<typeof emptyCleanup>): string[] {
  const notes: string[] = [];
  const byBranch = new Map(state.batches.map((batch) => [batch.branch, batch]));
  for (const { branch, reason } of cleanup.keptBranches) {
    const batch = byBranch.get(branch);
    const attemptOf = state.batches.find((b) => b.keptAttempts.includes(branch));
    if (batch) notes.push(`Kept branch ${branch}: the work of batch ${batch.id} (${batch.status}); ${reason}. Resume with \`fanout resume ${state.runId}\`, or merge or delete it yourself.`);
    else if (attemptOf) notes.push(`Kept branch ${branch}: an earlier, failed attempt of batch ${attemptOf.id}; delete it when you no longer need it.`);
    else if (branch === state.integration.branch) notes.push(`Kept branch ${branch}: every batch merged, ${state.integration.validation?.ok === false ? 'but validation failed there' : 'not landed'}; ${reason}.`);
    else notes.push(`Kept branch ${branch}: ${reason}.`);
  }
  for (const { path, reason } of cleanup.keptWorktrees) notes.push(`Kept worktree ${path}: ${reason}.`);
  for (const batch of state.batches) if (batch.error && batch.status !== 'merged') notes.push(`${batch.id}: ${batch.error}`);
  if (cleanup.deletedBranches.length > 0) notes.push(`Deleted ${cleanup.deletedBranches.length} merged branch${cleanup.deletedBranches.length === 1 ? '' : 'es'} of the run.`);
  return notes;
}

function succeeded(result: ProcessResult): boolean {
  return result.exitCode === 0 && !result.timedOut && !result.interrupted && result.error === null;
}

function describe(result: ProcessResult): string {
  if (result.error) return `could not start (${result.error})`;
  if (result.timedOut) return 'timed out';
  if (result.interrupted) return 'was interrupted';
  return result.exitCode === null ? `was killed by ${result.signal}` : `exited with ${result.exitCode}`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
