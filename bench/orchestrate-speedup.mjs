// Speedup of the fan-out: 4 equal batches of agents that sleep, at concurrency 4 against concurrency 1,
// end to end (the whole `fanout orchestrate` process). Goal: >= 3.6x.
// Uses the built CLI (npm run bench builds it first).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.mjs');
// Agents that take seconds, not minutes: the run's fixed cost (~0.5 s here) still shows in the figure.
const SLEEP_MS = Number(process.env.BENCH_SLEEP_MS ?? 8000);
const GOAL = 3.6;
if (!existsSync(cli)) {
  console.error(`${cli} is missing: run npm run build`);
  process.exit(1);
}

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-bench-speedup-')));
const agent = join(dir, 'sleep-agent.mjs');
writeFileSync(
  agent,
  `import { mkdirSync, writeFileSync } from 'node:fs';\nimport { dirname } from 'node:path';\nawait new Promise((r) => setTimeout(r, ${SLEEP_MS}));\nfor (const f of JSON.parse(process.env.FANOUT_FILES)) { mkdirSync(dirname(f), { recursive: true }); writeFileSync(f, 'done\\n'); }\n`,
);

function repo(name) {
  const path = join(dir, name);
  mkdirSync(path);
  const git = (...args) => execFileSync('git', args, { cwd: path, stdio: ['ignore', 'pipe', 'pipe'] });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'bench');
  git('config', 'user.email', 'bench@fanout.invalid');
  git('config', 'commit.gpgsign', 'false');
  const tasks = [];
  for (const part of ['a', 'b', 'c', 'd']) for (let i = 1; i <= 3; i++) tasks.push(`  - { id: ${part}${i}, files: [src/${part}/f${i}.ts], depends_on: [${i === 1 ? '' : `${part}${i - 1}`}] }`);
  mkdirSync(join(path, 'plans'));
  writeFileSync(join(path, 'plans', 'plan.md'), ['---', 'title: speedup', 'tasks:', ...tasks, '---', ''].join('\n'));
  writeFileSync(join(path, 'README.md'), '# bench\n');
  git('add', '-A');
  git('commit', '-q', '-m', 'init');
  return path;
}

function run(concurrency) {
  const cwd = repo(`c${concurrency}`);
  const started = performance.now();
  const result = spawnSync(process.execPath, [cli, 'orchestrate', 'plans/plan.md', '--agent', `node ${agent}`, '--concurrency', String(concurrency), '--validate', '', '--json'], { cwd, encoding: 'utf8' });
  const wall = performance.now() - started;
  if (result.status !== 0) throw new Error(`run at concurrency ${concurrency} failed (exit ${result.status}):\n${result.stderr}`);
  const report = JSON.parse(result.stdout);
  if (report.status !== 'merged' || report.batches.length !== 4) throw new Error(`unexpected report: ${result.stdout}`);
  const state = JSON.parse(readFileSync(join(cwd, '.git', 'fanout', 'runs', report.runId, 'state.json'), 'utf8'));
  return { wall, agentWall: state.agentWallMs, reported: report.figures.ratio };
}

try {
  const c1 = run(1);
  const c4 = run(4);
  const speedup = c1.wall / c4.wall;
  console.log(`4 batches, agents sleeping ${SLEEP_MS} ms each`);
  console.log(`concurrency 1: ${(c1.wall / 1000).toFixed(2)} s wall (agents ${(c1.agentWall / 1000).toFixed(2)} s)`);
  console.log(`concurrency 4: ${(c4.wall / 1000).toFixed(2)} s wall (agents ${(c4.agentWall / 1000).toFixed(2)} s; report.json ratio against one agent doing it all in turn ${c4.reported}x)`);
  console.log(`speedup of the agent phase: ${(c1.agentWall / c4.agentWall).toFixed(2)}x`);
  console.log(`speedup (wall, end to end): ${speedup.toFixed(2)}x   goal >= ${GOAL}x   ${speedup >= GOAL ? 'ok' : 'MISSED'}`);
  process.exitCode = speedup >= GOAL ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
