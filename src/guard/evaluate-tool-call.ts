// The guard's policy for one tool call: gather findings (shell analysis, file targets, ports, the worktree-subagent gate)
// and decide deny > ask > allow. Write content is data: it is never read as shell.
import { posix } from 'node:path';
import type { Constraints } from '../constraints/schema.js';
import { Analysis, analyzeShell } from './analyze-command.js';
import { lockedPortBindings, portMessage } from './judge-ports.js';
import { fileTarget, judgeTargets } from './judge-targets.js';
import type { Finding, GuardContext, ToolCall, Verdict } from './types.js';

const RANK = { deny: 0, ask: 1, warn: 2 } as const;

/** deny > ask > allow; the reason is the most severe finding's message (warn findings never block). */
export function verdictOf(findings: Finding[]): Verdict {
  const blocking = findings.filter((f) => f.severity !== 'warn').sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  const warnings = findings.filter((f) => f.severity === 'warn');
  const top = blocking[0];
  if (!top) return { decision: 'allow', findings: [], warnings };
  const others = [...new Set(blocking.map((f) => f.ruleId))].filter((id) => id !== top.ruleId);
  const reason = others.length > 0 ? `${top.message} (Also flagged: ${others.join(', ')}.)` : top.message;
  return { decision: top.severity === 'deny' ? 'deny' : 'ask', ruleId: top.ruleId, reason, findings: blocking, warnings };
}

function malformed(tool: string, what: string): Verdict {
  return verdictOf([{ ruleId: 'malformed-input', severity: 'deny', message: `the ${tool} call has ${what}; fanout blocks what it cannot inspect. Retry the tool call with a valid input.`, segment: tool }]);
}

function absolute(path: string, context: GuardContext): string {
  // `~` and `~user` are read the way a shell would: a tool that expands them must not slip past the home-dir check.
  const user = /^~([a-z_][a-z0-9_.-]*)(?=\/|$)/i.exec(path);
  const expanded = path === '~' || path.startsWith('~/') ? context.home + path.slice(1) : user ? posix.join(posix.dirname(context.home), user[1] as string) + path.slice(user[0].length) : path;
  return posix.resolve(context.cwd, expanded);
}

/** New text a file tool puts into the file, for the port check. */
function newContent(toolName: string, input: Record<string, unknown>): string {
  const text = (value: unknown): string => (typeof value === 'string' ? value : Array.isArray(value) ? value.filter((v) => typeof v === 'string').join('\n') : '');
  switch (toolName) {
    case 'Write':
      return text(input['content']);
    case 'Edit':
      return text(input['new_string']);
    case 'MultiEdit':
      return Array.isArray(input['edits']) ? input['edits'].map((e) => (e && typeof e === 'object' ? text((e as Record<string, unknown>)['new_string']) : '')).join('\n') : '';
    case 'NotebookEdit':
      return text(input['new_source']);
    default:
      return text(input['content']) || text(input['new_string']) || text(input['text']);
  }
}

interface FileOp {
  op: 'write' | 'delete';
  path: string;
  recursive?: boolean;
}

function judgeFiles(toolName: string, ops: FileOp[], content: string, constraints: Constraints, context: GuardContext): Verdict {
  const an = new Analysis(constraints, context);
  for (const { op, path, recursive } of ops) {
    const target = fileTarget(absolute(path, context), op, toolName);
    target.recursive = recursive === true;
    an.target(target);
  }
  judgeTargets(an);
  if (content !== '') {
    for (const { op, path } of ops) {
      if (op !== 'write') continue;
      const abs = absolute(path, context);
      const rel = abs.startsWith(`${context.repoRoot}/`) ? abs.slice(context.repoRoot.length + 1) : abs;
      for (const binding of lockedPortBindings(content, rel, constraints.ports)) {
        an.add('port-locked', 'ask', portMessage(binding, `${toolName} ${rel}`), abs);
      }
    }
  }
  return verdictOf(an.findings);
}

const PATH_KEYS = ['file_path', 'notebook_path', 'path', 'filePath', 'target', 'dest', 'destination', 'new_path', 'newPath', 'to'];
const SOURCE_KEYS = ['source', 'src', 'from', 'old_path', 'oldPath'];
const WRITE_ISH = /write|edit|create|delete|remove|unlink|move|rename|patch|append|put|upload|save|mkdir|insert|replace|update|overwrite|copy/i;

/** MCP tools: a write-ish name and a known path key make it a file write (or delete, or move). */
function mcpFileOps(toolName: string, input: Record<string, unknown>): FileOp[] {
  const verb = toolName.split('__').pop() ?? toolName;
  if (!WRITE_ISH.test(verb)) return [];
  const strings = (keys: string[]): string[] => keys.flatMap((k) => (typeof input[k] === 'string' && input[k] !== '' ? [input[k] as string] : []));
  const paths = strings(PATH_KEYS);
  const sources = strings(SOURCE_KEYS);
  if (/delete|remove|unlink/i.test(verb)) return [...paths, ...sources].map((path) => ({ op: 'delete' as const, path, recursive: /dir|folder|recursive/i.test(verb) || input['recursive'] === true }));
  if (/move|rename/i.test(verb)) return [...sources.map((path) => ({ op: 'delete' as const, path })), ...paths.map((path) => ({ op: 'write' as const, path }))];
  return paths.map((path) => ({ op: 'write' as const, path }));
}

function mcpTool(toolName: string, input: Record<string, unknown>, constraints: Constraints, context: GuardContext): Verdict {
  const ops = mcpFileOps(toolName, input);
  if (ops.length === 0) return verdictOf([]);
  return judgeFiles(toolName, ops, newContent(toolName, input), constraints, context);
}

/**
 * Absolute paths a file tool call (Write, Edit, MultiEdit, NotebookEdit, a write-ish MCP tool) writes or
 * deletes, resolved as the guard resolves them; the hooks' scope check and ledger use the same answer.
 */
export function toolFileTargets(toolName: string, input: Record<string, unknown>, context: GuardContext): string[] {
  const key = toolName === 'NotebookEdit' ? 'notebook_path' : 'file_path';
  const ops = FILE_TOOLS.has(toolName) ? (typeof input[key] === 'string' && input[key] !== '' ? [{ op: 'write' as const, path: input[key] as string }] : []) : toolName.startsWith('mcp__') ? mcpFileOps(toolName, input) : [];
  return ops.map(({ path }) => absolute(path, context));
}

const FILE_TOOLS = new Set(['Write', 'Edit', 'MultiEdit', 'NotebookEdit']);

/**
 * Agent/Task: a subagent in its own worktree is parallel work the gate must have sized. Background is not gated at
 * spawn: this CLI runs every subagent in the background unless told otherwise, scouts that only read are free, and a
 * writer beside another writer is caught at its write (parallel-writers).
 */
function agentTool(toolName: string, input: Record<string, unknown>, constraints: Constraints, context: GuardContext): Verdict {
  if (input['isolation'] !== 'worktree') return verdictOf([]);
  const policy = constraints.gate.subagentWorktree;
  if (policy === 'allow' || context.activePlanDecision?.() === 'parallel') return verdictOf([]);
  const message = `this ${toolName} call starts a subagent in its own git worktree (isolation: "worktree"), but no plan sized for parallel work is active in this session, so the complexity gate never ran. Size the work first: write a plan and run \`fanout plan <file>\`; a parallel plan runs with \`/orchestrate <plan>\`. For small work, do it here, or run the subagent without isolation.`;
  return verdictOf([{ ruleId: 'subagent-worktree-gate', severity: policy, message, segment: toolName }]);
}

/**
 * Skill: the model can run /orchestrate itself through the Skill tool, and then no prompt hook fires;
 * a plan file named there is sized here, as `fanout orchestrate <plan>` would be.
 */
function skillTool(input: Record<string, unknown>, context: GuardContext): Verdict {
  const skill = input['skill'];
  if (typeof skill !== 'string' || !/^(?:fanout:)?orchestrate$/.test(skill.trim().replace(/^\//, ''))) return verdictOf([]);
  const words = typeof input['args'] === 'string' ? input['args'].trim().split(/\s+/) : [];
  const plan = words.find((word) => /\.(?:md|markdown)$/i.test(word));
  if (plan === undefined) return verdictOf([]);
  const sizing = context.sizePlan?.(plan, context.cwd);
  if (sizing === undefined) return verdictOf([]);
  const segment = `/${skill} ${words.join(' ')}`;
  if ('error' in sizing) {
    return verdictOf([{ ruleId: 'gate-invalid-plan', severity: 'deny', message: `/${skill} ${plan}: the plan cannot be sized: ${sizing.error}. Fix the plan (\`fanout plan ${plan}\` shows every issue), then orchestrate it.`, segment }]);
  }
  if (sizing.decision === 'parallel') return verdictOf([]);
  if (words.includes('--force')) {
    return verdictOf([{ ruleId: 'gate-forced', severity: 'ask', message: `/${skill} --force skips the complexity gate, which sized ${plan} as ${sizing.decision}: ${sizing.reason}. A human should confirm running parallel agents anyway.`, segment }]);
  }
  return verdictOf([
    { ruleId: 'gate-small-plan', severity: 'deny', message: `the complexity gate sized ${plan} as ${sizing.decision}, not parallel: ${sizing.reason}. ${sizing.recommendation} /orchestrate is for plans that need parallel agents.`, segment },
  ]);
}

export function evaluateToolCall(call: ToolCall, constraints: Constraints, context: GuardContext): Verdict {
  const { toolName, toolInput } = call;
  if (toolInput === null || typeof toolInput !== 'object' || Array.isArray(toolInput)) return malformed(toolName, 'no tool_input object');
  const input = toolInput as Record<string, unknown>;
  switch (toolName) {
    case 'Bash': {
      const command = input['command'];
      if (typeof command !== 'string') return malformed(toolName, 'no command string');
      // The shell never sees a NUL: execve cuts the command there, so what runs is not what would be analysed.
      if (command.includes('\u0000')) return malformed(toolName, 'a command containing a NUL byte');
      return verdictOf(analyzeShell(command, constraints, context).findings);
    }
    case 'Write':
    case 'Edit':
    case 'MultiEdit':
    case 'NotebookEdit': {
      const key = toolName === 'NotebookEdit' ? 'notebook_path' : 'file_path';
      const path = input[key];
      if (typeof path !== 'string' || path === '') return malformed(toolName, `no ${key}`);
      return judgeFiles(toolName, [{ op: 'write', path }], newContent(toolName, input), constraints, context);
    }
    case 'Agent':
    case 'Task':
      return agentTool(toolName, input, constraints, context);
    case 'Skill':
      return skillTool(input, context);
    default:
      return toolName.startsWith('mcp__') ? mcpTool(toolName, input, constraints, context) : verdictOf([]);
  }
}
