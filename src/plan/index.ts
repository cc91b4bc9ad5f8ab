// The plan surface: parse (canonical or human template), size and batch, and the prompt gate.
export type { Batch, Component, Decision, ParsePlanResult, Plan, PlanIssue, PlanTask, Sizing, Thresholds } from './types.js';
export { parsePlan, type ParsePlanOptions } from './parse-plan.js';
export { formatPlan } from './format-plan.js';
export { formatPlanIssues } from './format-plan-issues.js';
export { readPlan } from './read-plan.js';
export { sizePlan, DEFAULT_THRESHOLDS } from './size-plan.js';
export { gatePrompt, type PromptGate } from './gate-prompt.js';
export { sizePlanFile, type PlanFileSizing } from './size-plan-file.js';
