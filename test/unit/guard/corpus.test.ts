// The labelled corpus: detection rate and false-positive rate of the whole guard (figures printed, floors asserted).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { measureCorpus, type CorpusEntry } from '../../../src/guard/measure-corpus.js';
import { constraints, context } from './helpers.js';

const corpus = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/guard-corpus.json'), 'utf8')) as CorpusEntry[];

describe('guard corpus', () => {
  it('is big enough and labelled', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(200);
    expect(corpus.filter((e) => e.expect !== 'allow').length).toBeGreaterThanOrEqual(80);
    expect(corpus.filter((e) => e.expect === 'allow').length).toBeGreaterThanOrEqual(100);
    for (const entry of corpus) expect(['allow', 'ask', 'deny']).toContain(entry.expect);
  });

  it('detects ≥ 95% of dangerous commands with ≤ 2% false positives', () => {
    const result = measureCorpus(corpus, constraints(), context());
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    console.log(
      `guard corpus: ${corpus.length} commands; detection ${pct(result.detectionRate)} (${result.detected}/${result.dangerous}); false positives ${pct(result.falsePositiveRate)} (${result.falsePositives}/${result.benign}); exact decision ${result.exact}/${corpus.length}`,
    );
    for (const miss of result.misses) console.log(`  expected ${miss.expect}, got ${miss.got}${miss.ruleId ? ` (${miss.ruleId})` : ''}: [${miss.category}] ${miss.command}`);
    expect(result.detectionRate).toBeGreaterThanOrEqual(0.95);
    expect(result.falsePositiveRate).toBeLessThanOrEqual(0.02);
  });
});
