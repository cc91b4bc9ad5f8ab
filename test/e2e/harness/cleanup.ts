// One registry of everything an e2e test started (processes, servers, temp dirs), torn down together.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { waitFor } from '../../helpers/wait-for.js';

type Disposer = () => void | Promise<void>;

const disposers = new Set<Disposer>();

/** Registers teardown work; returns a function that runs it early (and only once). */
export function track(dispose: Disposer): () => Promise<void> {
  let done = false;
  const once: Disposer = async () => {
    if (done) return;
    done = true;
    disposers.delete(once);
    await dispose();
  };
  disposers.add(once);
  return async () => once();
}

export function trackDir(dir: string): void {
  track(() => {
    if (process.env['FANOUT_E2E_KEEP'] === '1') return;
    rmSync(dir, { recursive: true, force: true });
  });
}

/** Marks every process of one run: descendants inherit it even after they setsid() or are reparented. */
export const RUN_TOKEN_VAR = 'FANOUT_E2E_RUN';

const liveRuns = new Map<string, number | undefined>();

/** A run we started: its process group (spawned detached) and the token in its environment. */
export function trackRun(token: string, pgid: number | undefined): void {
  liveRuns.set(token, pgid);
}

/** Pids whose environment carries the run token (Linux /proc; elsewhere none are found). */
function pidsOfRun(token: string): number[] {
  const needle = `${RUN_TOKEN_VAR}=${token}`;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(needle)) pids.push(Number(entry));
    } catch {
      // Gone, or not ours to read.
    }
  }
  return pids;
}

function signal(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // ESRCH: already gone.
  }
}

function signalRun(token: string): number[] {
  const pgid = liveRuns.get(token);
  if (pgid !== undefined) signal(-pgid);
  const pids = pidsOfRun(token);
  for (const pid of pids) signal(pid);
  return pids;
}

/**
 * Kills the CLI and everything it started: its process group, then any process carrying the run token
 * (the Bash tool runs commands in their own session, which a group kill misses). Resolves once they are gone;
 * fails, naming them, if any is still there after waitMs (a SIGKILLed process that does not die is a finding).
 */
export async function killRun(token: string, waitMs = 30_000): Promise<void> {
  try {
    await waitFor(() => signalRun(token).length === 0, { timeoutMs: waitMs, intervalMs: 20, what: `every process of e2e run ${token} to be gone after SIGKILL`, detail: () => `still there: ${pidsOfRun(token).join(', ')}` });
  } finally {
    liveRuns.delete(token);
  }
}

/** Synchronous, for the exit handler: signals everything once, cannot wait. */
function killAllRuns(): void {
  for (const token of [...liveRuns.keys()]) signalRun(token);
  liveRuns.clear();
}

/** Kills every run still alive, stops servers, removes temp dirs (set FANOUT_E2E_KEEP=1 to keep them). */
export async function cleanupE2E(): Promise<void> {
  await Promise.all([...liveRuns.keys()].map((token) => killRun(token)));
  const errors: unknown[] = [];
  for (const dispose of [...disposers].reverse()) {
    try {
      await dispose();
    } catch (error) {
      errors.push(error);
    }
  }
  if (errors.length > 0) throw new AggregateError(errors, 'e2e cleanup failed');
}

// Last line of defence if the worker exits with a run still going.
process.once('exit', killAllRuns);
