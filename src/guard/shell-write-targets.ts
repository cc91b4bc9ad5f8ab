// The files a Bash command would write or delete, for the scope hook and the run ledger.
import { defaultConstraints } from '../constraints/resolve-constraints.js';
import type { Constraints } from '../constraints/schema.js';
import { analyzeShell } from './analyze-command.js';
import type { GuardContext } from './types.js';

/**
 * Absolute paths the command writes or deletes. A glob or partly unknown target contributes the directory
 * it lies under; `certain` is false when some target (or some program's effect) cannot be known.
 * /dev sinks (/dev/null, /dev/stderr …) are left out.
 */
export function shellWriteTargets(command: string, context: GuardContext, constraints?: Constraints): { paths: string[]; certain: boolean } {
  const analysis = analyzeShell(command, constraints ?? defaultConstraints({ repoRoot: context.repoRoot }), context);
  const paths = new Set<string>();
  let certain = analysis.certain;
  for (const target of analysis.targets) {
    const path = target.path;
    if (path.kind === 'unknown') {
      certain = false;
      continue;
    }
    const abs = path.kind === 'exact' ? path.abs : path.base;
    if (abs === '/dev' || abs.startsWith('/dev/')) continue;
    if (path.kind === 'within') certain = false;
    paths.add(abs);
  }
  return { paths: [...paths], certain };
}
