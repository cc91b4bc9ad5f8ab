// The plan model shared by the parser, the sizing/batching core, the gate and the orchestrator.

export interface PlanTask {
  /** [a-z0-9-]+, unique within the plan. */
  id: string;
  /** Repo-relative POSIX paths, at least one. */
  files: string[];
  /** Ids of tasks that must be done first. */
  dependsOn: string[];
  prompt?: string;
}

export interface Plan {
  title: string;
  /** Command run on each batch and on the merged result. */
  validate?: string;
  tasks: PlanTask[];
  /** Shared context (the Markdown body) given to every agent. */
  context: string;
  /** Which form the file was written in: a human-template plan was converted (formatPlan gives its canonical form). */
  format?: 'canonical' | 'human';
}

export type Decision = 'direct' | 'sequential' | 'parallel';

/** Tasks linked by shared files or depends_on; never split across agents. */
export interface Component {
  /** Tasks in dependency (topological) order. */
  tasks: string[];
  files: string[];
}

/** What one agent does in one worktree: whole components, tasks in dependency order. */
export interface Batch {
  /** Derived from task ids; a valid git branch name component. */
  id: string;
  tasks: PlanTask[];
  files: string[];
}

export interface Thresholds {
  /** <= directMax files: direct. */
  directMax: number;
  /** <= sequentialMax files: sequential. */
  sequentialMax: number;
  maxAgents: number;
}

export interface Sizing {
  decision: Decision;
  /** Names the numbers: "12 files in 3 independent components: parallel (10+ files, >= 2 components)". */
  reason: string;
  /** The recommended next step when not parallel. */
  recommendation: string;
  files: number;
  tasks: number;
  components: Component[];
  batches: Batch[];
}

export interface PlanIssue {
  line: number | undefined;
  field: string;
  message: string;
}

export type ParsePlanResult = { ok: true; plan: Plan } | { ok: false; issues: PlanIssue[] };
