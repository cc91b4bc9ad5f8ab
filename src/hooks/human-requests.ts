// Calls that need a person's yes, in an orchestrated agent. Such an agent runs `claude -p`: an `ask` there is
// simply a denial nobody sees (shared/claude-code-spec.md). So the hook records the request where the run
// finds it (the scope file names the place), denies it telling the agent to finish without it, and lets it
// through once a person approved that very request (`fanout resume <run> --approve <id>`).
import type { Verdict } from '../guard/index.js';
import type { HostFs } from '../util/host-fs.js';
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
 * denial (the request recorded). Undefined when the scope names no place for requests (older runs).
 */
export async function humanRequest(fs: HostFs, scopeFile: string, toolName: string, verdict: Verdict): Promise<{ decision: 'deny'; ruleId: string; reason: string } | 'approved' | undefined> {
  const scope = await readScope(fs, scopeFile);
  if ('error' in scope || scope.requests === undefined) return undefined;
  const approved = scope.approved ?? [];
  const finding = verdict.findings.find((f) => f.severity === 'ask' && !approved.some((a) => a.ruleId === f.ruleId && a.subject === f.segment));
  if (finding === undefined) return 'approved';
  const request: RecordedRequest = { ruleId: finding.ruleId, tool: toolName, subject: finding.segment, reason: finding.message, at: new Date().toISOString() };
  try {
    await fs.appendText(scope.requests, `${JSON.stringify(request)}\n`);
  } catch {
    // Not recorded: the denial below still stands, and the agent's log shows it.
  }
  return {
    decision: 'deny',
    ruleId: finding.ruleId,
    reason: `[fanout:${finding.ruleId}] ${finding.message} This agent runs unattended, so nobody can answer now: fanout recorded the request and reports it to the user, who can approve it and resume the run. Do not try another way around it; finish what you can without it, then end, saying what you needed and why.`,
  };
}
