// The canonical Markdown of a plan: what a converted human plan is saved as, and what parsePlan reads back.
import yaml from 'js-yaml';
import type { Plan } from './types.js';

/** Front matter fields of a plan in canonical order and naming (depends_on, not dependsOn). */
export function planFrontMatter(plan: Plan): Record<string, unknown> {
  return {
    title: plan.title,
    ...(plan.validate === undefined ? {} : { validate: plan.validate }),
    tasks: plan.tasks.map((task) => ({
      id: task.id,
      files: task.files,
      depends_on: task.dependsOn,
      ...(task.prompt === undefined ? {} : { prompt: task.prompt }),
    })),
  };
}

/** The canonical Markdown (YAML front matter + shared context); parsePlan(formatPlan(p)) gives p back. */
export function formatPlan(plan: Plan): string {
  // Flow style from the file lists down keeps one line per list; lineWidth -1 never folds a prompt.
  const front = yaml.safeDump(planFrontMatter(plan), { flowLevel: 3, lineWidth: -1, noRefs: true });
  return `---\n${front}---\n${plan.context === '' ? '' : `${plan.context}\n`}`;
}
