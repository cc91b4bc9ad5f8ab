// A run's state, written atomically to <common dir>/fanout/runs/<run-id>/state.json as the run goes:
// what `fanout status`, `fanout resume` and `fanout cleanup` read back.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PlanTask } from '../plan/index.js';
import type { PortBlock } from './allocate-ports.js';
import type { ProvisionMethod, ProvisionSettings } from './provision/plan-provision.js';
import type { ProvisionRecord } from './provision/provision-worktree.js';

export type RunStatus = 'running' | 'merged' | 'failed' | 'conflict' | 'invalid' | 'interrupted';

export type BatchStatus =
  | 'queued'
  /** Its worktree is receiving the installed dependencies and other provisioned items. */
  | 'provisioning'
  | 'setup'
  | 'running'
  | 'validating'
  /** Agent finished, work committed, batch validation (if any) green. */
  | 'done'
  | 'failed'
  | 'timeout'
  | 'interrupted'
  /** Its validation failed. */
  | 'invalid'
  /** Changed files outside its batch, or a file another batch changed too. */
  | 'conflict'
  | 'merged';

export type Phase = 'fan-out' | 'agents' | 'predict' | 'integrate' | 'land' | 'cleanup' | 'done';

export interface ValidationResult {
  ok: boolean;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  log: string;
}

/** A re-install because the validated tree changed the dependencies. */
export interface DependencyInstall {
  command: string;
  ok: boolean;
  exitCode: number | null;
  durationMs: number;
  log: string;
}

export interface BatchState {
  id: string;
  branch: string;
  worktree: string;
  files: string[];
  tasks: PlanTask[];
  status: BatchStatus;
  /** 1 for the first run of the batch; resume increments it. */
  attempt: number;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  startedAt: string | null;
  durationMs: number | null;
  /** Branch tip once the agent's work is committed. */
  head: string | null;
  changedFiles: string[];
  /** The changed files that were deleted (merge prediction needs to know about deletions). */
  deletedFiles: string[];
  toolCalls: number;
  costUsd: number | null;
  log: string;
  /** Process group of a running agent (cleanup of a crashed run kills it). */
  pid: number | null;
  /** Why a batch failed when no exit code says it (setup failed, git failed). */
  error: string | null;
  validation: ValidationResult | null;
  /** Branches holding the work of earlier failed attempts (kept: never lose work). */
  keptAttempts: string[];
  /** Whether the worktree still exists (false once removed). */
  worktreeExists: boolean;
  /** What its worktree received, how, and how long it took (absent in older states). */
  provision?: ProvisionRecord | null;
  /** Its ports (FANOUT_PORT_BASE…): agent, setup and validation run in its environment with them. */
  ports?: PortBlock | null;
  /** Set when its branch changed the dependencies and they were installed before validation. */
  install?: DependencyInstall | null;
}

export type ConflictKind = 'out-of-scope' | 'overlap' | 'merge';

export interface Conflict {
  kind: ConflictKind;
  /** Batch ids involved; 'base' stands for the target branch as it is now. */
  batches: string[];
  files: string[];
  message: string;
}

export interface IntegrationState {
  branch: string;
  head: string | null;
  validation: ValidationResult | null;
  /** Its worktree while one exists (only to validate the merged result); absent in older states. */
  worktree?: string | null;
  provision?: ProvisionRecord | null;
  ports?: PortBlock | null;
  install?: DependencyInstall | null;
  /** The landed result changed the dependencies: the install the user should run in their checkout. */
  landedInstall?: string | null;
}

export interface RunOptionsState {
  /** argv of the agent command without the prompt; null = the default Claude Code agent. */
  agent: string[] | null;
  validate: string | null;
  setup: string | null;
  timeoutMs: number;
  concurrency: number;
  keepWorktrees: boolean;
  /** orchestrate.provision (or --provision) in force; absent in older states (auto). */
  provision?: ProvisionSettings;
}

/** How this execution of the run provisions worktrees, and its store (hardlink: one copy per run). */
export interface ProvisioningState {
  method: ProvisionMethod | null;
  store: string | null;
  storeFiles: number;
  /** When provisioning started (epoch ms): worktrees' records say when each was done. */
  startedAt: number;
  storeMs: number;
}

export interface RunState {
  version: 1;
  runId: string;
  status: RunStatus;
  phase: Phase;
  /** The fanout process driving the run. */
  pid: number;
  startedAt: string;
  finishedAt: string | null;
  repoRoot: string;
  commonDir: string;
  planPath: string;
  title: string;
  context: string;
  base: string;
  /** The branch checked out at the start (refs/heads/… stripped); the result lands here unless `into` is set. */
  startBranch: string | null;
  into: string | null;
  integration: IntegrationState;
  landed: boolean;
  options: RunOptionsState;
  batches: BatchState[];
  conflicts: Conflict[];
  /** What happened to branches and worktrees at cleanup, for the report. */
  notes: string[];
  error: string | null;
  /** Wall time from the first agent start to the last agent end. */
  agentWallMs: number | null;
  /** Sum of the agents' run times in this execution. */
  agentTimeMs: number | null;
  wallMs: number | null;
  provisioning?: ProvisioningState | null;
}

/** What a run (or a resumed one) starts with before any batch runs. */
export function startingRunFields(options: RunOptionsState, pid: number) {
  return {
    status: 'running',
    phase: 'fan-out',
    pid,
    finishedAt: null,
    landed: false,
    options,
    conflicts: [],
    notes: [],
    error: null,
    agentWallMs: null,
    agentTimeMs: null,
    wallMs: null,
  } satisfies Partial<RunState>;
}

/** Atomic: a reader sees the old file or the new one, never half of one. */
export function writeState(path: string, state: RunState): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(temp, path);
}

export function readState(path: string): RunState | undefined {
  const read = readStateFile(path);
  return 'state' in read ? read.state : undefined;
}

/** The state, or why it cannot be used (missing, not JSON, not a run state): status and resume say which. */
export function readStateFile(path: string): { state: RunState } | { problem: string } {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return { problem: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'state.json is missing' : `state.json cannot be read (${(error as Error).message})` };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'state.json is not valid JSON' };
  }
  // Enough of the shape that status, resume and cleanup can read it without crashing.
  const v = value as Partial<RunState> | null;
  const ok =
    typeof v === 'object' && v !== null && !Array.isArray(v) && v.version === 1 && typeof v.runId === 'string' && typeof v.status === 'string' && typeof v.base === 'string' &&
    Array.isArray(v.batches) && v.batches.every((b) => typeof b === 'object' && b !== null && typeof b.id === 'string' && typeof b.branch === 'string' && typeof b.status === 'string' && Array.isArray(b.files));
  return ok ? { state: v as RunState } : { problem: 'state.json is not a fanout run state (a field is missing or has the wrong type)' };
}

/** Every run with a readable state, oldest first (run ids sort by time). */
export function listStates(runsDir: string): RunState[] {
  return scanStates(runsDir).states;
}

/** Every run directory: the readable states, and the ones whose state cannot be used, with why. */
export function scanStates(runsDir: string): { states: RunState[]; unreadable: Array<{ runId: string; file: string; problem: string }> } {
  let names: string[];
  try {
    names = readdirSync(runsDir).sort();
  } catch {
    return { states: [], unreadable: [] };
  }
  const states: RunState[] = [];
  const unreadable: Array<{ runId: string; file: string; problem: string }> = [];
  for (const name of names) {
    const file = join(runsDir, name, 'state.json');
    const read = readStateFile(file);
    if ('state' in read) states.push(read.state);
    else unreadable.push({ runId: name, file, problem: read.problem });
  }
  return { states, unreadable };
}
