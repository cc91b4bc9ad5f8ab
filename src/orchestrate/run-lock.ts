// One run per repo at a time: <common dir>/fanout/lock holds the pid and start time of the run that owns it.
// A lock whose process is gone is stale: reported with the way out, never silently taken over.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { FanoutError } from '../util/errors.js';

export interface LockInfo {
  runId: string;
  pid: number;
  startedAt: string;
}

export type LockState = { kind: 'free' } | { kind: 'active'; lock: LockInfo } | { kind: 'stale'; lock: LockInfo | undefined };

/** Whether a process runs; a zombie (dead, not yet reaped) does not. */
export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

export function readLock(path: string): LockState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'free' };
    throw error;
  }
  let lock: LockInfo | undefined;
  try {
    const value = JSON.parse(text) as Partial<LockInfo>;
    if (typeof value.pid === 'number' && typeof value.runId === 'string') lock = { runId: value.runId, pid: value.pid, startedAt: String(value.startedAt ?? '') };
  } catch {
    lock = undefined;
  }
  if (lock && isAlive(lock.pid) && !startedAfter(lock.pid, lock.startedAt)) return { kind: 'active', lock };
  return { kind: 'stale', lock };
}

/**
 * Whether pid belongs to a process started after the lock was written: the pid was reused by another
 * process, so the lock is stale. Linux only (/proc); elsewhere the answer is no.
 */
function startedAfter(pid: number, lockTime: string): boolean {
  const written = Date.parse(lockTime);
  if (!Number.isFinite(written)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22 (starttime, in clock ticks since boot) counts from after the ')' that ends the command name.
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const boot = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    if (!Number.isFinite(ticks) || !Number.isFinite(boot)) return false;
    // USER_HZ is 100 on every Linux Node runs on; a second of slack covers the rounding of btime.
    return boot * 1000 + ticks * 10 > written + 1000;
  } catch {
    return false;
  }
}

/** Throws lock-held / lock-stale unless the lock is free. */
export function assertLockFree(path: string): void {
  const state = readLock(path);
  if (state.kind === 'active') {
    throw new FanoutError('lock-held', `another fanout run is active in this repo: ${state.lock.runId} (pid ${state.lock.pid}, started ${state.lock.startedAt})`, {
      hint: 'wait for it to finish (`fanout status` shows it), or stop it with Ctrl-C in its terminal',
      data: { lock: state.lock },
    });
  }
  if (state.kind === 'stale') {
    const who = state.lock ? `run ${state.lock.runId} (pid ${state.lock.pid}, started ${state.lock.startedAt}) is no longer running` : 'its content is unreadable';
    throw new FanoutError('lock-stale', `a stale fanout lock was found at ${path}: ${who}`, {
      hint: '`fanout cleanup` sweeps what the crashed run left (keeping any work) and clears the lock; then run again',
      data: { lock: state.lock },
    });
  }
}

/** Takes the lock atomically (O_EXCL); a lock appearing in between is reported like any other. */
export function acquireLock(path: string, info: LockInfo): void {
  assertLockFree(path);
  mkdirSync(dirname(path), { recursive: true });
  try {
    writeFileSync(path, `${JSON.stringify(info)}\n`, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') assertLockFree(path);
    throw error;
  }
}

/** Releases the lock if this run still owns it. */
export function releaseLock(path: string, runId: string): void {
  const state = readLock(path);
  if (state.kind !== 'free' && state.lock?.runId === runId) rmSync(path, { force: true });
}

/** For `fanout cleanup`: removes a lock whose process is gone; returns what was removed. */
export function clearStaleLock(path: string): LockInfo | undefined | false {
  const state = readLock(path);
  if (state.kind !== 'stale') return false;
  rmSync(path, { force: true });
  return state.lock;
}
