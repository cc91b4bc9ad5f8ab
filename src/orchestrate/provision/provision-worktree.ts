// Makes a worktree's provisioned items from the main checkout's, the way the run resolved:
// - reflink: copy-on-write clones of the main checkout's files (APFS, btrfs, XFS): isolated and cheap.
// - hardlink: hard links to the run's store, one verbatim copy of the items made once per run beside the
//   worktrees. No worktree shares an inode with the main checkout, so nothing written in a worktree (an
//   append, an install that rewrites a file in place) can reach it; the run's worktrees do share the
//   store's inodes with each other (see docs/orchestrate.md for the trade-off).
// - copy: a full copy per worktree. symlink: one symlink per directory to the main checkout's (not isolated).
// Small files (.worktreeinclude) are always copied.
import { constants, promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { FanoutError } from '../../util/errors.js';
import { copyTree } from './copy-tree.js';
import { linkFromStore, type Store } from './run-store.js';
import type { ProvisionHow, ProvisionItem, ProvisionMethod } from './plan-provision.js';

export interface ProvisionRecord {
  method: ProvisionMethod | null;
  /** The items this worktree received. */
  items: string[];
  files: number;
  /** When it started (epoch ms) and how long it took. */
  startedAt: number;
  durationMs: number;
}

/** What auto means here; null for none. Throws when reflink is asked for where the filesystem has none. */
export async function resolveMethod(how: ProvisionHow, probe: { file: string; dir: string }): Promise<ProvisionMethod | null> {
  if (how === 'none') return null;
  if (how !== 'auto' && how !== 'reflink') return how;
  const clones = await canReflink(probe.file, probe.dir);
  if (clones) return 'reflink';
  if (how === 'auto') return 'hardlink';
  throw new FanoutError('provision-reflink-unsupported', `orchestrate.provision asks for reflink, but the filesystem of ${probe.dir} has no copy-on-write clones`, {
    hint: 'use auto (hard links from a per-run copy where there is no copy-on-write), hardlink or copy',
  });
}

/** Whether a copy-on-write clone from file's filesystem into dir works (a probe file, removed at once). */
export async function canReflink(file: string, dir: string): Promise<boolean> {
  const probe = join(dir, `.fanout-reflink-probe-${process.pid}`);
  try {
    await fs.copyFile(file, probe, constants.COPYFILE_FICLONE_FORCE);
    return true;
  } catch {
    return false;
  } finally {
    await fs.rm(probe, { force: true });
  }
}

export interface ProvisionInput {
  repoRoot: string;
  worktree: string;
  items: readonly ProvisionItem[];
  method: ProvisionMethod | null;
  /** The run's store (hardlink only). */
  store: Store | null;
  signal?: AbortSignal | undefined;
}

export async function provisionWorktree(input: ProvisionInput): Promise<ProvisionRecord> {
  const started = performance.now();
  const record: ProvisionRecord = { method: input.method, items: [], files: 0, startedAt: Date.now(), durationMs: 0 };
  if (input.method === null) return record;
  const retarget = { from: input.repoRoot, to: input.worktree };
  for (const item of input.items) {
    const from = join(input.repoRoot, item.path);
    const to = join(input.worktree, item.path);
    // What the branch itself has at that path wins (the item is ignored in the main checkout, tracked here).
    if (await exists(to)) continue;
    await fs.mkdir(dirname(to), { recursive: true });
    if (item.kind === 'file') {
      await fs.copyFile(from, to, constants.COPYFILE_FICLONE);
      record.files++;
    } else if (input.method === 'symlink') {
      await fs.symlink(from, to);
    } else if (input.method === 'hardlink') {
      if (input.store === null) throw new Error('hardlink provisioning without the run\'s store');
      record.files += await linkFromStore(input.store, item, input.repoRoot, input.worktree, input.signal);
    } else {
      record.files += (await copyTree(from, to, { method: input.method, path: item.path, policy: true, retarget, signal: input.signal })).files;
    }
    record.items.push(item.path);
  }
  record.durationMs = Math.round(performance.now() - started);
  return record;
}

async function exists(path: string): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch {
    return false;
  }
}
