// Provision: give each new worktree what the main checkout has that git does not carry and the project
// needs to build and test (installed dependencies, listed ignored directories, .worktreeinclude files),
// the run's way (provision/provision-worktree.ts), and its own excludes file, so that none of it is ever
// taken for the agent's work. startProvisioning resolves the way once per run (and, for hardlink, makes
// the run's store) while fan-out adds the worktrees.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { excludeConfig, excludeEnv, writeExcludes } from '../provision/exclude-file.js';
import type { ProvisionItem, ProvisionMethod, ProvisionSettings } from '../provision/plan-provision.js';
import { provisionWorktree, resolveMethod, type ProvisionRecord } from '../provision/provision-worktree.js';
import { buildStore, type Store } from '../provision/run-store.js';
import { formatDuration } from '../parse-duration.js';
import { gitIn, type Git } from '../run-git.js';
import { batchFiles, INTEGRATION_ID, storeDir } from '../run-paths.js';
import type { BatchState } from '../run-state.js';
import { messageOf, type Run } from './start-run.js';

/** What the preflight found to carry into every worktree. */
export interface ProvisionContext {
  settings: ProvisionSettings;
  items: ProvisionItem[];
  /** The user's global excludes, copied into every worktree's excludes file. */
  globalExcludes: string;
}

export interface Provisioning {
  /** The resolved way, and the store once made (hardlink); rejects when the store could not be made. */
  ready: Promise<{ method: ProvisionMethod | null; store: Store | null }>;
  /** Worktrees being provisioned right now (the integration worktree's runs beside the agents). */
  inFlight: Set<Promise<unknown>>;
}

/** Resolves once nothing is being copied into any worktree or the store (cleanup moves them away only then). */
export async function provisioningSettled(provisioning: Provisioning): Promise<void> {
  await provisioning.ready.catch(() => undefined);
  await Promise.allSettled([...provisioning.inFlight]);
}

export function startProvisioning(run: Run): Provisioning {
  const ready = (async () => {
    const { paths, state, repo } = run;
    mkdirSync(paths.worktreesDir, { recursive: true });
    const items = run.provision.items;
    const method = items.length === 0 ? null : await resolveMethod(run.provision.settings.how, { file: join(repo.commonDir, 'HEAD'), dir: paths.worktreesDir });
    const startedAt = Date.now();
    state.provisioning = { method, store: null, storeFiles: 0, startedAt, storeMs: 0 };
    if (method !== 'hardlink' || !items.some((item) => item.kind === 'dir')) return { method, store: null };
    const started = performance.now();
    run.monitor.note(`copying ${items.filter((i) => i.kind === 'dir').map((i) => i.path).join(', ')} once for this run (every worktree hard-links to this copy, never to your checkout)`);
    const store = await buildStore(repo.repoRoot, items, storeDir(paths.worktreesDir), run.signal);
    const files = Object.values(store.files).reduce((a, b) => a + b, 0);
    state.provisioning = { method, store: store.dir, storeFiles: files, startedAt, storeMs: Math.round(performance.now() - started) };
    run.monitor.note(`copied ${files.toLocaleString('en-US')} files in ${formatDuration(state.provisioning.storeMs)}`);
    run.save();
    return { method, store };
  })();
  // Awaited by every provision(); a failure there fails the batches, not the process.
  ready.catch(() => undefined);
  return { ready, inFlight: new Set() };
}

/**
 * False when the batch cannot go on: its worktree is missing or could not be provisioned (failed), or the
 * run was interrupted (a batch whose agent was to run is interrupted; one that finished earlier keeps its status).
 */
export async function provision(run: Run, provisioning: Provisioning, batch: BatchState, agentRuns: boolean): Promise<boolean> {
  if (run.signal.aborted) {
    if (agentRuns) run.setStatus(batch, 'interrupted');
    return false;
  }
  if (!batch.worktreeExists) {
    batch.error ??= 'its worktree could not be created';
    run.setStatus(batch, 'failed');
    return false;
  }
  if (run.provision.items.length > 0) run.setStatus(batch, 'provisioning');
  try {
    batch.provision = await provisionInto(run, provisioning, batch.worktree, batch.id);
  } catch (error) {
    if (run.signal.aborted) {
      if (agentRuns) run.setStatus(batch, 'interrupted');
      return false;
    }
    batch.error = `its worktree could not be provisioned: ${messageOf(error)}`;
    run.setStatus(batch, 'failed');
    return false;
  }
  if (batch.provision.items.length > 0) run.monitor.note(`${batch.id}: ${describeRecord(batch.provision)}`);
  run.save();
  return true;
}

/** The integration worktree gets the same as every batch's. */
export async function provisionIntegration(run: Run, provisioning: Provisioning, path: string): Promise<ProvisionRecord> {
  const record = await provisionInto(run, provisioning, path, INTEGRATION_ID);
  run.state.integration.provision = record;
  if (record.items.length > 0) run.monitor.note(`integration: ${describeRecord(record)}`);
  run.save();
  return record;
}

function provisionInto(run: Run, provisioning: Provisioning, worktree: string, id: string): Promise<ProvisionRecord> {
  const work = provisionWorktreeOf(run, provisioning, worktree, id);
  provisioning.inFlight.add(work);
  const done = () => void provisioning.inFlight.delete(work);
  work.then(done, done);
  return work;
}

async function provisionWorktreeOf(run: Run, provisioning: Provisioning, worktree: string, id: string): Promise<ProvisionRecord> {
  const exclude = batchFiles(run.paths.runDir, id).exclude;
  writeExcludes(exclude, run.provision.globalExcludes, []);
  const { method, store } = await provisioning.ready;
  const record = await provisionWorktree({ repoRoot: run.repo.repoRoot, worktree, items: run.provision.items, method, store, signal: run.signal });
  writeExcludes(exclude, run.provision.globalExcludes, record.items);
  return record;
}

/** fanout's own git in a worktree: its excludes file applies. */
export function worktreeGit(run: Run, worktree: string, id: string): Git {
  return gitIn(worktree, excludeConfig(batchFiles(run.paths.runDir, id).exclude));
}

/** The same for every process fanout starts in the worktree. */
export function worktreeGitEnv(run: Run, id: string): Record<string, string> {
  return excludeEnv(batchFiles(run.paths.runDir, id).exclude, run.env);
}

export function describeRecord(record: ProvisionRecord): string {
  return `${record.items.join(', ')} (${record.method}, ${record.files} files) in ${formatDuration(record.durationMs)}`;
}
