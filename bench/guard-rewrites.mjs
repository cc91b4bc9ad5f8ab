// The rewrite property on the whole product: every deny/ask/allow command of the corpus, rewritten once and twice
// in a row by every rewrite of the catalogue (test/rewrites/rewrite-catalogue.ts), keeps its verdict. Prints, per
// rewrite family, variants, verdict kept, detection on dangerous seeds and false positives on benign seeds.
// Goal: >= 99.5% of variants keep their seed's verdict. `--sample N` measures a seeded sample instead;
// `--family F` only pairs that use family F; `--failures` lists the variants that changed verdict.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = mkdtempSync(join(tmpdir(), 'fanout-bench-rewrites-'));
await build({
  stdin: {
    contents: [
      `export * from ${JSON.stringify(join(root, 'test/rewrites/measure-rewrites.ts'))};`,
      `export { REWRITES } from ${JSON.stringify(join(root, 'test/rewrites/rewrite-catalogue.ts'))};`,
      `export { defaultConstraints } from ${JSON.stringify(join(root, 'src/constraints/resolve-constraints.ts'))};`,
    ].join('\n'),
    resolveDir: root,
    loader: 'ts',
    sourcefile: join(out, 'entry.ts'),
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile: join(out, 'rewrites.mjs'),
  logLevel: 'warning',
});
const lib = await import(pathToFileURL(join(out, 'rewrites.mjs')).href);
rmSync(out, { recursive: true, force: true });

const arg = (name) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
};
const corpus = JSON.parse(readFileSync(join(root, 'test/fixtures/guard-corpus.json'), 'utf8'));
const repo = '/home/dev/proj';
const machine = { home: '/home/dev', repo, user: 'dev' };
const context = { cwd: repo, projectDir: repo, repoRoot: repo, gitDir: `${repo}/.git`, home: '/home/dev' };
const constraints = lib.defaultConstraints({ repoRoot: repo });
const family = arg('--family');
const rewrites = family ? lib.REWRITES : lib.REWRITES;
const sample = arg('--sample');
const start = process.hrtime.bigint();
let variants = sample ? lib.sampleVariants(corpus, machine, Number(sample)) : lib.allVariants(corpus, machine, rewrites);
if (family) variants = [...variants].filter((v) => v.rewrites.some((r) => r.family === family));
const figures = lib.measureRewrites(variants, constraints, context, process.argv.includes('--failures') ? 100_000 : 50);
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const total = figures.total;
console.log(`guard rewrites: ${total.variants} variants of ${corpus.length} commands (${sample ? `seeded sample of ${sample}` : 'every rewrite, and every ordered pair'}) in ${seconds.toFixed(1)} s`);
console.log(lib.formatFigures(figures));
if (figures.seedMisses.length > 0) console.log(`seeds the guard itself gets wrong (their variants not counted): ${figures.seedMisses.length}`);
const shown = process.argv.includes('--failures') ? figures.failures : figures.failures.slice(0, 20);
for (const f of shown) console.log(`  [${f.rewrites.join(' + ')}] expected ${f.seed.expect}, got ${f.got}${f.ruleId ? ` (${f.ruleId})` : ''}: ${JSON.stringify(f.command).slice(0, 300)}`);
if (process.argv.includes('--by-rewrite')) {
  for (const [id, f] of Object.entries(figures.byRewrite).sort((a, b) => a[1].kept / a[1].variants - b[1].kept / b[1].variants)) {
    console.log(`  ${id.padEnd(28)} ${String(f.variants).padStart(8)} kept ${((100 * f.kept) / f.variants).toFixed(2)}%  fp ${f.falsePositives}/${f.benign}  missed ${f.dangerous - f.detected}`);
  }
}
process.exitCode = total.kept / Math.max(1, total.variants) >= 0.995 ? 0 : 1;
