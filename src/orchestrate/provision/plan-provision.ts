// What every worktree receives, decided from git's own listing of the main checkout (pure): the installed
// dependency directories (every node_modules, workspaces included; .venv and venv), the ignored
// directories the constraints file lists, and what .worktreeinclude names. Nothing git tracks, and nothing
// nested in an item already carried.
import { PROVISION_HOWS } from '../../constraints/index.js';
import { matchGlob } from '../../util/glob.js';

export { PROVISION_HOWS };
/** How a worktree gets its items: auto picks reflink where the filesystem has it, else hardlink. */
export type ProvisionHow = (typeof PROVISION_HOWS)[number];
/** What auto resolves to, and how each item is actually made. */
export type ProvisionMethod = Exclude<ProvisionHow, 'auto' | 'none'>;

export interface ProvisionSettings {
  how: ProvisionHow;
  /** Globs of more git-ignored paths to carry (e.g. .turbo, or dist under packages). */
  dirs: string[];
  /** Globs of paths never to carry, even when found or listed. */
  skip: string[];
}

export const DEFAULT_PROVISION: ProvisionSettings = { how: 'auto', dirs: [], skip: [] };

/** orchestrate.provision as written (a how, or { how, dirs, skip }) with the defaults filled in. */
export function provisionSettings(value: ProvisionHow | { how?: ProvisionHow | undefined; dirs?: string[] | undefined; skip?: string[] | undefined } | undefined): ProvisionSettings {
  if (value === undefined) return DEFAULT_PROVISION;
  if (typeof value === 'string') return { ...DEFAULT_PROVISION, how: value };
  return { how: value.how ?? 'auto', dirs: value.dirs ?? [], skip: value.skip ?? [] };
}

/** Directory names that hold installed dependencies. */
export const DEPENDENCY_DIRS: ReadonlySet<string> = new Set(['node_modules', '.venv', 'venv']);

export interface ProvisionItem {
  /** Repo-relative, without a trailing slash. */
  path: string;
  kind: 'dir' | 'file';
  why: 'dependencies' | 'listed' | '.worktreeinclude';
}

export interface ProvisionListing {
  /** `git ls-files --others --ignored --exclude-standard --directory`: ignored paths, directories ending in '/'. */
  ignored: readonly string[];
  /** The same for the patterns of .worktreeinclude (ignored by the repo or not). */
  included: readonly string[];
}

export function planProvision(listing: ProvisionListing, settings: ProvisionSettings): ProvisionItem[] {
  if (settings.how === 'none') return [];
  const found = new Map<string, ProvisionItem>();
  const add = (entry: string, why: ProvisionItem['why']) => {
    const kind = entry.endsWith('/') ? 'dir' : 'file';
    const path = entry.replace(/\/+$/, '');
    if (path === '' || found.has(path)) return;
    found.set(path, { path, kind, why });
  };
  for (const entry of listing.ignored) {
    const path = entry.replace(/\/+$/, '');
    const name = path.slice(path.lastIndexOf('/') + 1);
    if (entry.endsWith('/') && DEPENDENCY_DIRS.has(name)) add(entry, 'dependencies');
    else if (settings.dirs.some((glob) => matchGlob(glob, path))) add(entry, 'listed');
  }
  for (const entry of listing.included) add(entry, '.worktreeinclude');
  const items = [...found.values()].filter((item) => !settings.skip.some((glob) => matchGlob(glob, item.path)));
  items.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // An item inside another is carried with it.
  return items.filter((item) => !items.some((outer) => outer !== item && outer.kind === 'dir' && item.path.startsWith(`${outer.path}/`)));
}
