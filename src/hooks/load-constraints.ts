// The hook's constraints loader: parsed front matter is cached in the git dir, keyed by the file's
// stat, so the YAML parser and zod are loaded only when the file changed (~5 ms per call saved).
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { constraintsFile, findRepo } from '../constraints/find-repo.js';
import { defaultConstraints, resolveConstraints } from '../constraints/resolve-constraints.js';
import type { ConstraintsData } from '../constraints/schema.js';
import type { LoadConstraintsResult } from '../constraints/read-constraints.js';

const CACHE_VERSION = 1;

interface CacheEntry {
  version: number;
  file: string;
  mtimeMs: number;
  ctimeMs: number;
  size: number;
  data: ConstraintsData;
  prose: string;
}

function cachePath(commonDir: string, file: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < file.length; i++) hash = Math.imul(hash ^ file.charCodeAt(i), 0x01000193) >>> 0;
  return join(commonDir, 'fanout', 'cache', `constraints-${hash.toString(16)}.json`);
}

export async function loadConstraintsCached(startDir: string, env: NodeJS.ProcessEnv): Promise<LoadConstraintsResult> {
  const paths = findRepo(startDir, env);
  const context = { repoRoot: paths.repoRoot, tmpdir: env['TMPDIR'] };
  const file = constraintsFile(paths);
  if (file === undefined) return { ...paths, constraints: defaultConstraints(context), file: undefined };
  let stat;
  let text: string;
  try {
    stat = statSync(file);
    const cache = cachePath(paths.commonDir, file);
    try {
      const entry = JSON.parse(readFileSync(cache, 'utf8')) as CacheEntry;
      if (entry.version === CACHE_VERSION && entry.file === file && entry.mtimeMs === stat.mtimeMs && entry.ctimeMs === stat.ctimeMs && entry.size === stat.size) {
        return { ...paths, constraints: resolveConstraints(entry.data, entry.prose, { ...context, source: file }), file };
      }
    } catch {
      // No cache yet, or a torn one: parse below.
    }
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ...paths, file, error: `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); fix its permissions or remove it to use the defaults` };
  }
  const { validateConstraints, formatConstraintsIssues } = await import('../constraints/parse-constraints.js');
  const validated = validateConstraints(text);
  if (!validated.ok) return { ...paths, file, error: formatConstraintsIssues(file, validated.issues) };
  try {
    const cache = cachePath(paths.commonDir, file);
    // Outside a repo the "git dir" does not exist: never create one (it would turn the folder into a repo root).
    if (!existsSync(paths.commonDir)) throw new Error('no git dir');
    mkdirSync(join(cache, '..'), { recursive: true });
    const entry: CacheEntry = { version: CACHE_VERSION, file, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, size: stat.size, data: validated.data, prose: validated.prose };
    writeFileSync(cache, JSON.stringify(entry));
  } catch {
    // No writable git dir: parse again next time.
  }
  return { ...paths, constraints: resolveConstraints(validated.data, validated.prose, { ...context, source: file }), file };
}
