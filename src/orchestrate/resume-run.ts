// `fanout resume <run-id>`: re-runs the batches whose agent did not finish (from the run's base, a failed
// attempt's commits kept on their own branch), then steps 5-10 for the whole run.
import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { loadConstraints } from '../constraints/index.js';
import { FanoutError } from '../util/errors.js';
import { claudeBinary } from './agent-command.js';
import { executeRun, type RunHooks, type RunOutcome } from './execute-run.js';
import { gitTasks, zeroOid } from './git-tasks.js';
import { gitIn } from './run-git.js';
import { killMarked } from './run-process.js';
import { reservePortBlocks } from './allocate-ports.js';
import { emptyCleanup, removeWorktrees } from './cleanup-run.js';
import { assertNewBranch, startNotes } from './orchestrate.js';
import { prepareWorktrees } from './prepare-worktrees.js';
import { formatAgent, identityFor, openRepo, planInRepo, requireHookBundle, resolveCommands, resolveProgram, type CommandOverrides } from './preflight.js';
import { excludeConfig } from './provision/exclude-file.js';
import { DEFAULT_PROVISION } from './provision/plan-provision.js';
import { acquireLock, assertLockFree, releaseLock } from './run-lock.js';
import { batchFiles, runPaths, storeDir } from './run-paths.js';
import { readStateFile, startingRunFields, writeState, type BatchStatus } from './run-state.js';
import { RUN_ID_PATTERN } from './new-run-id.js';

export interface ResumeOptions extends CommandOverrides {
  cwd: string;
  runId: string;
  into?: string | undefined;
  dryRun?: boolean | undefined;
}

export interface ResumeDryRun {
  dryRun: true;
  runId: string;
  base: string;
  target: string | null;
  rerun: string[];
  recheck: string[];
  agent: string;
  validate: string | null;
}

/** Batches whose agent did not finish: these run again. */
const RERUN: ReadonlySet<BatchStatus> = new Set(['failed', 'timeout', 'interrupted', 'queued', 'provisioning', 'setup', 'running']);

export async function resumeRun(options: ResumeOptions, hooks: RunHooks): Promise<RunOutcome | ResumeDryRun> {
  const env = hooks.env ?? process.env;
  const cwd = resolve(options.cwd);
  const repo = await openRepo(cwd);
  const paths = runPaths(repo.commonDir, repo.repoRoot, options.runId, env);
  if (!RUN_ID_PATTERN.test(options.runId)) throw new FanoutError('run-unknown', `'${options.runId}' is not a run id (they look like 20261124-161500-ab12)`, { hint: '`fanout status` lists the runs' });
  const read = readStateFile(paths.state);
  if (!('state' in read)) {
    if (!existsSync(paths.runDir)) throw new FanoutError('run-unknown', `there is no run ${options.runId} in this repo`, { hint: '`fanout status` lists the runs' });
    throw new FanoutError('run-unreadable', `run ${options.runId} cannot be resumed: ${read.problem} (${paths.state})`, {
      hint: `its branches fanout/${options.runId}/… still hold the agents' work: merge them yourself, or \`fanout cleanup --run ${options.runId}\` to sweep what is merged`,
    });
  }
  const state = read.state;
  if (state.status === 'merged') throw new FanoutError('run-merged', `run ${state.runId} is already merged; there is nothing to resume`);
  assertLockFree(paths.lock);
  if ((await repo.git(gitTasks.resolveCommit(state.base))) === undefined) throw new FanoutError('base-missing', `the run's base commit ${state.base} no longer exists`);
  const into = options.into ?? state.into;
  if (into === null) {
    const head = await repo.git(gitTasks.headRef());
    if (head !== `refs/heads/${state.startBranch}`) {
      throw new FanoutError('wrong-branch', `run ${state.runId} lands on ${state.startBranch}, but ${head?.replace('refs/heads/', '') ?? 'a detached HEAD'} is checked out`, { hint: `check out ${state.startBranch} first, or pass --into <new-branch>` });
    }
  } else if (options.into !== undefined) {
    await assertNewBranch(repo, options.into);
  }
  const loaded = await loadConstraints(repo.repoRoot, env);
  if ('error' in loaded) throw new FanoutError('constraints-invalid', `the constraints file is invalid:\n${loaded.error}`, { hint: `fix ${loaded.file}` });
  const commands = resolveCommands(options, { planValidate: undefined, batchCount: state.batches.length, maxAgents: state.options.concurrency, previous: state.options }, loaded.constraints, repo, cwd, env);
  const hookBundle = commands.options.agent === null ? requireHookBundle() : null;
  if (commands.options.agent === null) resolveProgram([claudeBinary(env)], cwd, 'agent', env);
  const planRel = planInRepo(state.planPath, repo.repoRoot);
  const prepared = await prepareWorktrees(repo, {
    settings: commands.options.provision ?? DEFAULT_PROVISION,
    declared: state.batches.flatMap((batch) => batch.files),
    allowed: planRel === undefined ? [] : [planRel],
    validate: commands.options.validate,
    setup: commands.options.setup,
    env,
    worktreesRoot: paths.worktreesRoot,
  });
  // Only now, once nothing refuses the resume: the crashed run's worktrees are committed and removed.
  await rescueWorktrees(repo, state.runId, paths);
  const ports = await reservePortBlocks(state.batches.length + 1, `${state.runId}/${Date.now()}`, new Set(Object.keys(loaded.constraints.ports).map(Number)));

  const rerun = state.batches.filter((batch) => RERUN.has(batch.status)).map((batch) => batch.id);
  if (options.dryRun) {
    return {
      dryRun: true,
      runId: state.runId,
      base: state.base,
      target: into ?? state.startBranch,
      rerun,
      recheck: state.batches.filter((batch) => !RERUN.has(batch.status)).map((batch) => batch.id),
      agent: formatAgent(commands.options.agent),
      validate: commands.options.validate,
    };
  }

  acquireLock(paths.lock, { runId: state.runId, pid: process.pid, startedAt: new Date().toISOString() });
  try {
    const integrationRef = `refs/heads/${state.integration.branch}`;
    const integrationTip = await repo.git(gitTasks.resolveCommit(integrationRef));
    if (integrationTip !== undefined) {
      // Rebuilt from the batch branches; kept under another name only if someone committed on it.
      if (integrationTip !== state.integration.head) {
        let kept = `${state.integration.branch}-previous`;
        for (let k = 2; (await repo.git(gitTasks.resolveCommit(`refs/heads/${kept}`))) !== undefined; k++) kept = `${state.integration.branch}-previous-${k}`;
        await repo.git(gitTasks.updateRef(`refs/heads/${kept}`, integrationTip, zeroOid(integrationTip), 'fanout: keep the previous integration branch'));
      }
      await repo.git(gitTasks.deleteRef(integrationRef, integrationTip));
    }
  } catch (error) {
    releaseLock(paths.lock, state.runId);
    throw error;
  }

  Object.assign(state, startingRunFields(commands.options, process.pid), {
    into,
    integration: { branch: state.integration.branch, head: null, validation: null, worktree: null, ports: ports[state.batches.length] ?? null },
  });
  for (const [i, batch] of state.batches.entries()) {
    batch.ports = ports[i] ?? null;
    batch.provision = null;
    batch.worktree = join(paths.worktreesDir, batch.id);
    batch.worktreeExists = false;
    batch.validation = null;
    batch.error = null;
    if (!RERUN.has(batch.status)) continue;
    Object.assign(batch, { status: 'queued', attempt: batch.attempt + 1, exitCode: null, signal: null, timedOut: false, startedAt: null, durationMs: null, head: null, changedFiles: [], deletedFiles: [], toolCalls: 0, costUsd: null, pid: null });
  }
  writeState(paths.state, state);
  const identity = await identityFor(repo);
  for (const note of startNotes(prepared)) hooks.progress.write(`fanout: ${note}\n`);
  return executeRun({ state, paths, repo, identity, provision: prepared.provision, hookBundle, validateWords: commands.validateWords, setupWords: commands.setupWords, fresh: false }, new Set(rerun), hooks);
}

/**
 * A run that crashed (fanout killed, machine down) leaves its worktrees, maybe with uncommitted work that
 * `fanout cleanup` must keep. Resuming is the user asking to carry on, so do what the run would have
 * done: stop its stray agents, commit each batch worktree's leftovers on its own branch, remove it.
 */
async function rescueWorktrees(repo: Awaited<ReturnType<typeof openRepo>>, runId: string, paths: ReturnType<typeof runPaths>): Promise<void> {
  const leftover = (await repo.git(gitTasks.listWorktrees())).filter((w) => w.branch?.startsWith(`refs/heads/fanout/${runId}/`) || w.path.startsWith(`${paths.worktreesDir}/`));
  if (leftover.length === 0) return;
  const unowned = leftover.filter((w) => !w.branch?.startsWith(`refs/heads/fanout/${runId}/`));
  if (unowned.length > 0) {
    throw new FanoutError('run-has-worktrees', `run ${runId} still has worktrees not on one of its branches: ${unowned.map((w) => w.path).join(', ')}`, {
      hint: `commit or move what you need from them, then \`fanout cleanup --run ${runId}\` and resume`,
    });
  }
  await killMarked(`${runId}/`);
  const identity = await identityFor(repo);
  for (const worktree of leftover) {
    const exclude = batchFiles(paths.runDir, basename(worktree.path)).exclude;
    const git = gitIn(worktree.path, existsSync(exclude) ? excludeConfig(exclude) : []);
    if ((await git(gitTasks.status())).length > 0) {
      await git(gitTasks.addAll());
      await git(gitTasks.commit(`fanout: WIP left in ${worktree.branch?.replace('refs/heads/', '') ?? worktree.path} by an interrupted run\n\nCommitted by fanout resume before re-running run ${runId}.`, identity));
    }
  }
  // Every leftover's work is committed now: each is detached and deleted in the background.
  const result = emptyCleanup();
  const candidates = leftover.map((w) => ({ path: w.path, excludeFile: batchFiles(paths.runDir, basename(w.path)).exclude, workSaved: true }));
  const store = storeDir(paths.worktreesDir);
  await removeWorktrees(repo.git, candidates, { dir: paths.trash, parents: [] }, result, existsSync(store) ? [store] : []);
  const stuck = result.keptWorktrees[0];
  if (stuck) throw new FanoutError('run-has-worktrees', `could not remove ${stuck.path}: ${stuck.reason}`, { hint: 'its work is committed on its branch; remove the worktree by hand, then resume' });
}
