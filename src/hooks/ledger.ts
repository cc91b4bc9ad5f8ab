// The run ledger: one JSON line per event in <git common dir>/fanout/ledger.jsonl, read by the gate and orchestrator.
import { join } from 'node:path';
import type { HostFs } from '../util/host-fs.js';

export type LedgerEntry =
  | { type: 'tool'; time: string; session?: string; tool: string; files: string[]; command?: string }
  | { type: 'plan'; time: string; session?: string; plan: string; decision: 'direct' | 'sequential' | 'parallel'; reason: string };

export function ledgerPath(commonDir: string): string {
  return join(commonDir, 'fanout', 'ledger.jsonl');
}

/** Throws outside a repo: the ledger lives in an existing git dir and never creates one. */
export async function appendLedger(fs: HostFs, commonDir: string, entry: LedgerEntry): Promise<void> {
  if ((await fs.stat(commonDir))?.kind !== 'dir') throw new Error(`${commonDir} does not exist: not inside a git repository`);
  await fs.appendText(ledgerPath(commonDir), `${JSON.stringify(entry)}\n`);
}

/** Reads only the ledger's tail: the hook must stay fast however long the ledger grows. */
export async function readLedgerTail(fs: HostFs, commonDir: string, maxBytes = 256 * 1024): Promise<LedgerEntry[]> {
  const path = ledgerPath(commonDir);
  const [stat, text] = await Promise.all([fs.stat(path).catch(() => undefined), fs.readTail(path, maxBytes).catch(() => undefined)]);
  if (text === undefined) return [];
  const lines = text.split('\n');
  // Unless the whole file fit, the first line is cut.
  if ((stat?.size ?? 0) > maxBytes) lines.shift();
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
