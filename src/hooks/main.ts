// The hook protocol for every event: `node hook.cjs <event> [--scope FILE]`, JSON on stdin, decision on stdout.
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import type { Env } from '../constraints/find-repo.js';
import { nodeFs } from '../util/node-fs.js';
import { parseHookInput, preToolUseDecision, blockPrompt, type HookInput, type ReadInputResult } from './io.js';
import { postToolUse } from './post-tool-use.js';
import { preToolUse } from './pre-tool-use.js';
import { sessionStart } from './session-start.js';
import { subagentStart, subagentStop } from './subagent-events.js';
import { userPrompt } from './user-prompt.js';

export const HOOK_EVENTS = ['pre-tool-use', 'post-tool-use', 'session-start', 'user-prompt-submit', 'user-prompt-expansion', 'subagent-start', 'subagent-stop'] as const;
export type HookEvent = (typeof HOOK_EVENTS)[number];

export interface HookResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * Runs one hook event. Failure policy (tested): pre-tool-use and the prompt hooks fail closed
 * (malformed input or an internal error denies/blocks with the reason); session-start and the subagent events only
 * record and inform, so they report on stderr and exit 1 (non-blocking). A SubagentStop that blocked would keep the
 * subagent running; one that fails leaves its writer claim to expire (fail closed). post-tool-use is kept for
 * settings an older fanout wrote and answers nothing.
 */
export async function runHook(argv: string[], raw: string | undefined, env: Env): Promise<HookResult> {
  const [event, ...rest] = argv;
  let scopeFile: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--scope' && rest[i + 1] !== undefined) scopeFile = rest[++i];
    else return { stdout: '', stderr: `fanout hook: unknown option '${rest[i]}'; usage: hook.cjs <event> [--scope FILE]\n`, exitCode: 2 };
  }
  if (!HOOK_EVENTS.includes(event as HookEvent)) {
    return { stdout: '', stderr: `fanout hook: unknown event '${event ?? ''}'; expected one of ${HOOK_EVENTS.join(', ')}\n`, exitCode: 2 };
  }
  const read = raw === undefined ? readHookInput() : parseHookInput(raw);
  const failClosed = event === 'pre-tool-use' || event === 'user-prompt-submit' || event === 'user-prompt-expansion';
  const refuse = (reason: string): HookResult =>
    event === 'pre-tool-use'
      ? { stdout: `${preToolUseDecision('deny', `[fanout:malformed-input] ${reason}`)}\n`, stderr: '', exitCode: 0 }
      : failClosed
        ? { stdout: `${blockPrompt(`fanout: ${reason}`)}\n`, stderr: '', exitCode: 0 }
        : { stdout: '', stderr: `fanout: ${reason}\n`, exitCode: 1 };
  if (!read.ok) return refuse(read.reason);
  try {
    const output = await dispatch(event as HookEvent, read.input, env, scopeFile);
    return { stdout: output === undefined ? '' : `${output}\n`, stderr: '', exitCode: 0 };
  } catch (error) {
    const detail = error instanceof Error ? (error.stack ?? error.message) : String(error);
    const result = refuse(`the fanout hook failed internally, so it blocks to stay safe; please report this: ${error instanceof Error ? error.message : String(error)}`);
    return { ...result, stderr: `${result.stderr}${detail}\n` };
  }
}

function readHookInput(): ReadInputResult {
  let raw: string;
  try {
    raw = readFileSync(0, 'utf8');
  } catch (error) {
    return { ok: false, reason: `could not read the hook input from stdin (${(error as NodeJS.ErrnoException).code ?? String(error)})` };
  }
  return parseHookInput(raw);
}

function dispatch(event: HookEvent, input: HookInput, env: Env, scopeFile: string | undefined): Promise<string | undefined> {
  const cwd = process.cwd();
  switch (event) {
    case 'pre-tool-use':
      // FANOUT_SCOPE_FILE: the same scope for the hooks module, which takes no arguments (src/mod/register.ts).
      return preToolUse(input, { env, fs: nodeFs, fallbackCwd: cwd, fallbackHome: homedir(), scopeFile: scopeFile ?? (env['FANOUT_SCOPE_FILE'] || undefined) });
    case 'post-tool-use':
      return postToolUse();
    case 'session-start':
      return sessionStart(input, env, nodeFs, cwd);
    case 'user-prompt-submit':
    case 'user-prompt-expansion':
      return userPrompt(input, env, nodeFs, cwd);
    case 'subagent-start':
      return subagentStart(input, env, nodeFs, cwd);
    case 'subagent-stop':
      return subagentStop(input, env, nodeFs, cwd);
  }
}
