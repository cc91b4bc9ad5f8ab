// The canonical plan's front matter. zod/mini: the prompt hooks parse plans inside the hook bundle.
import * as z from 'zod/mini';

export const PLAN_FIELDS = ['title', 'validate', 'tasks'] as const;
export const TASK_FIELDS = ['id', 'files', 'depends_on', 'prompt'] as const;

export const PlanTaskDataSchema = z.strictObject({
  id: z.string(),
  files: z.array(z.string()),
  depends_on: z.optional(z.nullable(z.array(z.string()))),
  prompt: z.optional(z.nullable(z.string())),
});

export const PlanDataSchema = z.strictObject({
  title: z.string(),
  validate: z.optional(z.nullable(z.string())),
  tasks: z.array(PlanTaskDataSchema),
});
export type PlanData = z.infer<typeof PlanDataSchema>;

/** Front matter of a human-template plan: only what the Markdown cannot say. */
export const HumanPlanDataSchema = z.strictObject({
  title: z.optional(z.nullable(z.string())),
  validate: z.optional(z.nullable(z.string())),
});
