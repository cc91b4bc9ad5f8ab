// Small fs helpers for the installer: content hashes, compare-then-write, directory listings.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';

export type FileAction = 'created' | 'updated' | 'unchanged' | 'kept' | 'removed';

export interface ActionLine {
  action: FileAction;
  /** Relative to the repo root, '/'-separated. */
  path: string;
  note?: string;
}

export function sha256(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export function readIfExists(path: string): Buffer | undefined {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Directories a write would create, outermost first, relative to root. */
export function missingDirs(root: string, file: string): string[] {
  const out: string[] = [];
  for (let dir = dirname(file); dir !== root && dir.startsWith(root + sep) && !existsSync(dir); dir = dirname(dir)) out.unshift(toRel(root, dir));
  return out;
}

/** Writes only when the bytes differ, so that a second run leaves every file (and its mtime) alone. */
export function writeIfChanged(path: string, content: string | Buffer, mode?: number): 'created' | 'updated' | 'unchanged' {
  const before = readIfExists(path);
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  if (before !== undefined && before.equals(bytes)) return 'unchanged';
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, bytes, mode === undefined ? undefined : { mode });
  return before === undefined ? 'created' : 'updated';
}

/** Every file under dir, relative to it, '/'-separated, sorted. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) out.push(toRel(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

export function toRel(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}

/** Removes a directory only if it is empty; true when it is gone. */
export function removeDirIfEmpty(path: string): boolean {
  try {
    if (!statSync(path).isDirectory() || readdirSync(path).length > 0) return false;
    rmdirSync(path);
    return true;
  } catch {
    return false;
  }
}
