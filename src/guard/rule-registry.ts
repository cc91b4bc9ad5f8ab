// Which rules judge which command: every rule module, indexed by command name, looked up once per invocation.
import { EVERY_COMMAND, NO_COMMAND, UNKNOWN_NAME, type Invocation, type RuleContext, type RuleModule } from './rule-context.js';
import { agentRules } from './rules-agents.js';
import { databaseRules } from './rules-database.js';
import { execRules } from './rules-exec.js';
import { fileRules } from './rules-files.js';
import { gitRules } from './rules-git.js';
import { infraRules } from './rules-infra.js';
import { interpreterRules } from './rules-interpreters.js';
import { systemRules } from './rules-system.js';
import { triggerRules } from './rules-triggers.js';

/**
 * Every rule module, in the order their findings are reported when one command matches several. Stop triggers come
 * last: they read `runs`, the argv a git alias expands to, which the git rules fill in.
 */
export const RULE_MODULES: readonly RuleModule[] = [...execRules, ...interpreterRules, ...fileRules, ...gitRules, ...systemRules, ...infraRules, ...databaseRules, ...agentRules, ...triggerRules];

const BY_NAME = new Map<string, RuleModule[]>();
for (const module of RULE_MODULES) {
  for (const name of module.commands) BY_NAME.set(name, [...(BY_NAME.get(name) ?? []), module]);
}
const FOR_EVERY = BY_NAME.get(EVERY_COMMAND) ?? [];
const WITH_FINISH = RULE_MODULES.filter((m) => m.finish !== undefined);

/** The registry key for a command name: versioned interpreters and mkfs.<type> share their family's rules. */
export function ruleKey(name: string): string {
  if (name.startsWith('mkfs.')) return 'mkfs';
  const versioned = /^(python|pypy|pip|perl|ruby|php|node|lua)(?:\d+(?:\.\d+)*)?$/.exec(name);
  if (versioned) return versioned[1] === 'pypy' ? 'python' : (versioned[1] as string);
  if (name.endsWith('.exe')) return ruleKey(name.slice(0, -4));
  return name;
}

/** The modules that judge this invocation: its command's, then those that judge every command. */
export function rulesFor(inv: Invocation): RuleModule[] {
  const key = inv.args.length === 0 ? NO_COMMAND : inv.name === '' ? UNKNOWN_NAME : ruleKey(inv.name);
  return [...(BY_NAME.get(key) ?? []), ...FOR_EVERY];
}

export function runRules(inv: Invocation, ctx: RuleContext): void {
  for (const module of rulesFor(inv)) module.check(inv, ctx);
}

/** Judgments over the whole command line (several `claude -p` at once …), once the walk is done. */
export function finishRules(ctx: RuleContext): void {
  for (const module of WITH_FINISH) module.finish?.(ctx);
}
