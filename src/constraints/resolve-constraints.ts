// Fills defaults into validated constraints data. No zod, no YAML: the hook's fast path uses this alone.
import { isAbsolute, resolve } from 'node:path';
import { DEFAULT_GATE, DEFAULT_LOCKED, DEFAULT_STOP_TRIGGERS, DEFAULT_TEMP_ROOTS } from './defaults.js';
import type { Constraints, ConstraintsData } from './schema.js';

export interface ConstraintsContext {
  repoRoot: string;
  /** Path shown in messages and recorded as the source. */
  source: string;
  /** $TMPDIR, if set: always a temp root. */
  tmpdir?: string | undefined;
}

/** Fills every default in: a missing file and an empty front matter give the same constraints. */
export function resolveConstraints(data: ConstraintsData, prose: string, context: ConstraintsContext): Constraints {
  const tempRoots = [...DEFAULT_TEMP_ROOTS, ...(context.tmpdir ? [context.tmpdir] : []), ...(data.temp_roots ?? [])];
  const ports: Record<number, string> = {};
  for (const [port, service] of Object.entries(data.ports ?? {})) ports[Number(port)] = service;
  return {
    locked: data.locked ?? DEFAULT_LOCKED,
    stopTriggers: data.stop_triggers ?? DEFAULT_STOP_TRIGGERS,
    boundary: data.boundary === undefined ? context.repoRoot : isAbsolute(data.boundary) ? data.boundary : resolve(context.repoRoot, data.boundary),
    tempRoots: [...new Set(tempRoots.map((root) => root.replace(/\/+$/, '') || '/'))],
    ports,
    gate: {
      directMax: data.gate?.direct_max ?? DEFAULT_GATE.directMax,
      sequentialMax: data.gate?.sequential_max ?? DEFAULT_GATE.sequentialMax,
      maxAgents: data.gate?.max_agents ?? DEFAULT_GATE.maxAgents,
      subagentWorktree: data.gate?.subagent_worktree ?? DEFAULT_GATE.subagentWorktree,
      parallelWriters: data.gate?.parallel_writers ?? DEFAULT_GATE.parallelWriters,
    },
    orchestrate: data.orchestrate ?? {},
    prose: prose.trim(),
    source: context.source,
  };
}

export function defaultConstraints(context: Omit<ConstraintsContext, 'source'>): Constraints {
  return resolveConstraints({}, '', { ...context, source: 'defaults' });
}

