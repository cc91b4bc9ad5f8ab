// Runs one agent, setup or validate command: argument array (no shell), its own process group, output to a
// log file, a deadline and an abort signal. Ending it means SIGTERM to the whole group, SIGKILL after a grace
// period, then a sweep for descendants that left the group (they carry the FANOUT_PROCESS marker).
import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { execa } from 'execa';

/** Every process fanout starts carries FANOUT_PROCESS=<run-id>/<batch>/<kind>; descendants inherit it. */
export const PROCESS_MARKER = 'FANOUT_PROCESS';

export interface ProcessOptions {
  argv: string[];
  cwd: string;
  /** Added to the inherited environment. */
  env: Record<string, string>;
  /** Unique per process; the straggler sweep matches it exactly. */
  marker: string;
  log: string;
  /** What the log header shows instead of argv (e.g. with the prompt shortened). */
  display?: string;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
  killGraceMs?: number;
  onLine?: (line: string) => void;
  onStart?: (pid: number) => void;
}

export interface ProcessResult {
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  interrupted: boolean;
  durationMs: number;
  /** Set when the command could not be started at all. */
  error: string | null;
}

const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function runProcess(options: ProcessOptions): Promise<ProcessResult> {
  const started = performance.now();
  const log = createWriteStream(options.log, { flags: 'a' });
  const logClosed = new Promise<void>((resolve) => log.once('close', () => resolve()));
  log.write(`# fanout: ${options.display ?? options.argv.join(' ')}\n# in ${options.cwd} at ${new Date().toISOString()}\n`);
  const [file, ...args] = options.argv;
  let timedOut = false;
  let interrupted = false;
  if (options.signal?.aborted || file === undefined) {
    log.end(file === undefined ? '# fanout: empty command\n' : '# fanout: not started, the run was interrupted\n');
    await logClosed;
    return { exitCode: null, signal: null, timedOut: false, interrupted: file !== undefined, durationMs: 0, error: file === undefined ? 'empty command' : null };
  }

  const child = execa(file, args, {
    cwd: options.cwd,
    env: { ...options.env, [PROCESS_MARKER]: options.marker },
    extendEnv: true,
    detached: true,
    cleanup: false,
    reject: false,
    stdin: 'ignore',
    buffer: false,
    stripFinalNewline: false,
  });
  const pid = child.pid;
  const killGroup = (signal: NodeJS.Signals) => {
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // ESRCH: the group is gone.
    }
  };
  let graceTimer: NodeJS.Timeout | undefined;
  const stop = () => {
    killGroup('SIGTERM');
    graceTimer ??= setTimeout(() => killGroup('SIGKILL'), options.killGraceMs ?? 3000);
  };
  if (pid !== undefined) options.onStart?.(pid);

  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    log.write(chunk);
    if (!options.onLine) return;
    pending += chunk.toString('utf8');
    let newline = pending.indexOf('\n');
    while (newline !== -1) {
      options.onLine(pending.slice(0, newline));
      pending = pending.slice(newline + 1);
      newline = pending.indexOf('\n');
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => log.write(chunk));

  const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    stop();
  }, options.timeoutMs);
  const onAbort = () => {
    interrupted = true;
    stop();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });

  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const finished = child.then((result) => ({ code: result.exitCode ?? null, signal: result.signal ?? null, error: result.failed && result.exitCode === undefined && !result.isTerminated ? result.shortMessage : null }));
  const first = await Promise.race([exited.then((exit) => ({ ...exit, error: null as string | null })), finished]);
  if (timer) clearTimeout(timer);
  if (graceTimer) clearTimeout(graceTimer);
  options.signal?.removeEventListener('abort', onAbort);
  // Whatever it left running (background jobs, servers) goes with it: it would hold the worktree. Waiting
  // until they are gone, not just signalled, means no process of it outlives fanout.
  killGroup('SIGKILL');
  await killMarked(options.marker, pid);
  // Streams held open by an escaped descendant must not hang the run (nor its timer keep fanout alive).
  let streamTimer: NodeJS.Timeout | undefined;
  const settled = await Promise.race([finished, new Promise<undefined>((resolve) => (streamTimer = setTimeout(() => resolve(undefined), 2000)))]);
  clearTimeout(streamTimer);
  if (!settled) {
    child.stdout?.destroy();
    child.stderr?.destroy();
  }
  if (pending && options.onLine) options.onLine(pending);
  const error = first.error ?? settled?.error ?? null;
  const durationMs = Math.round(performance.now() - started);
  const how = timedOut ? `timed out after ${options.timeoutMs} ms` : interrupted ? 'interrupted' : error ? `could not start: ${error}` : `exit ${first.code ?? `signal ${first.signal}`}`;
  log.end(`\n# fanout: ${how} (${durationMs} ms)\n`);
  await logClosed;
  return { exitCode: first.code, signal: first.signal, timedOut, interrupted, durationMs, error };
}

/**
 * Live pids whose environment carries marker (exactly, or as a prefix ending in '/'), or that are in process
 * group pgid; zombies (dead, not yet reaped) do not count. Linux /proc, else none.
 */
export function markedPids(marker: string, pgid?: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const exact = `${PROCESS_MARKER}=${marker}`;
  const pids: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    if (pgid !== undefined && inGroup(entry, pgid)) {
      pids.push(Number(entry));
      continue;
    }
    let environ: string;
    try {
      // A zombie's environment reads as empty: it never matches.
      environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
    } catch {
      continue;
    }
    const found = environ.split('\0').some((pair) => (marker.endsWith('/') ? pair.startsWith(exact) : pair === exact));
    if (found) pids.push(Number(entry));
  }
  return pids;
}

/** Whether /proc/<pid> is a live (not zombie) member of process group pgid. */
function inGroup(pid: string, pgid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  } catch {
    return false;
  }
  // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses.
  const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return state !== 'Z' && Number(pgrp) === pgid;
}

/** SIGKILLs every process carrying the marker (or in process group pgid) until none is left, for at most 10 s. */
export async function killMarked(marker: string, pgid?: number): Promise<number> {
  let killed = 0;
  const deadline = performance.now() + 10_000;
  while (performance.now() < deadline) {
    const pids = markedPids(marker, pgid);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        killed++;
      } catch {
        // Already gone.
      }
    }
    await delay(20);
  }
  return killed;
}
