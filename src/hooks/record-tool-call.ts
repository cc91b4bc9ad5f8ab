// The ledger's record of a tool call the guard let through: which files it will change. Written at PreToolUse,
// so no second hook process runs after the call (the PostToolUse hook that recorded it once cost a node start per call).
import { isAbsolute, relative, sep } from 'node:path';
import { shellWriteTargets, toolFileTargets, type GuardContext } from '../guard/index.js';
import type { HostFs } from '../util/host-fs.js';
import { appendLedger, type LedgerEntry } from './ledger.js';

export interface ToolRecord {
  commonDir: string;
  entry: Extract<LedgerEntry, { type: 'tool' }>;
}

/** Files a tool call changes, as absolute paths, read the way the guard reads them. */
export function touchedFiles(toolName: string, toolInput: Record<string, unknown>, context: GuardContext): string[] {
  if (toolName === 'Bash') {
    const command = toolInput['command'];
    return typeof command === 'string' ? shellWriteTargets(command, context).paths : [];
  }
  return toolFileTargets(toolName, toolInput, context);
}

/** The record of a call that changes files; undefined for calls that change none (reads, `git status`): nothing to record. */
export function toolRecord(toolName: string, toolInput: Record<string, unknown>, context: GuardContext, commonDir: string, session: string | undefined, time: Date): ToolRecord | undefined {
  const files = touchedFiles(toolName, toolInput, context);
  if (files.length === 0) return undefined;
  const command = toolName === 'Bash' ? toolInput['command'] : undefined;
  return {
    commonDir,
    entry: {
      type: 'tool',
      time: time.toISOString(),
      ...(session === undefined ? {} : { session }),
      tool: toolName,
      files: files.map((file) => relativeOrAbsolute(context.repoRoot, file)),
      ...(typeof command === 'string' ? { command: command.length > 500 ? `${command.slice(0, 500)}…` : command } : {}),
    },
  };
}

/** The ledger is a record, not a gate: no writable git dir (not a repo, read-only) only loses the record. */
export async function recordToolCall(fs: HostFs, record: ToolRecord): Promise<void> {
  await appendLedger(fs, record.commonDir, record.entry).catch(() => undefined);
}

function relativeOrAbsolute(root: string, file: string): string {
  const rel = relative(root, file);
  return rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel) ? file : rel.split(sep).join('/');
}
