// The rewrite property: every variant of a labelled command (rewritten once, or twice in a row) gets the command's
// verdict. A full run takes every seed × every rewrite × every rewrite; CI takes a fixed, seeded sample of that product.
import type { Constraints } from '../../src/constraints/schema.js';
import { evaluateToolCall } from '../../src/guard/index.js';
import type { CorpusEntry } from '../../src/guard/measure-corpus.js';
import type { Decision, GuardContext } from '../../src/guard/types.js';
import { FAMILIES, REWRITES, type Family, type Machine, type Rewrite } from './rewrite-catalogue.js';

export interface Variant {
  seed: CorpusEntry;
  rewrites: Rewrite[];
  command: string;
}

/** Deterministic PRNG (mulberry32): the same seed picks the same sample on every machine. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Rewrites applied one after another; undefined when one of them does not apply. */
export function rewriteChain(command: string, chain: Rewrite[], machine: Machine): string | undefined {
  let out: string | undefined = command;
  for (const rewrite of chain) {
    out = rewrite.apply(out, machine);
    if (out === undefined) return undefined;
  }
  return out;
}

/** Every variant: each rewrite alone, then each ordered pair (composed two deep). */
export function* allVariants(seeds: CorpusEntry[], machine: Machine, rewrites: readonly Rewrite[] = REWRITES): Generator<Variant> {
  for (const seed of seeds) {
    const once: Array<[Rewrite, string]> = [];
    for (const r of rewrites) {
      const command = r.apply(seed.command, machine);
      if (command === undefined) continue;
      once.push([r, command]);
      yield { seed, rewrites: [r], command };
    }
    for (const [first, command] of once) {
      for (const second of rewrites) {
        const twice = second.apply(command, machine);
        if (twice !== undefined) yield { seed, rewrites: [first, second], command: twice };
      }
    }
  }
}

/**
 * A fixed sample of the product: `count` variants drawn with a seeded PRNG, half single rewrites, half pairs. Each
 * rewrite is drawn family first, so families whose rewrites apply to few commands (flags, list-feeding) are not crowded out.
 */
export function sampleVariants(seeds: CorpusEntry[], machine: Machine, count: number, seed = 15, rewrites: readonly Rewrite[] = REWRITES): Variant[] {
  const next = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)] as T;
  const families = FAMILIES.map((f) => rewrites.filter((r) => r.family === f)).filter((list) => list.length > 0);
  const out: Variant[] = [];
  for (let n = 0; n < count; n++) {
    // The families first, then up to 200 draws of a command and rewrites of those families that apply to it.
    const chosen = n % 2 === 0 ? [pick(families)] : [pick(families), pick(families)];
    for (let attempt = 0; attempt < 200; attempt++) {
      const entry = pick(seeds);
      const chain = chosen.map((list) => pick(list));
      const command = rewriteChain(entry.command, chain, machine);
      if (command === undefined) continue;
      out.push({ seed: entry, rewrites: chain, command });
      break;
    }
  }
  return out;
}

/** Does the variant keep its seed's verdict? An ask may become a deny only where the rewrite adds danger. */
export function keeps(expect: Decision, got: Decision, rewrites: Rewrite[]): boolean {
  if (got === expect) return true;
  return expect === 'ask' && got === 'deny' && rewrites.some((r) => r.addsDanger);
}

export interface FamilyFigures {
  variants: number;
  kept: number;
  /** Variants of dangerous seeds (deny/ask) and how many the guard did not allow. */
  dangerous: number;
  detected: number;
  /** Variants of benign seeds and how many the guard blocked. */
  benign: number;
  falsePositives: number;
}

export interface RewriteFigures {
  total: FamilyFigures;
  byFamily: Record<Family, FamilyFigures>;
  byRewrite: Record<string, FamilyFigures>;
  failures: Array<{ seed: CorpusEntry; rewrites: string[]; command: string; got: Decision; ruleId: string | undefined }>;
  /** Seeds whose own verdict differs from their label (their variants are not counted). */
  seedMisses: CorpusEntry[];
}

const empty = (): FamilyFigures => ({ variants: 0, kept: 0, dangerous: 0, detected: 0, benign: 0, falsePositives: 0 });

export function measureRewrites(variants: Iterable<Variant>, constraints: Constraints, context: GuardContext, keepFailures = 200): RewriteFigures {
  const decide = (command: string): { decision: Decision; ruleId: string | undefined } => {
    const verdict = evaluateToolCall({ toolName: 'Bash', toolInput: { command } }, constraints, context);
    return { decision: verdict.decision, ruleId: verdict.ruleId };
  };
  const seedOk = new Map<string, boolean>();
  const seedMisses: CorpusEntry[] = [];
  const figures: RewriteFigures = { total: empty(), byFamily: Object.fromEntries(FAMILIES.map((f) => [f, empty()])) as Record<Family, FamilyFigures>, byRewrite: {}, failures: [], seedMisses };
  for (const v of variants) {
    let ok = seedOk.get(v.seed.command);
    if (ok === undefined) {
      ok = decide(v.seed.command).decision === v.seed.expect;
      seedOk.set(v.seed.command, ok);
      if (!ok) seedMisses.push(v.seed);
    }
    if (!ok) continue;
    const { decision, ruleId } = decide(v.command);
    const kept = keeps(v.seed.expect, decision, v.rewrites);
    const buckets = [figures.total, ...new Set(v.rewrites.map((r) => figures.byFamily[r.family])), ...new Set(v.rewrites.map((r) => (figures.byRewrite[r.id] ??= empty())))];
    for (const b of buckets) {
      b.variants++;
      if (kept) b.kept++;
      if (v.seed.expect === 'allow') {
        b.benign++;
        if (decision !== 'allow') b.falsePositives++;
      } else {
        b.dangerous++;
        if (decision !== 'allow') b.detected++;
      }
    }
    if (!kept && figures.failures.length < keepFailures) figures.failures.push({ seed: v.seed, rewrites: v.rewrites.map((r) => r.id), command: v.command, got: decision, ruleId });
  }
  return figures;
}

/** Adds figures measured on parts of the product (worker threads) into one. */
export function mergeFigures(parts: RewriteFigures[], keepFailures = 200): RewriteFigures {
  const add = (into: FamilyFigures, from: FamilyFigures): void => {
    for (const key of Object.keys(into) as Array<keyof FamilyFigures>) into[key] += from[key];
  };
  const out: RewriteFigures = { total: empty(), byFamily: Object.fromEntries(FAMILIES.map((f) => [f, empty()])) as Record<Family, FamilyFigures>, byRewrite: {}, failures: [], seedMisses: [] };
  for (const part of parts) {
    add(out.total, part.total);
    for (const family of FAMILIES) add(out.byFamily[family], part.byFamily[family]);
    for (const [id, f] of Object.entries(part.byRewrite)) add((out.byRewrite[id] ??= empty()), f);
    out.failures.push(...part.failures.slice(0, Math.max(0, keepFailures - out.failures.length)));
    out.seedMisses.push(...part.seedMisses);
  }
  return out;
}

const pct = (n: number, d: number): string => (d === 0 ? '  n/a ' : `${((100 * n) / d).toFixed(2).padStart(6)}%`);

/** A table: per family, variants, verdict kept, detection on dangerous seeds, false positives on benign ones. */
export function formatFigures(figures: RewriteFigures): string {
  const row = (name: string, f: FamilyFigures): string =>
    `${name.padEnd(16)} ${String(f.variants).padStart(9)}  kept ${pct(f.kept, f.variants)}  detection ${pct(f.detected, f.dangerous)} (${f.dangerous - f.detected} missed)  false positives ${pct(f.falsePositives, f.benign)} (${f.falsePositives}/${f.benign})`;
  return [...FAMILIES.map((family) => row(family, figures.byFamily[family])), row('all', figures.total)].join('\n');
}
