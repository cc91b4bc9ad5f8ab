// `fanout orchestrate <plan>`: preflight, then the run (execute-run.ts). A dry run stops after the preflight
// and describes what would happen.
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { loadConstraints } from '../constraints/index.js';
import { formatPlanIssues, readPlan, sizePlan, type Batch } from '../plan/index.js';
import { FanoutError } from '../util/errors.js';
import { claudeBinary } from './agent-command.js';
import { executeRun, type RunHooks, type RunOutcome } from './execute-run.js';
import { gitTasks } from './git-tasks.js';
import { newRunId } from './new-run-id.js';
import { reservePortBlocks, type PortBlock } from './allocate-ports.js';
import { prepareWorktrees, type WorktreePreparation } from './prepare-worktrees.js';
import { treeSize } from './provision/copy-tree.js';
import { DEFAULT_PROVISION, type ProvisionItem } from './provision/plan-provision.js';
import { resolveMethod } from './provision/provision-worktree.js';
import type { ProvisionContext } from './stages/provision.js';
import {
  formatAgent,
  identityFor,
  integrationBranch,
  openRepo,
  planInRepo,
  requireHookBundle,
  resolveCommands,
  resolveProgram,
  type CommandOverrides,
  type RepoContext,
} from './preflight.js';
import { acquireLock, assertLockFree, releaseLock } from './run-lock.js';
import { runPaths } from './run-paths.js';
import { startingRunFields, writeState, type BatchState, type RunState } from './run-state.js';

export interface OrchestrateOptions extends CommandOverrides {
  cwd: string;
  planPath: string;
  maxAgents?: number | undefined;
  into?: string | undefined;
  dryRun?: boolean | undefined;
  force?: boolean | undefined;
}

export interface DryRun {
  dryRun: true;
  runId: string;
  repoRoot: string;
  base: string;
  target: string | null;
  decision: string;
  reason: string;
  forced: boolean;
  agent: string;
  validate: string | null;
  setup: string | null;
  timeoutMs: number;
  concurrency: number;
  integrationBranch: string;
  runDir: string;
  /** What every worktree receives, and how (method: what auto resolved to here). */
  provision: { how: string; method: string | null; items: Array<ProvisionItem & { files: number; bytes: number }> };
  /** Untracked files of the checkout the run leaves as they are. */
  untracked: string[];
  batches: Array<{ id: string; branch: string; worktree: string; tasks: string[]; files: string[]; ports: PortBlock | null }>;
  integrationPorts: PortBlock | null;
  notes: string[];
  warnings: string[];
}

export async function orchestrate(options: OrchestrateOptions, hooks: RunHooks): Promise<RunOutcome | DryRun> {
  const env = hooks.env ?? process.env;
  const cwd = resolve(options.cwd);
  const repo = await openRepo(cwd);
  const base = await repo.git(gitTasks.resolveCommit('HEAD'));
  if (base === undefined) throw new FanoutError('no-commits', 'the repository has no commits yet', { hint: 'commit once first: every batch branches off a commit' });
  const headRef = await repo.git(gitTasks.headRef());
  const startBranch = headRef?.startsWith('refs/heads/') ? headRef.slice('refs/heads/'.length) : null;
  if (startBranch === null && options.into === undefined) {
    throw new FanoutError('detached-head', 'HEAD is detached, so there is no branch to land the result on', { hint: 'check out a branch first, or pass --into <new-branch>' });
  }

  const loaded = await loadConstraints(repo.repoRoot, env);
  if ('error' in loaded) throw new FanoutError('constraints-invalid', `the constraints file is invalid:\n${loaded.error}`, { hint: `fix ${loaded.file} (or delete it to use the defaults)` });
  const { constraints } = loaded;

  const planPath = resolve(cwd, options.planPath);
  const parsed = await readPlan(planPath, repo.repoRoot);
  if (!parsed.ok) {
    throw new FanoutError('plan-invalid', `${options.planPath} is not a valid plan (${parsed.issues.length} issue${parsed.issues.length === 1 ? '' : 's'}):\n${formatPlanIssues(options.planPath, parsed.issues)}`, {
      hint: 'fix the lines above (format: docs/plan-format.md); `fanout plan <file>` checks a plan',
    });
  }
  const plan = parsed.plan;
  const thresholds = { ...constraints.gate, ...(options.maxAgents === undefined ? {} : { maxAgents: options.maxAgents }) };
  const sizing = sizePlan(plan, thresholds);
  let batches: Batch[] = sizing.batches;
  const forced = sizing.decision !== 'parallel';
  if (forced) {
    if (!options.force) {
      throw new FanoutError('gate-refused', `the complexity gate does not fan this plan out: ${sizing.reason}`, {
        hint: `${sizing.recommendation} To fan out anyway, pass --force.`,
        data: { decision: sizing.decision, exitCode: 3 },
      });
    }
    // --force: batches by component, as if the plan were large enough.
    batches = sizePlan(plan, { ...thresholds, directMax: 0, sequentialMax: 0 }).batches;
  }
  if (batches.length === 0) throw new FanoutError('plan-empty', 'the plan has no tasks to run');
  const maxAgents = thresholds.maxAgents;

  const commands = resolveCommands(options, { planValidate: plan.validate, batchCount: batches.length, maxAgents }, constraints, repo, cwd, env);
  const hookBundle = commands.options.agent === null ? requireHookBundle() : null;
  if (commands.options.agent === null) resolveProgram([claudeBinary(env)], cwd, 'agent', env);
  if (options.into !== undefined) await assertNewBranch(repo, options.into);

  const runId = newRunId();
  const paths = runPaths(repo.commonDir, repo.repoRoot, runId, env);
  const integration = integrationBranch(runId, batches.map((b) => b.id));
  const planRel = planInRepo(planPath, repo.repoRoot);
  const prepared = await prepareWorktrees(repo, {
    settings: commands.options.provision ?? DEFAULT_PROVISION,
    declared: batches.flatMap((batch) => batch.files),
    allowed: planRel === undefined ? [] : [planRel],
    validate: commands.options.validate,
    setup: commands.options.setup,
    env,
    worktreesRoot: paths.worktreesRoot,
  });
  assertLockFree(paths.lock);
  const ports = await reservePortBlocks(batches.length + 1, runId, new Set(Object.keys(constraints.ports).map(Number)));

  if (options.dryRun) {
    return {
      dryRun: true,
      runId,
      repoRoot: repo.repoRoot,
      base,
      target: options.into ?? startBranch,
      decision: sizing.decision,
      reason: sizing.reason,
      forced,
      agent: formatAgent(commands.options.agent),
      validate: commands.options.validate,
      setup: commands.options.setup,
      timeoutMs: commands.options.timeoutMs,
      concurrency: commands.options.concurrency,
      integrationBranch: integration,
      runDir: paths.runDir,
      provision: await describeProvision(repo, prepared.provision, paths.worktreesRoot),
      untracked: prepared.untracked,
      batches: batches.map((batch, i) => ({ id: batch.id, branch: `fanout/${runId}/${batch.id}`, worktree: join(paths.worktreesDir, batch.id), tasks: batch.tasks.map((t) => t.id), files: batch.files, ports: ports[i] ?? null })),
      integrationPorts: ports[batches.length] ?? null,
      notes: prepared.notes,
      warnings: commands.warnings,
    };
  }

  const identity = await identityFor(repo);
  acquireLock(paths.lock, { runId, pid: process.pid, startedAt: new Date().toISOString() });
  const state: RunState = {
    ...startingRunFields(commands.options, process.pid),
    version: 1,
    runId,
    startedAt: new Date().toISOString(),
    repoRoot: repo.repoRoot,
    commonDir: repo.commonDir,
    planPath,
    title: plan.title,
    context: plan.context,
    base,
    startBranch,
    into: options.into ?? null,
    integration: { branch: integration, head: null, validation: null, worktree: null, ports: ports[batches.length] ?? null },
    batches: batches.map((batch, i) => ({ ...newBatchState(runId, batch, join(paths.worktreesDir, batch.id), paths.runDir), ports: ports[i] ?? null })),
  };
  try {
    mkdirSync(paths.runDir, { recursive: true });
    writeState(paths.state, state);
  } catch (error) {
    releaseLock(paths.lock, runId);
    throw new FanoutError('run-dir-failed', `cannot write the run state in ${paths.runDir}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  for (const warning of commands.warnings) hooks.progress.write(`fanout: guard warning: ${warning}\n`);
  for (const note of startNotes(prepared)) hooks.progress.write(`fanout: ${note}\n`);
  return executeRun(
    { state, paths, repo, identity, provision: prepared.provision, hookBundle, validateWords: commands.validateWords, setupWords: commands.setupWords, fresh: true },
    new Set(state.batches.map((batch) => batch.id)),
    hooks,
  );
}

export function newBatchState(runId: string, batch: Batch, worktree: string, runDir: string): BatchState {
  return {
    id: batch.id,
    branch: `fanout/${runId}/${batch.id}`,
    worktree,
    files: batch.files,
    tasks: batch.tasks,
    status: 'queued',
    attempt: 1,
    exitCode: null,
    signal: null,
    timedOut: false,
    startedAt: null,
    durationMs: null,
    head: null,
    changedFiles: [],
    deletedFiles: [],
    toolCalls: 0,
    costUsd: null,
    log: join(runDir, `${batch.id}.log`),
    pid: null,
    error: null,
    validation: null,
    keptAttempts: [],
    worktreeExists: false,
  };
}

export async function assertNewBranch(repo: RepoContext, name: string): Promise<void> {
  if (!(await repo.git(gitTasks.validBranchName(name)))) throw new FanoutError('into-invalid', `--into '${name}' is not a valid branch name`, { hint: 'use a name like fanout-result or feature/reset' });
  if ((await repo.git(gitTasks.resolveCommit(`refs/heads/${name}`))) !== undefined) {
    throw new FanoutError('into-exists', `--into branch ${name} already exists`, { hint: 'name a new branch: fanout never moves an existing branch other than the one checked out' });
  }
}

/** What the user reads before the agents start: what the worktrees get, what stays untouched. */
export function startNotes(prepared: WorktreePreparation): string[] {
  const notes = [...prepared.notes];
  if (prepared.provision.items.length > 0) notes.push(`every worktree gets ${prepared.provision.items.map((item) => item.path).join(', ')} (orchestrate.provision: ${prepared.provision.settings.how})`);
  if (prepared.untracked.length > 0) {
    const shown = prepared.untracked.slice(0, 10).join(', ');
    notes.push(`${prepared.untracked.length} untracked file${prepared.untracked.length === 1 ? '' : 's'} in your checkout stay${prepared.untracked.length === 1 ? 's' : ''} as ${prepared.untracked.length === 1 ? 'it is' : 'they are'}: ${shown}${prepared.untracked.length > 10 ? ', …' : ''}`);
  }
  return notes;
}

/** For --dry-run: the resolved way, and each item with its size. */
async function describeProvision(repo: RepoContext, provision: ProvisionContext, worktreesRoot: string): Promise<DryRun['provision']> {
  const probeDir = existsSync(worktreesRoot) ? worktreesRoot : dirname(worktreesRoot);
  let method: string | null;
  try {
    method = provision.items.length === 0 ? null : await resolveMethod(provision.settings.how, { file: join(repo.commonDir, 'HEAD'), dir: probeDir });
  } catch (error) {
    method = `refused: ${error instanceof Error ? error.message : String(error)}`;
  }
  const items = await Promise.all(provision.items.map(async (item) => ({ ...item, ...(await treeSize(join(repo.repoRoot, item.path))) })));
  return { how: provision.settings.how, method, items };
}
