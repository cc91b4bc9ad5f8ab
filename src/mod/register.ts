// fanout's guard in-process: where Claude Code loads a plugin's hooks module (function hooks, early access), this
// module judges every tool call fanout's command hook would, with the same code (src/hooks/pre-tool-use.ts over
// `$.fs`), and no process starts. It never fails open silently:
// - a call it denies never reaches the command hooks; a call it lets through is named in the marker file, so the
//   plugin's PreToolUse command hook exits at once (src/mod/pre-tool-use.sh) instead of starting node;
// - a call it would ask about, or report, it leaves to that command hook, which answers in Claude Code's own terms;
// - when anything in it throws, it denies with the reason (and `.catch` covers a hook that times out);
// - at session start it checks that it can read the constraints and that the guard answers as it must; if not, it
//   says so and leaves every call to the command hook, which runs the guard in node, fail closed.
import { TOOL_MATCHER } from '../install/wiring.js';
import type { Env } from '../constraints/find-repo.js';
import { evaluateToolCall } from '../guard/index.js';
import { defaultConstraints } from '../constraints/resolve-constraints.js';
import type { HookInput } from '../hooks/io.js';
import { loadConstraintsCached, newConstraintsMemory, type ConstraintsCache } from '../hooks/load-constraints.js';
import { judgePreToolUse } from '../hooks/pre-tool-use.js';
import { recordToolCall } from '../hooks/record-tool-call.js';
import { isMarkableId, judgedMarkerPath, nextJudged } from '../hooks/judged-marker.js';
import type { ModApi, On, ToolCallEvent } from './mod-api.js';
import { modFs } from './mod-fs.js';

/** What a session gives the module once: the environment the command hook would see, and where the marker goes. */
interface SessionFacts {
  sessionId: string;
  env: Env;
  home: string;
  /** undefined: no plugin data dir or an odd session id, so every call the module allows is judged again in node. */
  marker: string | undefined;
  /** Why the module leaves every call to the command hook; undefined while it judges. */
  standDown: string | undefined;
  /** CLAUDE_PID: the Claude Code process the module runs in. */
  pid: number | undefined;
}

/** Keys of a `tool.call` event that are not the tool's input. */
const EVENT_KEYS = new Set(['tool', 'tool_use_id', 'agentId', 'consent', 'mcp_server']);

const TOOLS = new RegExp(TOOL_MATCHER);

const cache: ConstraintsCache = { disk: false, memory: newConstraintsMemory() };
let facts: Promise<SessionFacts> | undefined;
let judged: string[] = [];

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function learnSession($: ModApi): Promise<SessionFacts> {
  const hookEnv = await $.process.hookEnv();
  const sessionId = hookEnv['CLAUDE_CODE_SESSION_ID'] ?? (await $.session.id());
  const [home, tmpdir, scope, faults] = await Promise.all([$.env.get('HOME'), $.env.get('TMPDIR'), $.env.get('FANOUT_SCOPE_FILE'), $.env.get('FANOUT_MODULE_FAULTS')]);
  const env: Env = { ...hookEnv, HOME: home, TMPDIR: tmpdir, FANOUT_SCOPE_FILE: scope, FANOUT_MODULE_FAULTS: faults };
  const data = hookEnv['CLAUDE_PLUGIN_DATA'];
  const marker = data && data.startsWith('/') && isMarkableId(sessionId) ? judgedMarkerPath(data, sessionId) : undefined;
  const pid = Number(hookEnv['CLAUDE_PID']);
  return { sessionId, env, home: home ?? '/', marker, standDown: undefined, pid: Number.isInteger(pid) && pid > 1 ? pid : undefined };
}

/** The guard must deny and allow these as it does in node; a runtime where it does not is not trusted to judge. */
function selfTest(): string | undefined {
  const context = { cwd: '/fanout-self-test/repo', projectDir: '/fanout-self-test/repo', repoRoot: '/fanout-self-test/repo', gitDir: '/fanout-self-test/repo/.git', home: '/fanout-self-test/home' };
  const constraints = defaultConstraints({ repoRoot: context.repoRoot });
  const judge = (command: string) => evaluateToolCall({ toolName: 'Bash', toolInput: { command } }, constraints, context).decision;
  if (judge('rm -rf ~/projects') !== 'deny') return '`rm -rf ~/projects` was not denied';
  if (judge('git status && ls src') !== 'allow') return '`git status && ls src` was not allowed';
  return undefined;
}

async function startSession($: ModApi, cwd: string): Promise<SessionFacts> {
  const session = await learnSession($);
  const broken = selfTest();
  if (broken) return { ...session, standDown: `its self-test failed: ${broken}` };
  const loaded = await loadConstraintsCached(cwd, session.env, modFs($, session.pid), cache);
  if ('error' in loaded) $.ui.log(`fanout: ${loaded.file} is invalid, so every tool call is denied until a human fixes it:\n${loaded.error}`);
  return session;
}

/** Names the call in the marker so the plugin's command hook lets it be. A marker that cannot be written costs a node start, nothing else. */
async function markJudged($: ModApi, session: SessionFacts, id: string): Promise<void> {
  if (session.marker === undefined || !isMarkableId(id)) return;
  judged = nextJudged(judged, id);
  try {
    await $.fs.write(session.marker, `${judged.join('\n')}\n`);
  } catch (error) {
    $.ui.log(`fanout: could not write ${session.marker} (${messageOf(error)}); the command hook judges the call again`);
  }
}

export function register(on: On): void {
  on('session.start', async ($, e, next) => {
    // Off the session's start-up: the first tool call waits for it instead.
    facts = startSession($, e.cwd).catch((error: unknown) => ({ sessionId: '', env: {}, home: '/', marker: undefined, standDown: `it could not start (${messageOf(error)})`, pid: undefined }));
    void facts.then((session) => {
      if (session.standDown !== undefined) $.ui.log(`fanout: the in-process guard is off because ${session.standDown}; fanout's command hook judges every tool call instead.`);
    });
    return next(e);
  });

  on('tool.call', { tool: TOOLS }, async ($, e, next) => {
    let verdict: { deny: string } | 'pass';
    try {
      verdict = await judgeInProcess($, e);
    } catch (error) {
      return { deny: failedDeny(e, messageOf(error)) };
    }
    return verdict === 'pass' ? next(e) : verdict;
  }).catch(async ($, e, next) => ({ deny: failedDeny(e, next.error?.kind ?? 'an unknown failure') }));
}

/** `{ deny }`, or 'pass': on to the command hooks, which let a call named in the marker be and judge any other. */
async function judgeInProcess($: ModApi, e: ToolCallEvent): Promise<{ deny: string } | 'pass'> {
  // session.start may not have run in this worker (a reload): learn the session now.
  facts ??= startSession($, await $.session.cwd());
  const session = await facts;
  if (session.standDown !== undefined) return 'pass';
  await injectedFault(session, e);
  const toolInput = Object.fromEntries(Object.entries(e).filter(([key]) => !EVENT_KEYS.has(key)));
  const cwd = await $.session.cwd();
  // A subagent's call carries its agentId: the hook input's agent_id (the parallel-writers rule tells agents apart by it).
  const input: HookInput = { hook_event_name: 'PreToolUse', session_id: session.sessionId, cwd, tool_name: e.tool, tool_input: toolInput, ...(e.agentId ? { agent_id: e.agentId } : {}) };
  const fs = modFs($, session.pid);
  const answer = await judgePreToolUse(input, { env: session.env, fs, fallbackCwd: cwd, fallbackHome: session.home, scopeFile: session.env['FANOUT_SCOPE_FILE'] || undefined, cache });
  if (answer.decision === 'deny') return { deny: answer.reason };
  // An ask, or a report for the model: the command hook gives them in Claude Code's own terms (a permission prompt, context).
  if (answer.decision === 'ask' || answer.context !== undefined) return 'pass';
  if (answer.record) void recordToolCall(fs, answer.record);
  await markJudged($, session, e.tool_use_id);
  return 'pass';
}

/** Test-only faults, off unless FANOUT_MODULE_FAULTS=1: the e2e tests prove that a throwing or a hung guard denies. */
async function injectedFault(session: SessionFacts, e: ToolCallEvent): Promise<void> {
  const command = e['command'];
  if (session.env['FANOUT_MODULE_FAULTS'] !== '1' || typeof command !== 'string') return;
  if (command.includes('fanout-fault-throw')) throw new Error('a fault injected by FANOUT_MODULE_FAULTS');
  if (command.includes('fanout-fault-hang')) await new Promise<never>(() => undefined);
}

function failedDeny(e: ToolCallEvent, why: string): string {
  return `[fanout:guard-failed] fanout's in-process guard failed on this ${e.tool} call (${why}), so it blocks the call to stay safe. Retry once; if it fails again, tell the user: \`fanout doctor\` and the Claude Code debug log say more.`;
}
