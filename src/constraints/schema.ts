// The constraints file's front matter (.claude/constraints.md). zod/mini keeps the hook bundle small.
import * as z from 'zod/mini';

export const LockLevelSchema = z.enum(['block', 'ask', 'warn']);
export type LockLevel = z.infer<typeof LockLevelSchema>;

export const LockedPathSchema = z.strictObject({
  /** Repo-relative glob (*, **, ?, [abc], {a,b}; dotfiles match). A pattern without '/' matches the basename anywhere. */
  path: z.string().check(z.minLength(1)),
  level: LockLevelSchema,
  reason: z.string().check(z.minLength(1)),
  /** Globs that are exempt from this lock, e.g. .env.example. */
  except: z.optional(z.array(z.string().check(z.minLength(1)))),
});
export type LockedPath = z.infer<typeof LockedPathSchema>;

export { BUILTIN_TRIGGERS, type BuiltinTrigger } from './triggers.js';

export const StopTriggerSchema = z.strictObject({
  /** A built-in operation id, or a name for a custom trigger. */
  id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are kebab-case: lowercase letters, digits and dashes')),
  /** Custom: words the analysed command starts with, after wrappers are removed; '*' matches one word. */
  command: z.optional(z.string().check(z.minLength(1))),
  /** Custom: a repo-relative glob; a Write/Edit (or shell write) to a matching file triggers. */
  write: z.optional(z.string().check(z.minLength(1))),
  reason: z.optional(z.string()),
});
export type StopTrigger = z.infer<typeof StopTriggerSchema>;

export const GateSchema = z.strictObject({
  /** At most this many files: build directly, no agent. */
  direct_max: z.optional(z.int().check(z.gte(0))),
  /** At most this many files: one agent, sequential. Above: parallel (if the plan has >= 2 components). */
  sequential_max: z.optional(z.int().check(z.gte(1))),
  max_agents: z.optional(z.int().check(z.gte(1), z.lte(64))),
  /** What to do with a subagent asking for isolation: worktree when no qualifying plan is active. */
  subagent_worktree: z.optional(z.enum(['allow', 'ask', 'deny'])),
  /** What to do when a second writer (subagent, or the main session) writes in a checkout a running subagent is writing in. */
  parallel_writers: z.optional(z.enum(['allow', 'ask', 'deny'])),
});

/** How worktrees get the main checkout's installed dependencies and other ignored paths (docs/orchestrate.md). */
export const PROVISION_HOWS = ['auto', 'reflink', 'hardlink', 'copy', 'symlink', 'none'] as const;
export const ProvisionHowSchema = z.enum(PROVISION_HOWS);

export const ProvisionSchema = z.union([
  ProvisionHowSchema,
  z.strictObject({
    how: z.optional(ProvisionHowSchema),
    /** Globs of more git-ignored paths to carry into every worktree. */
    dirs: z.optional(z.array(z.string().check(z.minLength(1)))),
    /** Globs of paths never to carry. */
    skip: z.optional(z.array(z.string().check(z.minLength(1)))),
  }),
]);

export const OrchestrateDefaultsSchema = z.strictObject({
  agent: z.optional(z.string()),
  validate: z.optional(z.string()),
  timeout: z.optional(z.string()),
  concurrency: z.optional(z.int().check(z.gte(1))),
  setup: z.optional(z.string()),
  provision: z.optional(ProvisionSchema),
});

export const ConstraintsDataSchema = z.strictObject({
  version: z.optional(z.literal(1)),
  locked: z.optional(z.array(LockedPathSchema)),
  stop_triggers: z.optional(z.array(StopTriggerSchema)),
  /** Project root, relative to the repo root or absolute. Writes and deletions outside it are denied. */
  boundary: z.optional(z.string().check(z.minLength(1))),
  /** Extra roots where anything goes, besides /tmp, /var/tmp and $TMPDIR. */
  temp_roots: z.optional(z.array(z.string())),
  /** Locked port -> the service that owns it. */
  ports: z.optional(z.record(z.string().check(z.regex(/^\d{1,5}$/, 'ports are numbers from 1 to 65535')), z.string())),
  gate: z.optional(GateSchema),
  orchestrate: z.optional(OrchestrateDefaultsSchema),
});
export type ConstraintsData = z.infer<typeof ConstraintsDataSchema>;

/** Constraints with every default filled in: what the guard, gate and orchestrator read. */
export interface Constraints {
  locked: LockedPath[];
  stopTriggers: StopTrigger[];
  /** Absolute path of the project boundary. */
  boundary: string;
  tempRoots: string[];
  ports: Record<number, string>;
  gate: { directMax: number; sequentialMax: number; maxAgents: number; subagentWorktree: 'allow' | 'ask' | 'deny'; parallelWriters: 'allow' | 'ask' | 'deny' };
  orchestrate: z.infer<typeof OrchestrateDefaultsSchema>;
  /** The prose below the front matter, loaded into the session. */
  prose: string;
  /** Where they came from: the file, or 'defaults' when there is none. */
  source: string;
}
