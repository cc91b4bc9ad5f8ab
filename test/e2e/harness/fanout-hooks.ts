// Wiring fanout's built hook bundle into a test repo the way an installed repo wires it.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { FANOUT_ROOT } from './run-claude.js';

/** The built hook; FANOUT_E2E_HOOK points the e2e tests at another build (e.g. an installed copy). */
export const HOOK_BUNDLE = process.env['FANOUT_E2E_HOOK'] || join(FANOUT_ROOT, 'dist', 'hook.cjs');

/** Claude Code event name → fanout hook event argument. */
export const FANOUT_EVENTS = {
  PreToolUse: 'pre-tool-use',
  SessionStart: 'session-start',
  UserPromptSubmit: 'user-prompt-submit',
  UserPromptExpansion: 'user-prompt-expansion',
} as const;

export type ClaudeHookEvent = keyof typeof FANOUT_EVENTS;

const TOOL_EVENTS: ReadonlySet<ClaudeHookEvent> = new Set(['PreToolUse']);

export function hookCommand(event: ClaudeHookEvent): string {
  return `node ${JSON.stringify(HOOK_BUNDLE)} ${FANOUT_EVENTS[event]}`;
}

/** `.claude/settings.json` content running dist/hook.cjs on the given events (matcher "*", timeout 10 s, fail closed). */
export function fanoutSettings(events: ClaudeHookEvent[]): { hooks: Record<string, unknown[]> } {
  const hooks: Record<string, unknown[]> = {};
  for (const event of events) {
    const entry = { type: 'command', command: hookCommand(event), timeout: 10, onFailure: 'block' };
    hooks[event] = [TOOL_EVENTS.has(event) ? { matcher: '*', hooks: [entry] } : { hooks: [entry] }];
  }
  return { hooks };
}

/** Fails with what to do when the bundle has not been built (npm test builds it first). */
export function requireHookBundle(): void {
  if (!existsSync(HOOK_BUNDLE)) throw new Error(`${HOOK_BUNDLE} is missing: run \`node scripts/build.mjs\` (npm test does) before the e2e tests`);
}
