// A run ready for its stages, without the preflight: a temp repo, its plan's batches as state, and the
// Run every stage takes. Each stage's test calls the stages before it the way the driver does.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { newBatchState } from '../../../../src/orchestrate/orchestrate.js';
import { newRunId } from '../../../../src/orchestrate/new-run-id.js';
import { openRepo } from '../../../../src/orchestrate/preflight.js';
import { planProvision, type ProvisionSettings } from '../../../../src/orchestrate/provision/plan-provision.js';
import { runPaths } from '../../../../src/orchestrate/run-paths.js';
import { startingRunFields, type RunState } from '../../../../src/orchestrate/run-state.js';
import { fanOut } from '../../../../src/orchestrate/stages/fan-out.js';
import { provision, startProvisioning, type Provisioning } from '../../../../src/orchestrate/stages/provision.js';
import { startRun, type Run } from '../../../../src/orchestrate/stages/start-run.js';
import { tempRepo, type TempRepo } from '../../../helpers/temp-repo.js';
import { capture, dispose, type Captured, type Task } from '../helpers.js';

export interface StageRun {
  repo: TempRepo;
  run: Run;
  progress: Captured;
  abort: AbortController;
}

export interface StageOptions {
  files?: Record<string, string>;
  tasks?: Task[];
  validate?: string[] | null;
  setup?: string[] | null;
  /** Ignored paths to carry, as git lists them (node_modules/). */
  ignored?: string[];
  provision?: ProvisionSettings;
  keepWorktrees?: boolean;
  /** The agent's argv (the prompt is appended). */
  agent?: string[];
}

const repos: TempRepo[] = [];

export function disposeStageRuns(): void {
  for (const repo of repos.splice(0)) dispose(repo);
}

export const TWO: Task[] = [
  { id: 'alpha', files: ['src/alpha.ts'] },
  { id: 'beta', files: ['src/beta.ts'] },
];

export async function stageRun(options: StageOptions = {}): Promise<StageRun> {
  const repo = tempRepo({ 'README.md': '# stage test\n', ...options.files });
  repos.push(repo);
  const repoContext = await openRepo(repo.dir);
  const runId = newRunId();
  const paths = runPaths(repoContext.commonDir, repoContext.repoRoot, runId, {});
  mkdirSync(paths.runDir, { recursive: true });
  const base = repo.git('rev-parse', 'HEAD').trim();
  const settings = options.provision ?? { how: 'auto', dirs: [], skip: [] };
  const tasks = options.tasks ?? TWO;
  const state: RunState = {
    ...startingRunFields({ agent: options.agent ?? null, validate: options.validate?.join(' ') ?? null, setup: options.setup?.join(' ') ?? null, timeoutMs: 30_000, concurrency: 2, keepWorktrees: options.keepWorktrees ?? false, provision: settings }, process.pid),
    version: 1,
    runId,
    startedAt: new Date().toISOString(),
    repoRoot: repoContext.repoRoot,
    commonDir: repoContext.commonDir,
    planPath: join(repo.dir, 'plan.md'),
    title: 'Stage test',
    context: '',
    base,
    startBranch: 'main',
    into: null,
    integration: { branch: `fanout/${runId}/integration`, head: null, validation: null, worktree: null, ports: { base: 29990, count: 10 } },
    batches: tasks.map((task, i) => ({
      ...newBatchState(runId, { id: task.id, files: task.files, tasks: [{ id: task.id, files: task.files, dependsOn: [] }] }, join(paths.worktreesDir, task.id), paths.runDir),
      ports: { base: 29900 + 10 * i, count: 10 },
    })),
  };
  const progress = capture();
  const abort = new AbortController();
  const run = startRun(
    {
      state,
      paths,
      repo: repoContext,
      identity: [],
      provision: { settings, items: planProvision({ ignored: options.ignored ?? [], included: [] }, settings), globalExcludes: '' },
      hookBundle: null,
      validateWords: options.validate ?? null,
      setupWords: options.setup ?? null,
      fresh: true,
    },
    { progress, tty: false, killGraceMs: 500, signal: abort.signal, env: process.env },
  );
  return { repo, run, progress, abort };
}

/** A node fixture as an argv (the stages take commands already split). */
export function node(script: string, ...args: string[]): string[] {
  return [process.execPath, '-e', script, ...args];
}

/** Fans out and provisions every batch, as the driver does before the agents start. */
export async function readyWorktrees(stage: StageRun): Promise<Provisioning> {
  const provisioning = startProvisioning(stage.run);
  await fanOut(stage.run, new Set(stage.run.state.batches.map((batch) => batch.id)));
  for (const batch of stage.run.state.batches) if (!(await provision(stage.run, provisioning, batch, true))) throw new Error(`${batch.id} was not provisioned: ${batch.error}`);
  return provisioning;
}
