// The edge that reads .claude/constraints.md for the CLI (the hook has a cached variant in src/hooks).
import { readFileSync } from 'node:fs';
import { constraintsFile, findRepo, type RepoPaths } from './find-repo.js';
import { formatConstraintsIssues, parseConstraints } from './parse-constraints.js';
import { defaultConstraints } from './resolve-constraints.js';
import type { Constraints } from './schema.js';

export { CONSTRAINTS_FILE, findRepo, type RepoPaths } from './find-repo.js';

export type LoadConstraintsResult =
  | ({ constraints: Constraints; file: string | undefined } & RepoPaths)
  | ({ error: string; file: string } & RepoPaths);

/** Reads the constraints of the repo around startDir; a missing file gives the defaults, an invalid one an error. */
export function loadConstraints(startDir: string, env: NodeJS.ProcessEnv = process.env): LoadConstraintsResult {
  const paths = findRepo(startDir, env);
  const file = constraintsFile(paths);
  const context = { repoRoot: paths.repoRoot, tmpdir: env['TMPDIR'] };
  if (file === undefined) return { ...paths, constraints: defaultConstraints(context), file: undefined };
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { ...paths, file, error: `${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); fix its permissions or remove it to use the defaults` };
  }
  const parsed = parseConstraints(text, { ...context, source: file });
  if (!parsed.ok) return { ...paths, file, error: formatConstraintsIssues(file, parsed.issues) };
  return { ...paths, constraints: parsed.constraints, file };
}
