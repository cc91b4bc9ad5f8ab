// What loading a repo's constraints gives, and the error for a file that cannot be read: shared by the CLI's loader
// (read-constraints.ts) and the hooks' cached one (src/hooks/load-constraints.ts), which must not import node's fs.
import type { RepoPaths } from './find-repo.js';
import type { Constraints } from './schema.js';

export type LoadConstraintsResult =
  | ({ constraints: Constraints; file: string | undefined } & RepoPaths)
  | ({ error: string; file: string } & RepoPaths);

/** Says why a constraints file cannot be read, and what to do. */
export function unreadableConstraints(file: string, error: unknown): string {
  return `${file}: cannot be read (${(error as { code?: string } | null)?.code ?? String(error)}); fix its permissions or remove it to use the defaults`;
}
