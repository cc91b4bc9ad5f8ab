// CLI side only (gray-matter): writes a plan in the canonical form. Never imported by parsePlan or the hook.
import { writeFile } from 'node:fs/promises';
import matter from 'gray-matter';
import { FanoutError } from '../util/errors.js';
import { planFrontMatter } from './format-plan.js';
import type { Plan } from './types.js';

/** The canonical Markdown through gray-matter's stringify (same YAML engine as formatPlan). */
export function stringifyPlan(plan: Plan): string {
  return matter.stringify(plan.context === '' ? '' : `${plan.context}\n`, planFrontMatter(plan));
}

export async function writePlan(path: string, plan: Plan): Promise<void> {
  try {
    await writeFile(path, stringifyPlan(plan), 'utf8');
  } catch (error) {
    throw new FanoutError('plan-write-failed', `cannot write ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, {
      hint: 'pick a path in a writable directory',
      cause: error,
    });
  }
}
