import { isAbsolute } from 'node:path';
import type { Env } from '../constraints/find-repo.js';
import type { HostFs } from '../util/host-fs.js';
import { loadConstraintsCached } from './load-constraints.js';
import type { Constraints } from '../constraints/schema.js';
import { additionalContext, type HookInput } from './io.js';
import { hostTrackingStore } from './host-tracking-store.js';
import { sweepJudgedMarkers } from './judged-marker.js';
import { sessionsRoot, sweepSessions } from './writer-tracking.js';

/** One paragraph a model can act on: what is locked, what needs a human, where the boundary is. */
export function summariseConstraints(constraints: Constraints): string {
  const byLevel = (level: 'block' | 'ask' | 'warn') =>
    constraints.locked.filter((lock) => lock.level === level).map((lock) => lock.path + (lock.except?.length ? ` (except ${lock.except.join(', ')})` : ''));
  const parts = [
    `fanout Phase 0 constraints (${constraints.source === 'defaults' ? 'built-in defaults' : constraints.source}) are enforced before every tool call.`,
    `Project boundary: ${constraints.boundary}; writes and deletions outside it are denied (temp roots ${constraints.tempRoots.join(', ')} excepted), and so is anything inside .git/.`,
  ];
  const block = byLevel('block');
  const ask = byLevel('ask');
  const warn = byLevel('warn');
  if (block.length) parts.push(`Never change: ${block.join(', ')}.`);
  if (ask.length) parts.push(`Changing these needs a human's yes: ${ask.join(', ')}.`);
  if (warn.length) parts.push(`Report any change to: ${warn.join(', ')}.`);
  if (constraints.stopTriggers.length) {
    parts.push(`Stop and ask before: ${constraints.stopTriggers.map((t) => (t.command ? `${t.id} (${t.command})` : t.write ? `${t.id} (writing ${t.write})` : t.id)).join(', ')}.`);
  }
  const ports = Object.entries(constraints.ports);
  if (ports.length) parts.push(`Locked ports: ${ports.map(([port, service]) => `${port} → ${service}`).join(', ')}; do not bind them to anything else.`);
  parts.push(
    `Work is sized before it fans out: ≤${constraints.gate.directMax} files build directly, ≤${constraints.gate.sequentialMax} files use one agent, more files in 2+ independent parts may use /orchestrate with a plan.`,
  );
  if (constraints.gate.parallelWriters !== 'allow') {
    parts.push(
      'Subagents run in the background and share this checkout: any number may read, but while one subagent changes files here, other subagents and this session may not (parallel-writers); give all the writing to one agent, or plan parallel work and /orchestrate it.',
    );
  }
  parts.push(
    'Destructive shell commands (rm outside the repo, git reset --hard, force pushes, curl | sh, disk tools) are denied; the denial says the safer alternative.',
  );
  return parts.join(' ');
}

export async function sessionStart(input: HookInput, env: Env, fs: HostFs, fallbackCwd: string): Promise<string> {
  const cwd = typeof input.cwd === 'string' && isAbsolute(input.cwd) ? input.cwd : fallbackCwd;
  const loaded = await loadConstraintsCached(cwd, env, fs);
  const pluginData = env['CLAUDE_PLUGIN_DATA'];
  if (input['source'] === 'startup' && pluginData && isAbsolute(pluginData)) {
    // Housekeeping only: a later start sweeps what this one could not.
    await sweepJudgedMarkers(fs, pluginData, { keep: typeof input.session_id === 'string' ? input.session_id : undefined, now: Date.now() }).catch(() => 0);
  }
  if (input['source'] === 'startup' && loaded.inRepo) {
    try {
      await sweepSessions(hostTrackingStore(fs), sessionsRoot(loaded.commonDir), { keep: typeof input.session_id === 'string' ? input.session_id : undefined, now: Date.now() });
    } catch {
      // Housekeeping only: old session records are swept at a later start.
    }
  }
  if ('error' in loaded) {
    return additionalContext(
      'SessionStart',
      `fanout: the constraints file is invalid, so every tool call will be denied until a human fixes it:\n${loaded.error}\nTell the user; do not try to work around it.`,
    );
  }
  const { constraints } = loaded;
  const prose = constraints.prose ? `\n\nConstraints (${constraints.source}):\n${constraints.prose}` : '';
  return additionalContext('SessionStart', `${summariseConstraints(constraints)}${prose}`);
}
