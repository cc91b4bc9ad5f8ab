// What every stage of a run is handed: the run's record (state.json, saved as it changes), where things go,
// the repo, the commands, and the run's live edges (progress, the interrupt signal). startRun wires those up
// (signal handlers, the monitor); Run.end takes them down and releases the lock.
import type { BatchState, BatchStatus, Phase, RunState } from '../run-state.js';
import { writeState } from '../run-state.js';
import { createMonitor, type Monitor, type MonitorOutput } from '../monitor.js';
import { mapLimit } from '../predict-merges.js';
import type { RepoContext } from '../preflight.js';
import { releaseLock } from '../run-lock.js';
import type { RunPaths } from '../run-paths.js';
import type { ProvisionContext } from './provision.js';

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

/** What `fanout orchestrate` and `fanout resume` hand the run once their preflight passed. */
export interface RunContext {
  state: RunState;
  paths: RunPaths;
  repo: RepoContext;
  identity: string[];
  /** What every worktree receives besides the checkout (installed dependencies, .worktreeinclude files…). */
  provision: ProvisionContext;
  /** dist/hook.cjs, for the default agent's settings. */
  hookBundle: string | null;
  validateWords: string[] | null;
  setupWords: string[] | null;
  /** A new run: no branch of it can exist yet. */
  fresh: boolean;
}

export interface Run extends RunContext {
  env: NodeJS.ProcessEnv;
  /** Aborted by Ctrl-C, SIGTERM, SIGHUP or the caller's signal: stages start nothing new once it is. */
  signal: AbortSignal;
  killGraceMs: number;
  monitor: Monitor;
  /** performance.now() when the run started. */
  startedAt: number;
  /** What interrupted the run, if anything did. */
  interruptedBy(): NodeJS.Signals | 'abort' | undefined;
  save(): void;
  setPhase(phase: Phase): void;
  /** Sets a batch's status, shows it and saves. */
  setStatus(batch: BatchState, status: BatchStatus): void;
  /** Signal handlers off, the monitor's last frame, the lock released. */
  end(): void;
}

export function startRun(ctx: RunContext, hooks: RunHooks): Run {
  const { state, paths } = ctx;
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
  return {
    ...ctx,
    env: hooks.env ?? process.env,
    signal: abort.signal,
    killGraceMs: hooks.killGraceMs ?? 3000,
    monitor,
    startedAt: performance.now(),
    interruptedBy: () => received,
    save,
    setPhase(phase) {
      state.phase = phase;
      save();
    },
    setStatus(batch, status) {
      batch.status = status;
      monitor.update(batch.id, { status });
      save();
    },
    end() {
      monitor.stop();
      if (hooks.handleSignals) {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        process.off('SIGHUP', onSignal);
      }
      hooks.signal?.removeEventListener('abort', onAbort);
      releaseLock(paths.lock, state.runId);
    },
  };
}

/** Runs fn for every batch, at most `concurrency` at once; a throw fails that batch only. */
export async function eachBatch(run: Run, fn: (batch: BatchState) => Promise<void>): Promise<void> {
  await mapLimit(run.state.batches, run.state.options.concurrency, async (batch) => {
    try {
      await fn(batch);
    } catch (error) {
      batch.error = `fanout failed while running it: ${messageOf(error)}`;
      run.setStatus(batch, 'failed');
    }
  });
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
