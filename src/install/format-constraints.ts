// The active constraints as text for people (`fanout doctor --constraints`, /constraints): the rules and their source.
import type { Constraints } from '../constraints/schema.js';

export function formatConstraints(constraints: Constraints): string {
  const lines: string[] = [];
  lines.push(constraints.source === 'defaults' ? 'Source: built-in defaults (this repo has no .claude/constraints.md)' : `Source: ${constraints.source}`);
  lines.push('', 'Locked files (block: never changed; ask: a human says yes first; warn: allowed, reported):');
  if (constraints.locked.length === 0) lines.push('  (none)');
  for (const lock of constraints.locked) {
    const except = lock.except?.length ? ` (except ${lock.except.join(', ')})` : '';
    lines.push(`  ${lock.level.padEnd(5)}  ${lock.path}${except}: ${lock.reason}`);
  }
  lines.push('', "Stop triggers (need a human's yes):");
  if (constraints.stopTriggers.length === 0) lines.push('  (none)');
  for (const trigger of constraints.stopTriggers) {
    const match = trigger.command ? ` [command: ${trigger.command}]` : trigger.write ? ` [writes: ${trigger.write}]` : '';
    lines.push(`  ${trigger.id}${match}${trigger.reason ? `: ${trigger.reason}` : ''}`);
  }
  lines.push('', `Boundary: ${constraints.boundary} (writes and deletions outside it are denied; temp roots: ${constraints.tempRoots.join(', ')})`);
  const ports = Object.entries(constraints.ports);
  lines.push(`Locked ports: ${ports.length === 0 ? '(none)' : ports.map(([port, service]) => `${port} → ${service}`).join(', ')}`);
  const { gate } = constraints;
  lines.push(
    `Complexity gate: ≤${gate.directMax} files → build directly; ≤${gate.sequentialMax} → one agent; more, in 2+ independent parts → parallel (at most ${gate.maxAgents} agents); worktree subagents outside a parallel plan: ${gate.subagentWorktree}; a second writer beside a writing subagent: ${gate.parallelWriters}`,
  );
  const orchestrate = Object.entries(constraints.orchestrate).filter(([, value]) => value !== undefined);
  if (orchestrate.length > 0) lines.push(`Orchestrate defaults: ${orchestrate.map(([key, value]) => `${key} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`).join(', ')}`);
  const prose = constraints.prose.split('\n').filter((line) => line.trim() !== '').length;
  lines.push('', prose === 0 ? 'No prose (nothing extra is loaded into sessions).' : `Prose: ${prose} lines below the front matter, loaded into every session.`);
  return lines.join('\n');
}
