// The guard's data: what it is told (context), what it finds (findings), what it answers (verdict).

export type Severity = 'deny' | 'ask' | 'warn';
export type Decision = 'allow' | 'ask' | 'deny';
export type PlanDecision = 'direct' | 'sequential' | 'parallel';

export interface Finding {
  /** Stable kebab-case id: tests and users key on it. */
  ruleId: string;
  severity: Severity;
  /** What is wrong and the safer way to do it; ready to show the model. */
  message: string;
  /** The command (or file) the finding is about. */
  segment: string;
}

export type PlanSizing =
  | { decision: PlanDecision; reason: string; recommendation: string }
  | { error: string }
  | undefined;

/** Everything the guard needs from the outside world; absolute paths. The guard never reads fs or env itself. */
export interface GuardContext {
  cwd: string;
  projectDir: string;
  repoRoot: string;
  gitDir: string;
  home: string;
  /** Sizes a plan file for `fanout orchestrate <plan>`; undefined when it cannot tell. */
  sizePlan?: ((planPath: string, cwd: string) => PlanSizing) | undefined;
  /** The decision of the plan active in this session, if any (for Agent/Task isolation: "worktree"). */
  activePlanDecision?: (() => PlanDecision | undefined) | undefined;
}

export interface Verdict {
  decision: Decision;
  /** The rule behind the decision (absent on allow). */
  ruleId?: string;
  /** Why, and what to do instead (absent on allow). */
  reason?: string;
  /** Every deny/ask finding, most severe first. */
  findings: Finding[];
  /** warn findings: not blocking, reported after the call. */
  warnings: Finding[];
}

export interface ToolCall {
  toolName: string;
  toolInput: unknown;
}
