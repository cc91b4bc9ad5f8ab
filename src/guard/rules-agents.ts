// Agents and the complexity gate: `fanout orchestrate <plan>` only for plans sized parallel, and no
// ad-hoc fan-out of `claude -p` agents from a shell line.
import { hasLong, operands } from './flags.js';
import type { Invocation, RuleContext, RuleModule } from './rule-context.js';
import { stdinItems } from './list-items.js';
import { cloneState, literalArg, isKnown, NUL, UNKNOWN, type Arg } from './resolve-word.js';

/** The `claude -p` runs seen so far in this command line, and why they run at the same time (xargs -P, GNU parallel, & in a loop). */
function agentRuns(an: RuleContext): { runs: Invocation[]; reasons: string[] } {
  return an.memory('agents', () => ({ runs: [] as Invocation[], reasons: [] as string[] }));
}

/** `claude -p …` (headless) runs; interactive `claude` is a person's session, not an agent fan-out. */
export function ruleClaude(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  const headless = rest.some((a) => a.value === '-p' || a.value === '--print' || /^-[a-zA-Z]*p[a-zA-Z]*$/.test(a.value));
  if (!headless) return;
  const agents = agentRuns(an);
  agents.runs.push(inv);
  const xargs = inv.unwrapped.xargs;
  if (xargs && xargs.parallel !== 1) agents.reasons.push(`xargs -P ${xargs.parallel === 0 ? '0 (unlimited)' : xargs.parallel}`);
  if (inv.background && inv.inLoop) agents.reasons.push('a loop that starts each in the background');
}

const PARALLEL_VALUED = new Set(['-j', '--jobs', '-P', '--max-procs', '--joblog', '-S', '--sshlogin', '--delay', '--timeout', '-N', '-n', '--max-args', '--results', '--tmpdir', '--workdir', '-a', '--arg-file', '--colsep', '-C', '-d', '--delimiter', '-I', '--rpl', '--tagstring', '--memfree', '--load', '--retries', '--halt', '--env', '--sshloginfile', '--basefile', '--return', '-L', '--max-lines', '-s', '--max-chars', '-E']);

/** GNU parallel: runs its command template once per input, concurrently. */
export function ruleGnuParallel(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  let i = 0;
  for (; i < rest.length; i++) {
    const v = (rest[i] as Arg).value;
    if (!v.startsWith('-')) break;
    if (v === '--') {
      i++;
      break;
    }
    if (PARALLEL_VALUED.has(v)) i++;
  }
  const end = rest.findIndex((a, k) => k >= i && /^:::[:+]?$/.test(a.value));
  const template = rest.slice(i, end === -1 ? undefined : end);
  if (template.length === 0) return;
  const nul = rest.slice(0, i).some((a) => a.value === '-0' || a.value === '--null');
  const before = agentRuns(an).runs.length;
  // `parallel rm -rf ::: ~ /`: each input after ::: fills {} (or is appended) and runs; judge the first few.
  const inputs: Array<Arg | undefined> = [];
  if (end !== -1 && rest[end]?.value !== '::::') {
    for (const a of rest.slice(end + 1)) {
      if (/^:::[:+]?$/.test(a.value)) break;
      // The first 64 inputs as given, the rest as one unknown input.
      if (inputs.length >= 64) {
        inputs.push(literalArg(UNKNOWN));
        break;
      }
      inputs.push(a);
    }
  }
  // No ::: inputs: parallel reads one input per line of stdin (`find … | parallel rm {}`).
  if (end === -1 && inv.stdin) inputs.push(...stdinItems(inv, nul ? NUL : '\n').slice(0, 64));
  for (const input of inputs.length > 0 ? inputs : [undefined]) {
    const filled = input ? fillTemplate(template, input) : template;
    const state = cloneState(inv.state);
    if (filled.length === 1 && /\s/.test((filled[0] as Arg).value)) an.runShellString(filled[0] as Arg, [], inv);
    else an.invoke(filled, { state, depth: inv.depth + 1, segment: inv.segment, background: false, stdin: undefined });
  }
  if (agentRuns(an).runs.length > before) agentRuns(an).reasons.push('GNU parallel');
}

const REPLACEMENT = /\{(?:\.|\/|\/\/|\/\.|\d+)?\}/g;
const HAS_REPLACEMENT = /\{(?:\.|\/|\/\/|\/\.|\d+)?\}/;

/** GNU parallel's command line for one input: `{}` (and `{.}`, `{/}` …) replaced, or the input appended. */
function fillTemplate(template: Arg[], input: Arg): Arg[] {
  const single = template.length === 1 && /\s/.test((template[0] as Arg).value);
  const shown = single ? shellWord(input.value) : input.value;
  if (!template.some((a) => HAS_REPLACEMENT.test(a.value))) {
    return single ? [{ ...(template[0] as Arg), value: `${(template[0] as Arg).value} ${shown}` }] : [...template, input];
  }
  return template.map((a) => (HAS_REPLACEMENT.test(a.value) ? { ...a, value: a.value.replace(REPLACEMENT, shown), taint: a.taint ?? input.taint } : a));
}

function shellWord(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, "'\\''")}'`;
}

/** Called once the whole command is analysed: several `claude -p` at once need a parallel plan. */
export function judgeAgents(an: RuleContext): void {
  const { runs, reasons: why } = agentRuns(an);
  if (runs.length === 0) return;
  const reasons = [...new Set(why)];
  if (runs.length >= 2 && runs.some((r) => r.background)) reasons.push(`${runs.length} runs, ${runs.filter((r) => r.background).length} in the background with &`);
  if (reasons.length === 0) return;
  if (an.context.activePlanDecision?.() === 'parallel') return;
  an.add(
    'parallel-agents',
    'deny',
    `this starts several \`claude -p\` agents at the same time (${reasons.join('; ')}) without a plan sized for parallel work: agents sharing one checkout overwrite each other's changes, and the complexity gate never ran. Write a plan and use \`/orchestrate <plan>\` (it runs \`fanout orchestrate <plan>\`, one worktree per agent), or run the agents one after another.`,
    runs[0]?.segment ?? '',
  );
}

const ORCHESTRATE_VALUED = ['--agent', '--concurrency', '--max-agents', '--validate', '--timeout', '--into'];

/** `fanout orchestrate <plan>`: the gate sizes the plan before any worktree or agent exists. */
export function ruleFanout(inv: Invocation, an: RuleContext): void {
  const rest = inv.args.slice(1);
  if (rest[0]?.value !== 'orchestrate') return;
  const args = rest.slice(1);
  if (args.some((a) => a.value === '--help' || a.value === '-h') || hasLong(args, '--dry-run')) return;
  const plan = operands(args, ORCHESTRATE_VALUED)[0];
  if (!plan) return;
  if (!isKnown(plan)) {
    an.add('gate-invalid-plan', 'deny', `fanout orchestrate ${plan.text}: the plan path is only known when the command runs, so the complexity gate cannot size it. Name the plan file literally.`, inv.segment);
    return;
  }
  const sizing = an.context.sizePlan?.(plan.value, inv.state.cwd ?? an.context.cwd);
  if (sizing === undefined) return;
  if ('error' in sizing) {
    an.add('gate-invalid-plan', 'deny', `fanout orchestrate ${plan.value}: the plan cannot be sized: ${sizing.error}. Fix the plan (\`fanout plan ${plan.value}\` shows every issue), then orchestrate it.`, inv.segment);
    return;
  }
  if (sizing.decision === 'parallel') return;
  if (hasLong(args, '--force')) {
    an.add('gate-forced', 'ask', `fanout orchestrate --force skips the complexity gate, which sized ${plan.value} as ${sizing.decision}: ${sizing.reason}. A human should confirm running parallel agents anyway.`, inv.segment);
    return;
  }
  an.add('gate-small-plan', 'deny', `the complexity gate sized ${plan.value} as ${sizing.decision}, not parallel: ${sizing.reason}. ${sizing.recommendation} fanout orchestrate is for plans that need parallel agents.`, inv.segment);
}

export const agentRules: RuleModule[] = [
  { name: 'claude', commands: ['claude', 'claude-code'], check: ruleClaude, finish: judgeAgents },
  { name: 'gnu-parallel', commands: ['parallel'], check: ruleGnuParallel },
  { name: 'fanout', commands: ['fanout'], check: ruleFanout },
];
