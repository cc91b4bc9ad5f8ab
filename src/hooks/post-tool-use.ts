import { homedir } from 'node:os';
import { isAbsolute, relative, sep } from 'node:path';
import { loadConstraintsCached } from './load-constraints.js';
import { lockFor, shellWriteTargets, toolFileTargets } from '../guard/index.js';
import { additionalContext, type HookInput } from './io.js';
import { appendLedger } from './ledger.js';

/** Files the finished tool call changed, as absolute paths. */
export function touchedFiles(toolName: string, toolInput: Record<string, unknown>, cwd: string, repoRoot: string, gitDir: string, home: string): string[] {
  const context = { cwd, projectDir: repoRoot, repoRoot, gitDir, home };
  if (toolName === 'Bash') {
    const command = toolInput['command'];
    return typeof command === 'string' ? shellWriteTargets(command, context).paths : [];
  }
  return toolFileTargets(toolName, toolInput, context);
}

/** Records what changed in the ledger and reports warn-level locked files back to the model. */
export async function postToolUse(input: HookInput, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const toolName = input['tool_name'];
  const toolInput = input['tool_input'];
  if (typeof toolName !== 'string' || toolInput === null || typeof toolInput !== 'object') return undefined;
  const cwd = typeof input.cwd === 'string' && isAbsolute(input.cwd) ? input.cwd : process.cwd();
  const loaded = await loadConstraintsCached(cwd, env);
  const home = env['HOME'] || homedir();
  const files = touchedFiles(toolName, toolInput as Record<string, unknown>, cwd, loaded.repoRoot, loaded.gitDir, home);
  const command = toolName === 'Bash' ? (toolInput as { command?: unknown }).command : undefined;
  try {
    appendLedger(loaded.commonDir, {
      type: 'tool',
      time: new Date().toISOString(),
      ...(typeof input.session_id === 'string' ? { session: input.session_id } : {}),
      tool: toolName,
      files: files.map((file) => relativeOrAbsolute(loaded.repoRoot, file)),
      ...(typeof command === 'string' ? { command: command.length > 500 ? `${command.slice(0, 500)}…` : command } : {}),
    });
  } catch {
    // No writable git dir (not a repo, read-only): the ledger is a record, not a gate.
  }
  if ('error' in loaded || files.length === 0) return undefined;
  const warnings: string[] = [];
  // Only warn-level locks report after the fact; block and ask were decided before the call ran.
  const warnLocks = loaded.constraints.locked.filter((lock) => lock.level === 'warn');
  for (const file of files) {
    const rel = relativeOrAbsolute(loaded.repoRoot, file);
    if (isAbsolute(rel)) continue;
    const lock = lockFor(rel, warnLocks);
    if (lock?.level === 'warn') warnings.push(`${rel} is locked at level warn (${lock.reason}). Tell the user you changed it and why.`);
  }
  return warnings.length === 0 ? undefined : additionalContext('PostToolUse', `fanout: ${warnings.join(' ')}`);
}

function relativeOrAbsolute(root: string, file: string): string {
  const rel = relative(root, file);
  return rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel) ? file : rel.split(sep).join('/');
}
