// The rewrite property on the whole product: every deny/ask/allow command of the corpus, rewritten once and twice
// in a row by every rewrite of the catalogue (test/rewrites/rewrite-catalogue.ts), keeps its verdict. Prints, per
// rewrite family, variants, verdict kept, detection on dangerous seeds and false positives on benign seeds.
// Goal: >= 99.5% of variants keep their seed's verdict. Runs on every core (worker threads, seeds split between them).
//   --sample N    a seeded sample of N variants instead of the whole product (as the unit test does)
//   --failures    list every variant that changed verdict (default: the first 20)
//   --by-rewrite  figures per rewrite, worst first
import { availableParallelism } from 'node:os';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { bundleSource, ROOT as root } from './lib/bundle-source.mjs';

const repo = '/home/dev/proj';
const machine = { home: '/home/dev', repo, user: 'dev' };
const context = { cwd: repo, projectDir: repo, repoRoot: repo, gitDir: `${repo}/.git`, home: '/home/dev' };

if (!isMainThread) {
  const lib = await import(workerData.bundle);
  const corpus = JSON.parse(readFileSync(join(root, 'test/fixtures/guard-corpus.json'), 'utf8'));
  const seeds = corpus.filter((_, i) => i % workerData.of === workerData.part);
  const figures = lib.measureRewrites(lib.allVariants(seeds, machine), lib.defaultConstraints({ repoRoot: repo }), context, workerData.keep);
  parentPort.postMessage(figures);
} else {
  const built = await bundleSource(
    { 'test/rewrites/measure-rewrites.ts': '*', 'src/constraints/resolve-constraints.ts': ['defaultConstraints'] },
    'rewrites',
  );
  const bundle = built.url;
  const lib = await import(bundle);
  const arg = (name) => {
    const i = process.argv.indexOf(name);
    return i === -1 ? undefined : process.argv[i + 1];
  };
  const corpus = JSON.parse(readFileSync(join(root, 'test/fixtures/guard-corpus.json'), 'utf8'));
  const keep = process.argv.includes('--failures') ? 1_000_000 : 50;
  const sample = arg('--sample');
  const start = process.hrtime.bigint();
  let figures;
  if (sample) {
    figures = lib.measureRewrites(lib.sampleVariants(corpus, machine, Number(sample)), lib.defaultConstraints({ repoRoot: repo }), context, keep);
  } else {
    const of = Math.max(1, Math.min(4, availableParallelism()));
    const parts = await Promise.all(
      Array.from({ length: of }, (_, part) =>
        new Promise((resolve, reject) => {
          const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { bundle, part, of, keep } });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
      ),
    );
    figures = lib.mergeFigures(parts, keep);
  }
  built.remove();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const total = figures.total;
  console.log(`guard rewrites: ${total.variants} variants of ${corpus.length} commands (${sample ? `seeded sample of ${sample}` : 'every rewrite, and every ordered pair of rewrites'}) in ${seconds.toFixed(0)} s`);
  console.log(lib.formatFigures(figures));
  if (figures.seedMisses.length > 0) console.log(`seeds the guard itself gets wrong (their variants not counted): ${figures.seedMisses.map((s) => s.command).join(' | ')}`);
  const shown = process.argv.includes('--failures') ? figures.failures : figures.failures.slice(0, 20);
  for (const f of shown) console.log(`  [${f.rewrites.join(' + ')}] expected ${f.seed.expect}, got ${f.got}${f.ruleId ? ` (${f.ruleId})` : ''}: ${JSON.stringify(f.command).slice(0, 300)}`);
  if (process.argv.includes('--by-rewrite')) {
    for (const [id, f] of Object.entries(figures.byRewrite).sort((a, b) => a[1].kept / a[1].variants - b[1].kept / b[1].variants)) {
      console.log(`  ${id.padEnd(28)} ${String(f.variants).padStart(8)} kept ${((100 * f.kept) / f.variants).toFixed(2)}%  fp ${f.falsePositives}/${f.benign}  missed ${f.dangerous - f.detected}`);
    }
  }
  process.exitCode = total.kept / Math.max(1, total.variants) >= 0.995 ? 0 : 1;
}
