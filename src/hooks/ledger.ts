// The run ledger: one JSON line per event in <git common dir>/fanout/ledger.jsonl, read by the gate and orchestrator.
import { appendFileSync, closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';

export type LedgerEntry =
  | { type: 'tool'; time: string; session?: string; tool: string; files: string[]; command?: string }
  | { type: 'plan'; time: string; session?: string; plan: string; decision: 'direct' | 'sequential' | 'parallel'; reason: string };

export function ledgerPath(commonDir: string): string {
  return join(commonDir, 'fanout', 'ledger.jsonl');
}

/** Throws outside a repo: the ledger lives in an existing git dir and never creates one. */
export function appendLedger(commonDir: string, entry: LedgerEntry): void {
  if (!existsSync(commonDir)) throw new Error(`${commonDir} does not exist: not inside a git repository`);
  mkdirSync(join(commonDir, 'fanout'), { recursive: true });
  appendFileSync(ledgerPath(commonDir), `${JSON.stringify(entry)}\n`);
}

/** Reads only the ledger's tail: the hook must stay fast however long the ledger grows. */
export function readLedgerTail(commonDir: string, maxBytes = 256 * 1024): LedgerEntry[] {
  let fd: number;
  try {
    fd = openSync(ledgerPath(commonDir), 'r');
  } catch {
    return [];
  }
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - maxBytes);
    const buffer = Buffer.alloc(size - start);
    readSync(fd, buffer, 0, buffer.length, start);
    const lines = buffer.toString('utf8').split('\n');
    if (start > 0) lines.shift();
    const entries: LedgerEntry[] = [];
    for (const line of lines) {
      if (!line) continue;
      try {
        entries.push(JSON.parse(line) as LedgerEntry);
      } catch {
        // A torn line from a concurrent writer: skip it.
      }
    }
    return entries;
  } finally {
    closeSync(fd);
  }
}

/** The last plan the session sized; without a session id, the last plan sized in this repo. */
export function activePlan(entries: LedgerEntry[], session: string | undefined): Extract<LedgerEntry, { type: 'plan' }> | undefined {
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (entry?.type !== 'plan') continue;
    if (session === undefined || entry.session === undefined || entry.session === session) return entry;
  }
  return undefined;
}
