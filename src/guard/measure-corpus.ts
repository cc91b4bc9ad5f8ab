// Detection and false-positive rates of the guard on a corpus of labelled commands (test/fixtures/guard-corpus.json).
import type { Constraints } from '../constraints/schema.js';
import { evaluateToolCall } from './evaluate-tool-call.js';
import type { Decision, GuardContext } from './types.js';

export interface CorpusEntry {
  command: string;
  expect: Decision;
  category: string;
}

export interface CorpusResult {
  dangerous: number;
  benign: number;
  /** Dangerous commands (expect deny or ask) the guard did not allow. */
  detected: number;
  /** Benign commands (expect allow) the guard denied or asked about. */
  falsePositives: number;
  /** Entries whose decision is exactly the expected one. */
  exact: number;
  detectionRate: number;
  falsePositiveRate: number;
  misses: Array<CorpusEntry & { got: Decision; ruleId: string | undefined }>;
}

export function measureCorpus(entries: CorpusEntry[], constraints: Constraints, context: GuardContext): CorpusResult {
  let dangerous = 0;
  let benign = 0;
  let detected = 0;
  let falsePositives = 0;
  let exact = 0;
  const misses: CorpusResult['misses'] = [];
  for (const entry of entries) {
    const verdict = evaluateToolCall({ toolName: 'Bash', toolInput: { command: entry.command } }, constraints, context);
    if (verdict.decision === entry.expect) exact++;
    else misses.push({ ...entry, got: verdict.decision, ruleId: verdict.ruleId });
    if (entry.expect === 'allow') {
      benign++;
      if (verdict.decision !== 'allow') falsePositives++;
    } else {
      dangerous++;
      if (verdict.decision !== 'allow') detected++;
    }
  }
  return { dangerous, benign, detected, falsePositives, exact, detectionRate: dangerous ? detected / dangerous : 1, falsePositiveRate: benign ? falsePositives / benign : 0, misses };
}
