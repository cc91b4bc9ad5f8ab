// The default agent: Claude Code in print mode, with fanout's guard and a scope hook passed through
// --settings (an uncommitted .claude/settings.json is invisible inside a worktree).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { quoteWord } from './split-words.js';

/** Tools the default agent may use without asking: print mode has nobody to ask. */
export const AGENT_TOOLS = ['Read', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'Bash', 'Glob', 'Grep'];

/** Tool calls the hooks judge (shared/claude-code-spec.md §3.1: a '|' list of exact names). */
export const HOOK_MATCHER = 'Bash|Write|Edit|MultiEdit|NotebookEdit';

/** `claude` on PATH unless FANOUT_CLAUDE_BIN names another binary (tests use node_modules/.bin/claude). */
export function claudeBinary(env: NodeJS.ProcessEnv = process.env): string {
  const bin = env['FANOUT_CLAUDE_BIN'];
  if (!bin) return 'claude';
  // Agents run in their worktrees: a relative path means one from where fanout was started.
  return bin.includes('/') ? resolve(bin) : bin;
}

/** argv of the default agent, without the prompt (the orchestrator appends it last). */
export function defaultAgentArgs(settingsFile: string, env: NodeJS.ProcessEnv = process.env): string[] {
  return [
    claudeBinary(env),
    '-p',
    '--output-format',
    'stream-json',
    '--verbose',
    '--permission-mode',
    'acceptEdits',
    // One comma-separated value: --allowedTools is variadic and would swallow a following positional.
    '--allowedTools',
    AGENT_TOOLS.join(','),
    '--settings',
    settingsFile,
  ];
}

/** Settings that install the guard plus the batch's scope; the pre-tool-use hook fails closed and also records what each call changes. */
export function agentSettings(hookBundle: string, scopeFile: string): Record<string, unknown> {
  // The node running fanout, by absolute path: the agent's PATH may not have one.
  const hook = (event: string, extra: string[] = []) => [process.execPath, hookBundle, event, ...extra].map(quoteWord).join(' ');
  return {
    hooks: {
      PreToolUse: [{ matcher: HOOK_MATCHER, hooks: [{ type: 'command', command: hook('pre-tool-use', ['--scope', scopeFile]), timeout: 30, onFailure: 'block' }] }],
    },
  };
}

/** The package root: the nearest ancestor with package.json named fanout. */
function packageRoot(from: string): string | undefined {
  let dir = from;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'scripts', 'build.mjs'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * A file shipped beside the CLI bundle (dist/hook.cjs, dist/cli.mjs). Running from sources (vitest) there is
 * no bundle beside this module, so the built one in <package root>/dist is used.
 */
export function bundleFile(name: 'hook.cjs' | 'cli.mjs', moduleUrl: string = import.meta.url): string {
  const here = fileURLToPath(moduleUrl);
  const sibling = resolve(dirname(here), name);
  if (here.endsWith('.mjs') && existsSync(sibling)) return sibling;
  const root = packageRoot(dirname(here));
  return root ? join(root, 'dist', name) : sibling;
}
