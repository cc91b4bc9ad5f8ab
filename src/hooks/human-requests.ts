// Calls that need a person's yes, in an orchestrated agent. Such an agent runs `claude -p`: an `ask` there is
// simply a denial nobody sees (shared/claude-code-spec.md). So the hook records the request where the run
// finds it (the scope file names the place), denies it telling the agent to finish without it, and lets it
// through once a person approved that very request (`fanout resume <run> --approve <id>`).
import { appendFileSync } from 'node:fs';
import type { Verdict } from '../guard/index.js';
import { preToolUseDecision } from './io.js';
import { readScope } from './scope.js';

export interface RecordedRequest {
  ruleId: string;
  tool: string;
  subject: string;
  reason: string;
  at: string;
}

/**
 * For an ask verdict of an orchestrated agent: 'approved' when a person approved every finding, else the
 * denial to print (the request recorded). Undefined when the scope names no place for requests (older runs).
 */
export function humanRequest(scopeFile: string, toolName: string, verdict: Verdict): string | 'approved' | undefined {
  const scope = readScope(scopeFile);
  if ('error' in scope || scope.requests === undefined) return undefined;
  const approved = scope.approved ?? [];
  const pending = verdict.findings.filter((finding) => finding.severity === 'ask' && !approved.some((a) => a.ruleId === finding.ruleId && a.subject === finding.segment));
  if (pending.length === 0) return 'approved';
  const finding = pending[0];
  if (finding === undefined) return 'approved';
  const request: RecordedRequest = { ruleId: finding.ruleId, tool: toolName, subject: finding.segment, reason: finding.message, at: new Date().toISOString() };
  try {
    appendFileSync(scope.requests, `${JSON.stringify(request)}\n`);
  } catch {
    // Not recorded: the denial below still stands, and the agent's log shows it.
  }
  return preToolUseDecision(
    'deny',
    `[fanout:${finding.ruleId}] ${finding.message} This agent runs unattended, so nobody can answer now: fanout recorded the request and reports it to the user, who can approve it and resume the run. Do not try another way around it; finish what you can without it, then end, saying what you needed and why.`,
  );
}
