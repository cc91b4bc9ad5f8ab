// How one entry of a carried directory is made in a worktree (pure). Most entries are carried the run's
// way (linked from the run's store, cloned, copied). The files a package manager rewrites in place get a
// copy of their own in every worktree; the shims that name the main checkout's path are rewritten to
// name the worktree's; caches, which every tool rebuilds and writes to constantly, are left behind.
export type EntryAction = 'carry' | 'copy' | 'rewrite' | 'skip';

/** Caches directly inside node_modules: rebuilt on demand, written on every run. */
const CACHES: ReadonlySet<string> = new Set(['.cache', '.vite', '.vitest']);
const VENVS: ReadonlySet<string> = new Set(['.venv', 'venv']);

/** path: repo-relative, '/'-separated. */
export function entryAction(path: string, kind: 'file' | 'dir' | 'symlink'): EntryAction {
  const parts = path.split('/');
  const name = parts[parts.length - 1] ?? '';
  const parent = parts[parts.length - 2];
  const grandparent = parts[parts.length - 3];
  if (kind === 'dir') return parent === 'node_modules' && CACHES.has(name) ? 'skip' : 'carry';
  if (kind === 'symlink') return 'carry';
  // .package-lock.json, .modules.yaml, .yarn-integrity, .yarn-state.yml; pnpm's .pnpm/lock.yaml.
  if (parent === 'node_modules' || (parent === '.pnpm' && grandparent === 'node_modules')) return 'copy';
  // npm's .bin holds symlinks; pnpm's and yarn's hold shell shims with absolute paths.
  if (parent === '.bin' && grandparent === 'node_modules') return 'rewrite';
  // A virtualenv's scripts start with #!<venv>/bin/python, and activate names the venv.
  if ((parent === 'bin' && grandparent !== undefined && VENVS.has(grandparent)) || (name === 'pyvenv.cfg' && parent !== undefined && VENVS.has(parent))) return 'rewrite';
  return 'carry';
}

/** Replaces the absolute path `from` (as a whole path prefix) with `to` in text; null when absent. */
export function retargetText(text: string, from: string, to: string): string | null {
  if (!text.includes(from)) return null;
  const pattern = new RegExp(`${from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?=$|[/"'\\s:;=])`, 'g');
  const replaced = text.replace(pattern, to);
  return replaced === text ? null : replaced;
}

/** A symlink target that points into the main checkout points into the worktree instead. */
export function retargetLink(target: string, from: string, to: string): string {
  return target === from || target.startsWith(`${from}/`) ? `${to}${target.slice(from.length)}` : target;
}
