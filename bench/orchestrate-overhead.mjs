// Orchestration overhead on a 20,000-file repo with 8 batches: everything `fanout orchestrate` spends
// besides agent time (no validate command), against a script of the minimal git commands the same work
// needs: 8 x worktree add, 8 x merge-tree + commit-tree, update-ref, 8 x worktree remove. Goal: <= 1.5x.
// Both sides get the same agents: each writes its batch's 2 files and commits them itself (agent time,
// excluded from both). fanout runs at concurrency 1 so that agent time is exactly the sum of the agents' runs.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'cli.mjs');
const FILES = Number(process.env.BENCH_FILES ?? 20_000);
const BATCHES = 8;
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const GOAL = 1.5;
if (!existsSync(cli)) {
  console.error(`${cli} is missing: run npm run build`);
  process.exit(1);
}

// On tmpfs by default: on a busy disk, writing 20,000 files per worktree varies by seconds from one add to the
// next and buries the difference being measured. BENCH_DIR=/tmp measures on disk.
const defaultDir = existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
const dir = realpathSync(mkdtempSync(join(process.env.BENCH_DIR || defaultDir, 'fanout-bench-overhead-')));
const agentScript = join(dir, 'agent.mjs');
writeFileSync(
  agentScript,
  [
    "import { execFileSync } from 'node:child_process';",
    "import { mkdirSync, writeFileSync } from 'node:fs';",
    "import { dirname } from 'node:path';",
    'for (const f of JSON.parse(process.env.FANOUT_FILES)) { mkdirSync(dirname(f), { recursive: true }); writeFileSync(f, `changed by ${process.env.FANOUT_BATCH}\\n`); }',
    "execFileSync('git', ['add', '-A']);",
    "execFileSync('git', ['commit', '-q', '-m', 'agent work']);",
    '',
  ].join('\n'),
);

const gitIn = (cwd) => (...args) => execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

/** A repo of FILES files in 200 directories, one commit, and a plan of 8 independent 2-file batches. */
function makeRepo(name) {
  const path = join(dir, name);
  mkdirSync(path);
  const git = gitIn(path);
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'bench');
  git('config', 'user.email', 'bench@fanout.invalid');
  git('config', 'commit.gpgsign', 'false');
  const perDir = Math.ceil(FILES / 200);
  for (let d = 0; d < 200; d++) {
    mkdirSync(join(path, 'src', `d${d}`), { recursive: true });
    for (let f = 0; f < perDir && d * perDir + f < FILES; f++) writeFileSync(join(path, 'src', `d${d}`, `f${f}.ts`), `export const v${f} = ${d * perDir + f};\n`);
  }
  const tasks = [];
  for (let b = 0; b < BATCHES; b++) tasks.push(`  - { id: part${b}, files: [src/d${b}/f0.ts, src/d${b}/f1.ts] }`);
  mkdirSync(join(path, 'plans'));
  writeFileSync(join(path, 'plans', 'plan.md'), ['---', 'title: overhead', 'tasks:', ...tasks, '---', ''].join('\n'));
  git('add', '-A');
  git('commit', '-q', '-m', 'init');
  return path;
}

function fanout(path) {
  const started = performance.now();
  const result = spawnSync(process.execPath, [cli, 'orchestrate', 'plans/plan.md', '--agent', `node ${agentScript}`, '--max-agents', String(BATCHES), '--concurrency', '1', '--validate', '', '--json'], { cwd: path, encoding: 'utf8' });
  const wall = performance.now() - started;
  if (result.status !== 0) throw new Error(`fanout failed (exit ${result.status}):\n${result.stderr}`);
  const report = JSON.parse(result.stdout);
  if (report.status !== 'merged' || report.batches.length !== BATCHES) throw new Error(`unexpected report: ${result.stdout}`);
  const state = JSON.parse(readFileSync(join(path, '.git', 'fanout', 'runs', report.runId, 'state.json'), 'utf8'));
  return { wall, agents: state.agentTimeMs, overhead: wall - state.agentTimeMs };
}

/** The minimal git commands for the same fan-out and merge; the agent part is timed separately and excluded. */
function minimal(path) {
  const git = gitIn(path);
  const base = git('rev-parse', 'HEAD').trim();
  const trees = join(dir, `${path.split('/').pop()}-wt`);
  let gitTime = 0;
  let agentTime = 0;
  const timed = (fn) => {
    const t0 = performance.now();
    const value = fn();
    gitTime += performance.now() - t0;
    return value;
  };
  for (let b = 0; b < BATCHES; b++) timed(() => git('worktree', 'add', '-q', '-b', `batch${b}`, join(trees, `b${b}`), base));
  for (let b = 0; b < BATCHES; b++) {
    const t0 = performance.now();
    const run = spawnSync(process.execPath, [agentScript], { cwd: join(trees, `b${b}`), env: { ...process.env, FANOUT_BATCH: `part${b}`, FANOUT_FILES: JSON.stringify([`src/d${b}/f0.ts`, `src/d${b}/f1.ts`]) } });
    if (run.status !== 0) throw new Error(String(run.stderr));
    agentTime += performance.now() - t0;
  }
  timed(() => {
    let head = base;
    for (let b = 0; b < BATCHES; b++) {
      const tree = git('merge-tree', '--write-tree', head, `batch${b}`).trim().split('\n')[0];
      head = git('commit-tree', tree, '-p', head, '-p', `batch${b}`, '-m', `merge batch${b}`).trim();
    }
    git('update-ref', 'refs/heads/integration', head);
    for (let b = 0; b < BATCHES; b++) git('worktree', 'remove', join(trees, `b${b}`));
  });
  return { gitTime, agentTime };
}

/** Dirty pages of the previous step must not slow the next one down: flush before each measurement. */
const settle = () => spawnSync('sync');

try {
  const fan = [];
  const min = [];
  const repos = Array.from({ length: RUNS }, (_, i) => ({ min: makeRepo(`min${i}`), fan: makeRepo(`fan${i}`) }));
  for (const [i, pair] of repos.entries()) {
    // Alternate which side goes first, so neither always pays for the other's leftovers.
    const order = i % 2 === 0 ? ['min', 'fan'] : ['fan', 'min'];
    for (const side of order) {
      settle();
      if (side === 'min') min.push(minimal(pair.min));
      else fan.push(fanout(pair.fan));
    }
  }
  const median = (values) => values.slice().sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const fanOverhead = median(fan.map((r) => r.overhead));
  const minGit = median(min.map((r) => r.gitTime));
  const ratio = fanOverhead / minGit;
  console.log(`${FILES} files, ${BATCHES} batches, median of ${RUNS}, in ${dir}`);
  console.log(`minimal git script: ${(minGit / 1000).toFixed(2)} s (agents ${(median(min.map((r) => r.agentTime)) / 1000).toFixed(2)} s, excluded)`);
  console.log(`fanout orchestrate: ${(fanOverhead / 1000).toFixed(2)} s overhead (wall ${(median(fan.map((r) => r.wall)) / 1000).toFixed(2)} s - agents ${(median(fan.map((r) => r.agents)) / 1000).toFixed(2)} s)`);
  console.log(`overhead ratio: ${ratio.toFixed(2)}x   goal <= ${GOAL}x   ${ratio <= GOAL ? 'ok' : 'MISSED'}`);
  process.exitCode = ratio <= GOAL ? 0 : 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
