// The hooks' constraints loader: parsed front matter is kept keyed by the file's stat, so the YAML parser and zod
// run only when the file changed. The command hook keeps it in the git dir (~5 ms per call saved); the hooks module,
// which lives as long as the session, keeps it in memory.
import { join } from 'node:path';
import { findRepoAndConstraints, type Env } from '../constraints/find-repo.js';
import { unreadableConstraints, type LoadConstraintsResult } from '../constraints/unreadable-constraints.js';
import { defaultConstraints, resolveConstraints } from '../constraints/resolve-constraints.js';
import type { ConstraintsData } from '../constraints/schema.js';
import type { FileStat, HostFs } from '../util/host-fs.js';

const CACHE_VERSION = 1;

export interface CacheEntry {
  version: number;
  file: string;
  mtimeMs: number;
  ctimeMs?: number;
  size: number;
  data: ConstraintsData;
  prose: string;
}

export interface ConstraintsCache {
  /** Keep parsed files in <git common dir>/fanout/cache (the command hook: a new process per call). */
  disk: boolean;
  /** Keep parsed files here (the hooks module: one worker for the whole session). */
  memory?: Map<string, CacheEntry>;
}

function cachePath(commonDir: string, file: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < file.length; i++) hash = Math.imul(hash ^ file.charCodeAt(i), 0x01000193) >>> 0;
  return join(commonDir, 'fanout', 'cache', `constraints-${hash.toString(16)}.json`);
}

function fresh(entry: CacheEntry | undefined, file: string, stat: FileStat): entry is CacheEntry {
  return entry?.version === CACHE_VERSION && entry.file === file && entry.mtimeMs === stat.mtimeMs && entry.ctimeMs === stat.ctimeMs && entry.size === stat.size;
}

export function newConstraintsMemory(): Map<string, CacheEntry> {
  return new Map();
}

export async function loadConstraintsCached(startDir: string, env: Env, fs: HostFs, cache: ConstraintsCache = { disk: true }): Promise<LoadConstraintsResult> {
  const { paths, constraints: found } = await findRepoAndConstraints(startDir, env, fs);
  const context = { repoRoot: paths.repoRoot, tmpdir: env['TMPDIR'] };
  if (found === undefined) return { ...paths, constraints: defaultConstraints(context), file: undefined };
  const { path: file, stat } = found;
  const resolved = (entry: CacheEntry): LoadConstraintsResult => ({ ...paths, constraints: resolveConstraints(entry.data, entry.prose, { ...context, source: file }), file });
  let text: string | undefined;
  try {
    const remembered = cache.memory?.get(file);
    if (fresh(remembered, file, stat)) return resolved(remembered);
    if (cache.disk) {
      try {
        const entry = JSON.parse((await fs.readText(cachePath(paths.commonDir, file))) ?? 'null') as CacheEntry | null;
        if (fresh(entry ?? undefined, file, stat)) return resolved(entry as CacheEntry);
      } catch {
        // A torn cache: parse below.
      }
    }
    text = await fs.readText(file);
  } catch (error) {
    return { ...paths, file, error: unreadableConstraints(file, error) };
  }
  if (text === undefined) return { ...paths, constraints: defaultConstraints(context), file: undefined };
  const { validateConstraints, formatConstraintsIssues } = await import('../constraints/parse-constraints.js');
  const validated = validateConstraints(text);
  if (!validated.ok) return { ...paths, file, error: formatConstraintsIssues(file, validated.issues) };
  const entry: CacheEntry = { version: CACHE_VERSION, file, mtimeMs: stat.mtimeMs, ...(stat.ctimeMs === undefined ? {} : { ctimeMs: stat.ctimeMs }), size: stat.size, data: validated.data, prose: validated.prose };
  cache.memory?.set(file, entry);
  // Outside a repo the "git dir" does not exist: never create one (it would turn the folder into a repo root).
  if (cache.disk && paths.inRepo) {
    await fs.writeText(cachePath(paths.commonDir, file), JSON.stringify(entry)).catch(() => {
      // No writable git dir: parse again next time.
    });
  }
  return resolved(entry);
}
