// Where a path lies relative to the project: the question behind every deletion and write rule.
import { posix } from 'node:path';
import type { Constraints } from '../constraints/schema.js';
import { UNKNOWN, type Arg } from './resolve-word.js';
import type { GuardContext } from './types.js';

export type PathClass =
  | 'root' // '/'
  | 'ancestor' // holds the project (/, ~, ..)
  | 'repo-root'
  | 'git' // the git dir, or anything in a .git directory
  | 'inside'
  | 'temp' // under a temp root, outside the repo
  | 'temp-root' // a temp root itself
  | 'dev-null' // /dev/null, /dev/stdout, /dev/fd/*: harmless sinks
  | 'disk' // a block device
  | 'outside';

/** A target path as far as it can be known before the command runs. */
export type PathInfo =
  | { kind: 'exact'; abs: string; display: string }
  /** Some path(s) below `base` (a glob, or a partly unknown name): `rest` is the pattern under it. */
  | { kind: 'within'; base: string; rest: string; display: string }
  | { kind: 'unknown'; display: string; relative: boolean };

export function isInside(parent: string, child: string): boolean {
  if (parent === '/') return child.startsWith('/');
  // No `${parent}/` string per call: this runs for every path of every target.
  return child === parent || (child.length > parent.length && child.charCodeAt(parent.length) === 47 && child.startsWith(parent));
}

/** How a path is shown in messages: as written when that is short (`~`, `$HOME/x`), else as resolved. */
function display(arg: Arg): string {
  const value = arg.value.replace(/\u0000/g, '…');
  return arg.text !== '' && arg.text.length <= 80 && !arg.text.includes('\n') && !arg.text.startsWith('(') ? arg.text.replace(/\u0000/g, '…') : value || arg.text;
}

/** Resolves an argument to a path against the shell's working directory. */
export function pathOf(arg: Arg, cwd: string | undefined): PathInfo {
  const shown = display(arg);
  const value = arg.value;
  const unknownAt = value.indexOf(UNKNOWN);
  const cut = Math.min(unknownAt === -1 ? Infinity : unknownAt, arg.globAt === -1 ? Infinity : arg.globAt);
  if (cut === 0 && unknownAt === 0) return { kind: 'unknown', display: shown, relative: false };
  if (!value.startsWith('/') && cwd === undefined) return { kind: 'unknown', display: shown, relative: true };
  const base = cwd ?? '/';
  if (cut === Infinity) return { kind: 'exact', abs: posix.resolve(base, value), display: shown };
  const literal = value.slice(0, cut);
  const slash = literal.lastIndexOf('/');
  const dir = slash === -1 ? '' : literal.slice(0, slash + 1);
  const rest = value.slice(dir.length);
  return { kind: 'within', base: posix.resolve(base, dir || '.'), rest, display: shown };
}

/**
 * The key a file is remembered by when a command writes it: its absolute path, or, for a name partly unknown
 * (`f=$(mktemp); … > $f; sh $f`), the same unknown value written the same way. Globs are not one file.
 */
export function fileKey(path: PathInfo): string | undefined {
  if (path.kind === 'exact') return path.abs;
  if (path.kind === 'within' && !/[*?[]/.test(path.rest)) return `${path.base}/${path.rest}`;
  return undefined;
}

export function isTempPath(abs: string, constraints: Constraints): boolean {
  return constraints.tempRoots.some((root) => isInside(root, abs));
}

const DISK = /^\/dev\/(?:sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|disk\d|rdisk\d|md\d|dm-\d|mapper\/|loop\d|sr\d|nbd\d)/;

export function classifyAbs(abs: string, constraints: Constraints, context: GuardContext): PathClass {
  if (abs === '/') return 'root';
  const boundary = constraints.boundary;
  if (isInside(abs, boundary) && abs !== boundary) return 'ancestor';
  if (isInside(abs, context.repoRoot) && abs !== context.repoRoot) return 'ancestor';
  if (abs === boundary || abs === context.repoRoot) return 'repo-root';
  if (isInside(context.gitDir, abs)) return 'git';
  // Another repo's .git is history too, except a scratch clone under a temp root (outside the project and home).
  // Case-insensitive: on macOS and Windows file systems `.GIT/config` is `.git/config`.
  if (/(?:^|\/)\.git(?:\/|$)/i.test(abs) && (isInside(boundary, abs) || isInside(context.home, abs) || !isTempPath(abs, constraints))) return 'git';
  if (isInside(boundary, abs)) return 'inside';
  if (abs.startsWith('/dev/')) {
    if (DISK.test(abs)) return 'disk';
    return 'dev-null';
  }
  // The home dir is never scratch space, even when it lives under a temp root (CI, sandboxes).
  if (isInside(context.home, abs)) return 'outside';
  if (constraints.tempRoots.includes(abs)) return 'temp-root';
  if (isTempPath(abs, constraints)) return 'temp';
  return 'outside';
}

/** Repo-relative POSIX path for locked-file globs; undefined outside the repo. */
export function repoRelative(abs: string, context: GuardContext): string | undefined {
  if (!isInside(context.repoRoot, abs) || abs === context.repoRoot) return undefined;
  return abs.slice(context.repoRoot.length + 1);
}

export function underHome(abs: string, context: GuardContext): string | undefined {
  if (!isInside(context.home, abs) || abs === context.home) return undefined;
  return abs.slice(context.home.length + 1);
}
