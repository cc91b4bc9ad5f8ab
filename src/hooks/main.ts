// The hook protocol for every event: `node hook.mjs <event> [--scope FILE]`, JSON on stdin, decision on stdout.
import { parseHookInput, preToolUseDecision, readHookInput, blockPrompt, type HookInput } from './io.js';
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
 * (malformed input or an internal error denies/blocks with the reason); post-tool-use, session-start and the
 * subagent events only record and inform, so they report on stderr and exit 1 (non-blocking). A SubagentStop that
 * blocked would keep the subagent running; one that fails leaves its writer claim to expire (fail closed).
 */
export async function runHook(argv: string[], raw: string | undefined, env: NodeJS.ProcessEnv): Promise<HookResult> {
  const [event, ...rest] = argv;
  let scopeFile: string | undefined;
  for (let i = 0; i < rest.length; i++) {
    if (rest[i] === '--scope' && rest[i + 1] !== undefined) scopeFile = rest[++i];
    else return { stdout: '', stderr: `fanout hook: unknown option '${rest[i]}'; usage: hook.mjs <event> [--scope FILE]\n`, exitCode: 2 };
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

function dispatch(event: HookEvent, input: HookInput, env: NodeJS.ProcessEnv, scopeFile: string | undefined): Promise<string | undefined> {
  switch (event) {
    case 'pre-tool-use':
      return preToolUse(input, { env, scopeFile });
    case 'post-tool-use':
      return postToolUse(input, env);
    case 'session-start':
      return sessionStart(input, env);
    case 'user-prompt-submit':
    case 'user-prompt-expansion':
      return userPrompt(input, env);
    case 'subagent-start':
      return subagentStart(input, env);
    case 'subagent-stop':
      return subagentStop(input, env);
  }
}
