// The rewrite property on a fixed, seeded sample: every deny/ask/allow command of the corpus, respelled once or twice
// (test/rewrites/rewrite-catalogue.ts), keeps its verdict. The whole product runs in `npm run bench` (guard-rewrites).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CorpusEntry } from '../../../src/guard/measure-corpus.js';
import { FAMILIES, type Machine } from '../../rewrites/rewrite-catalogue.js';
import { formatFigures, measureRewrites, sampleVariants } from '../../rewrites/measure-rewrites.js';
import { constraints, context, HOME, REPO } from './helpers.js';

const corpus = JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/guard-corpus.json'), 'utf8')) as CorpusEntry[];
const machine: Machine = { home: HOME, repo: REPO, user: 'dev' };

describe('rewrite property (seeded sample)', () => {
  it('the sample is fixed: the same seed draws the same variants', () => {
    const a = sampleVariants(corpus, machine, 50, 7).map((v) => v.command);
    const b = sampleVariants(corpus, machine, 50, 7).map((v) => v.command);
    expect(a).toEqual(b);
    expect(new Set(a).size).toBeGreaterThan(40);
  });

  it('≥ 99.5% of variants keep their seed verdict, in every family', () => {
    const variants = sampleVariants(corpus, machine, 12_000, 15);
    const figures = measureRewrites(variants, constraints(), context());
    console.log(`rewrite property, seeded sample of ${variants.length} variants:\n${formatFigures(figures)}`);
    for (const f of figures.failures.slice(0, 30)) console.log(`  [${f.rewrites.join(' + ')}] expected ${f.seed.expect}, got ${f.got}${f.ruleId ? ` (${f.ruleId})` : ''}: ${f.command}`);
    expect(figures.seedMisses.map((s) => s.command)).toEqual([]);
    expect(figures.total.variants).toBeGreaterThanOrEqual(10_000);
    expect(figures.total.kept / figures.total.variants).toBeGreaterThanOrEqual(0.995);
    for (const family of FAMILIES) {
      const f = figures.byFamily[family];
      expect(f.variants, family).toBeGreaterThan(50);
      expect(f.kept / f.variants, family).toBeGreaterThanOrEqual(0.99);
      expect(f.falsePositives / Math.max(1, f.benign), family).toBeLessThanOrEqual(0.005);
    }
  });
});
