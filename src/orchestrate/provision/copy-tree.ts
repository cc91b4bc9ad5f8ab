// Recreates a directory tree elsewhere: each file hard-linked, cloned (copy-on-write) or copied, each
// symlink recreated as a symlink (pnpm's layout is mostly symlinks to directories), each directory made.
// Async with a bounded number of file operations in flight: the event loop keeps serving the run.
import { constants, promises as fs, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { entryAction, retargetLink, retargetText } from './entry-action.js';

export type TreeMethod = 'hardlink' | 'reflink' | 'copy';

export interface CopyTreeOptions {
  method: TreeMethod;
  /** The tree's repo-relative path, for entryAction. */
  path: string;
  /** Worktrees apply entryAction; the run's store is a verbatim copy. */
  policy: boolean;
  /** Absolute paths under `from` (the main checkout) in symlinks and shims point under `to` (the worktree). */
  retarget?: { from: string; to: string } | undefined;
  concurrency?: number;
  /** Stops the copy (it throws) when aborted. */
  signal?: AbortSignal | undefined;
}

export interface TreeStats {
  files: number;
  dirs: number;
  symlinks: number;
  /** Files that got a copy of their own (metadata rewritten in place, shims). */
  copied: number;
  bytes: number;
}

/** Shims are small; anything bigger is not one. */
const SHIM_LIMIT = 256 * 1024;

export async function copyTree(src: string, dst: string, options: CopyTreeOptions): Promise<TreeStats> {
  const stats: TreeStats = { files: 0, dirs: 0, symlinks: 0, copied: 0, bytes: 0 };
  const limit = limiter(options.concurrency ?? 16, options.signal);
  const copyMode = options.method === 'reflink' ? constants.COPYFILE_FICLONE_FORCE : constants.COPYFILE_FICLONE;

  const copyFile = async (from: string, to: string) => {
    const info = await fs.lstat(from);
    await fs.copyFile(from, to, copyMode);
    // Tools compare times (Python's .pyc, make): a copy keeps the original's.
    await fs.utimes(to, info.atime, info.mtime);
    stats.bytes += info.size;
  };

  const file = async (from: string, to: string, rel: string) => {
    stats.files++;
    const action = options.policy ? entryAction(rel, 'file') : 'carry';
    if (action === 'rewrite' && options.retarget) {
      const info = await fs.lstat(from);
      if (info.size <= SHIM_LIMIT) {
        const text = await fs.readFile(from, 'utf8');
        const changed = retargetText(text, options.retarget.from, options.retarget.to);
        if (changed !== null) {
          await fs.writeFile(to, changed, { mode: info.mode & 0o7777 });
          await fs.chmod(to, info.mode & 0o7777);
          stats.copied++;
          stats.bytes += changed.length;
          return;
        }
      }
    }
    if (options.method === 'hardlink' && action === 'carry') return fs.link(from, to);
    if (options.method === 'hardlink') stats.copied++;
    return copyFile(from, to);
  };

  const link = async (from: string, to: string) => {
    stats.symlinks++;
    const target = await fs.readlink(from);
    await fs.symlink(options.retarget ? retargetLink(target, options.retarget.from, options.retarget.to) : target, to);
  };

  const walk = async (from: string, to: string, rel: string): Promise<void> => {
    const info = await limit(() => fs.lstat(from));
    await limit(() => fs.mkdir(to, { mode: info.mode & 0o7777 }));
    stats.dirs++;
    const entries: Dirent[] = await limit(() => fs.readdir(from, { withFileTypes: true }));
    const subdirs: Array<Promise<void>> = [];
    const leaves: Array<Promise<unknown>> = [];
    for (const entry of entries) {
      const childRel = `${rel}/${entry.name}`;
      const a = join(from, entry.name);
      const b = join(to, entry.name);
      if (entry.isDirectory()) {
        if (options.policy && entryAction(childRel, 'dir') === 'skip') continue;
        subdirs.push(walk(a, b, childRel));
      } else if (entry.isSymbolicLink()) leaves.push(limit(() => link(a, b)));
      else if (entry.isFile()) leaves.push(limit(() => file(a, b, childRel)));
      // Sockets, FIFOs, devices: nothing a build needs.
    }
    await Promise.all([...leaves, ...subdirs]);
  };

  await walk(src, dst, options.path);
  return stats;
}

/** At most n operations in flight; the rest wait their turn. None starts once signal is aborted. */
function limiter(n: number, signal: AbortSignal | undefined) {
  let active = 0;
  const waiting: Array<() => void> = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    if (signal?.aborted) {
      waiting.shift()?.();
      throw new Error('interrupted');
    }
    active++;
    try {
      return await fn();
    } finally {
      active--;
      waiting.shift()?.();
    }
  };
}

/** Files and bytes under a path (for --dry-run), symlinks not followed. */
export async function treeSize(path: string): Promise<{ files: number; bytes: number }> {
  const total = { files: 0, bytes: 0 };
  const limit = limiter(16, undefined);
  const visit = async (at: string): Promise<void> => {
    const info = await limit(() => fs.lstat(at));
    if (info.isDirectory()) {
      const names = await limit(() => fs.readdir(at));
      await Promise.all(names.map((name) => visit(join(at, name))));
    } else if (info.isFile()) {
      total.files++;
      total.bytes += info.size;
    }
  };
  try {
    await visit(path);
  } catch {
    // Gone meanwhile: what was counted stands.
  }
  return total;
}
