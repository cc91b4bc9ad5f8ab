import type { PlanIssue } from './types.js';

/** One line per issue: `file:line: field: message`. */
export function formatPlanIssues(source: string, issues: readonly PlanIssue[]): string {
  return issues.map((issue) => `${source}${issue.line === undefined ? '' : `:${issue.line}`}: ${issue.field}: ${issue.message}`).join('\n');
}
