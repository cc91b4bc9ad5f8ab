// The run's store (hardlink provisioning): one verbatim copy of the carried directories, made once per run
// beside the worktrees, that every worktree hard-links to, so that no worktree shares an inode with the
// main checkout. Made and linked with GNU cp where it exists (cp -a, cp -al: 2-3x faster than the same
// work through node's fs here), else with copyTree. The store is scanned once for what a worktree needs of
// its own (entryAction): those entries are fixed up after each `cp -al`, caches are dropped from the store.
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { copyTree } from './copy-tree.js';
import { entryAction, retargetLink, retargetText } from './entry-action.js';
import type { ProvisionItem } from './plan-provision.js';

const run = promisify(execFile);

export interface StoreManifest {
  /** Repo-relative files every worktree gets a copy of its own of (entryAction 'copy'). */
  own: string[];
  /** Shims that may name the main checkout's path (entryAction 'rewrite'). */
  shims: string[];
  /** Absolute symlinks into the main checkout. */
  links: Array<{ path: string; target: string }>;
}

export interface Store {
  dir: string;
  /** The store was made with GNU cp, so worktrees are linked with `cp -al` plus the manifest's fix-ups. */
  gnu: boolean;
  manifest: StoreManifest;
  /** Files per carried directory. */
  files: Record<string, number>;
}

let gnuCp: Promise<boolean> | undefined;

/** Whether `cp` is GNU coreutils' (its -a, -l and --reflink are what the store relies on). */
export function hasGnuCp(): Promise<boolean> {
  gnuCp ??= run('cp', ['--version'], { timeout: 10_000 }).then(
    ({ stdout }) => stdout.includes('GNU coreutils'),
    () => false,
  );
  return gnuCp;
}

export async function buildStore(repoRoot: string, items: readonly ProvisionItem[], dir: string, signal?: AbortSignal): Promise<Store> {
  const gnu = await hasGnuCp();
  const manifest: StoreManifest = { own: [], shims: [], links: [] };
  const files: Record<string, number> = {};
  for (const item of items) {
    if (item.kind !== 'dir') continue;
    const to = join(dir, item.path);
    await fs.mkdir(dirname(to), { recursive: true });
    if (gnu) await run('cp', ['-a', '--reflink=auto', '--', join(repoRoot, item.path), to], { signal, maxBuffer: 16 * 1024 * 1024 });
    else await copyTree(join(repoRoot, item.path), to, { method: 'copy', path: item.path, policy: false, signal });
    files[item.path] = await scan(dir, item.path, repoRoot, manifest, signal);
  }
  return { dir, gnu, manifest, files };
}

/** Walks the store's copy of one item: records the manifest's entries, drops caches, counts files. */
async function scan(store: string, path: string, repoRoot: string, manifest: StoreManifest, signal: AbortSignal | undefined): Promise<number> {
  let files = 0;
  const visit = async (rel: string): Promise<void> => {
    if (signal?.aborted) throw new Error('interrupted');
    const entries = await fs.readdir(join(store, rel), { withFileTypes: true });
    await Promise.all(
      entries.map(async (entry) => {
        const child = `${rel}/${entry.name}`;
        if (entry.isDirectory()) {
          if (entryAction(child, 'dir') === 'skip') await fs.rm(join(store, child), { recursive: true, force: true });
          else await visit(child);
        } else if (entry.isSymbolicLink()) {
          const target = await fs.readlink(join(store, child));
          if (target === repoRoot || target.startsWith(`${repoRoot}/`)) manifest.links.push({ path: child, target });
        } else if (entry.isFile()) {
          files++;
          const action = entryAction(child, 'file');
          if (action === 'copy') manifest.own.push(child);
          else if (action === 'rewrite') manifest.shims.push(child);
        }
      }),
    );
  };
  await visit(path);
  return files;
}

/** One item into a worktree from the store: hard links throughout, then what the worktree needs of its own. */
export async function linkFromStore(store: Store, item: ProvisionItem, repoRoot: string, worktree: string, signal?: AbortSignal): Promise<number> {
  const from = join(store.dir, item.path);
  const to = join(worktree, item.path);
  if (!store.gnu) return (await copyTree(from, to, { method: 'hardlink', path: item.path, policy: true, retarget: { from: repoRoot, to: worktree }, signal })).files;
  await run('cp', ['-al', '--', from, to], { signal, maxBuffer: 16 * 1024 * 1024 });
  const inItem = (path: string) => path === item.path || path.startsWith(`${item.path}/`);
  // Times kept to the nanosecond: npm trusts its hidden lockfile only if it is not older than the package folders.
  for (const path of store.manifest.own.filter(inItem)) await run('cp', ['-p', '--remove-destination', '--', join(store.dir, path), join(worktree, path)], { signal });
  for (const path of store.manifest.shims.filter(inItem)) {
    const text = await fs.readFile(join(store.dir, path), 'utf8');
    const changed = retargetText(text, repoRoot, worktree);
    if (changed === null) continue;
    const { mode } = await fs.stat(join(store.dir, path));
    await fs.rm(join(worktree, path));
    await fs.writeFile(join(worktree, path), changed, { mode: mode & 0o7777 });
    await fs.chmod(join(worktree, path), mode & 0o7777);
  }
  for (const link of store.manifest.links.filter((entry) => inItem(entry.path))) {
    await fs.rm(join(worktree, link.path));
    await fs.symlink(retargetLink(link.target, repoRoot, worktree), join(worktree, link.path));
  }
  return store.files[item.path] ?? 0;
}
