// Commands fanout runs on the user's behalf (validate, setup) pass the Phase 0 guard first, as they would
// in a Claude Code session.
import type { Constraints } from '../constraints/index.js';
import { evaluateToolCall, type GuardContext } from '../guard/index.js';
import type { Finding } from '../guard/types.js';
import { FanoutError } from '../util/errors.js';

/** Throws command-denied on deny or ask (nobody is there to answer); returns the warnings. */
export function checkCommand(what: string, command: string, constraints: Constraints, context: GuardContext): string[] {
  const verdict = evaluateToolCall({ toolName: 'Bash', toolInput: { command } }, constraints, context);
  if (verdict.decision !== 'allow') {
    const rule = verdict.ruleId ? `[${verdict.ruleId}] ` : '';
    throw new FanoutError('command-denied', `the ${what} command \`${command}\` is ${verdict.decision === 'deny' ? 'denied' : 'held for a human'} by the guard: ${rule}${verdict.reason ?? 'no reason given'}`, {
      hint: verdict.decision === 'deny' ? `change the ${what} command` : `fanout runs it unattended, so it cannot ask; run it yourself, or change the ${what} command`,
      data: { ruleId: verdict.ruleId, decision: verdict.decision },
    });
  }
  return verdict.warnings.map((warning: Finding) => `${warning.ruleId}: ${warning.message}`);
}
