// parsePlan + sizePlan on a generated 10,000-task plan. Goal: well under a second (asserted: median < 500 ms).
// Runs with plain node: it bundles src/plan/index.ts with esbuild (a dev dependency) into a temp file and imports
// that, so it measures the current source without `npm run build` and without a TypeScript loader.
import { performance } from 'node:perf_hooks';
import { importSource } from './lib/bundle-source.mjs';

const TASKS = Number(process.env.BENCH_TASKS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const GOAL_MS = 500;

const { parsePlan, sizePlan } = await importSource({ 'src/plan/index.ts': ['parsePlan', 'sizePlan'] }, 'plan');

// Deterministic pseudo-random plan: 200 areas of 50 tasks; each task has 1-3 files (some shared inside its area)
// and up to 2 dependencies on earlier tasks of its area.
let seed = 42;
const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const lines = ['---', 'title: Generated plan', 'validate: npm test', 'tasks:'];
let edges = 0;
let fileMentions = 0;
for (let i = 0; i < TASKS; i++) {
  const area = Math.floor(i / 50);
  const files = [`src/area-${area}/file-${i}.ts`];
  if (random() < 0.5) files.push(`src/area-${area}/test-${i}.test.ts`);
  if (random() < 0.2) files.push(`src/area-${area}/shared-${Math.floor(random() * 5)}.ts`);
  const deps = [];
  const first = area * 50;
  for (let d = 0; d < 2 && i > first; d++) if (random() < 0.6) deps.push(`task-${first + Math.floor(random() * (i - first))}`);
  const unique = [...new Set(deps)];
  edges += unique.length;
  fileMentions += files.length;
  lines.push(`  - id: task-${i}`, `    files: [${files.join(', ')}]`, `    depends_on: [${unique.join(', ')}]`, `    prompt: Implement part ${i}.`);
}
lines.push('---', 'Shared context.', '');
const text = lines.join('\n');

const parseTimes = [];
const sizeTimes = [];
let sizing;
for (let run = 0; run < RUNS; run++) {
  const t0 = performance.now();
  const parsed = parsePlan(text, { source: 'bench.md' });
  const t1 = performance.now();
  if (!parsed.ok) throw new Error(`generated plan is invalid: ${JSON.stringify(parsed.issues.slice(0, 3))}`);
  sizing = sizePlan(parsed.plan);
  const t2 = performance.now();
  parseTimes.push(t1 - t0);
  sizeTimes.push(t2 - t1);
}
const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const parseMs = median(parseTimes);
const sizeMs = median(sizeTimes);
const total = median(parseTimes.map((p, i) => p + (sizeTimes[i] ?? 0)));
console.log(`plan: ${TASKS} tasks, ${fileMentions} file mentions (${sizing.files} distinct), ${edges} depends_on edges, ${(text.length / 1024).toFixed(0)} KiB`);
console.log(`sizing: ${sizing.decision}, ${sizing.components.length} components, ${sizing.batches.length} batches`);
console.log(`median of ${RUNS}: parsePlan ${parseMs.toFixed(1)} ms + sizePlan ${sizeMs.toFixed(1)} ms = ${total.toFixed(1)} ms (goal < ${GOAL_MS} ms)`);
if (total >= GOAL_MS) {
  console.log('FAIL: slower than the goal');
  process.exitCode = 1;
}

