// The edge that reads .claude/constraints.md for the CLI (the hook has a cached variant in src/hooks).
import type { HostFs } from '../util/host-fs.js';
import { nodeFs } from '../util/node-fs.js';
import { findRepoAndConstraints, type Env } from './find-repo.js';
import { formatConstraintsIssues, parseConstraints } from './parse-constraints.js';
import { defaultConstraints } from './resolve-constraints.js';
import { unreadableConstraints, type LoadConstraintsResult } from './unreadable-constraints.js';

export { CONSTRAINTS_FILE, findRepo, type Env, type RepoPaths } from './find-repo.js';
export type { LoadConstraintsResult } from './unreadable-constraints.js';

/** Reads the constraints of the repo around startDir; a missing file gives the defaults, an invalid one an error. */
export async function loadConstraints(startDir: string, env: Env = process.env, fs: HostFs = nodeFs): Promise<LoadConstraintsResult> {
  const { paths, constraints: found } = await findRepoAndConstraints(startDir, env, fs);
  const file = found?.path;
  const context = { repoRoot: paths.repoRoot, tmpdir: env['TMPDIR'] };
  if (file === undefined) return { ...paths, constraints: defaultConstraints(context), file: undefined };
  let text: string | undefined;
  try {
    text = await fs.readText(file);
  } catch (error) {
    return { ...paths, file, error: unreadableConstraints(file, error) };
  }
  // Gone between the two looks: as if it never was.
  if (text === undefined) return { ...paths, constraints: defaultConstraints(context), file: undefined };
  const parsed = parseConstraints(text, { ...context, source: file });
  if (!parsed.ok) return { ...paths, file, error: formatConstraintsIssues(file, parsed.issues) };
  return { ...paths, constraints: parsed.constraints, file };
}
