// Provisioning a worktree with a real installed node_modules (npm, from the registry: >= 150 MiB and
// >= 15,000 files), per worktree of a 4-batch `fanout orchestrate` run, against `git worktree add` alone and
// against a fresh install in the worktree; and removing such a worktree, fanout's way (detach, delete in
// the background) against `git worktree remove --force`. Goal: <= 3 s per worktree without copy-on-write,
// the main checkout byte for byte unchanged afterwards.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CLI, ensureCli, git, initRepo, installedProject, loadNote, s, tempDir, timed, treeDigest, treeSize, waitGone } from './lib/real-project.mjs';

ensureCli();
const GOAL_MS = 3000;
const BATCHES = 4;
// Pinned, so every run measures the same tree: a typical TypeScript/React/Vite project's dependencies.
const DEPENDENCIES = {
  typescript: '5.6.3',
  '@types/node': '20.17.6',
  react: '18.3.1',
  'react-dom': '18.3.1',
  rxjs: '7.8.1',
  'date-fns': '2.30.0',
  lodash: '4.17.21',
  '@babel/core': '7.26.0',
  eslint: '8.57.1',
  vite: '5.4.11',
  vitest: '2.1.5',
  '@mui/material': '6.1.8',
  '@emotion/react': '11.13.5',
  '@emotion/styled': '11.13.5',
  prettier: '3.3.3',
  '@swc/core': '1.9.3',
  '@playwright/test': '1.49.0',
};

const project = installedProject('provision-v2', DEPENDENCIES);
const dir = tempDir('provision');
const repo = join(dir, 'app');
initRepo(repo);
writeFileSync(join(repo, '.gitignore'), 'node_modules/\n');
for (const name of ['package.json', 'package-lock.json']) writeFileSync(join(repo, name), readFileSync(join(project, name)));
const tasks = [];
for (const part of ['a', 'b', 'c', 'd']) {
  for (let i = 1; i <= 3; i++) {
    mkdirSync(join(repo, 'src', part), { recursive: true });
    writeFileSync(join(repo, 'src', part, `f${i}.ts`), `export const ${part}${i} = ${i};\n`);
    tasks.push(`  - { id: ${part}${i}, files: [src/${part}/f${i}.ts], depends_on: [${i === 1 ? '' : `${part}${i - 1}`}] }`);
  }
}
// Validation that needs the dependencies: it fails in a worktree without them.
writeFileSync(join(repo, 'check.mjs'), "import 'react';\nimport 'lodash';\nimport 'date-fns';\n");
git(repo, 'add', '-A');
git(repo, 'commit', '-q', '-m', 'app');
const started = performance.now();
timed('cp', ['-a', join(project, 'node_modules'), join(repo, 'node_modules')]);
const size = treeSize(join(repo, 'node_modules'));
const du = timed('du', ['-sm', join(repo, 'node_modules')]).stdout.split('\t')[0];
console.log(`main checkout: node_modules of ${size.files.toLocaleString('en-US')} files, ${size.mib.toFixed(0)} MiB (${du} MiB on disk; copied in ${s(performance.now() - started)}); ${loadNote()}`);
const before = treeDigest(join(repo, 'node_modules'));
const plan = join(dir, 'plan.md');
writeFileSync(plan, ['---', 'title: provision bench', 'validate: node check.mjs', 'tasks:', ...tasks, '---', ''].join('\n'));
const agent = join(dir, 'agent.mjs');
writeFileSync(agent, "import { mkdirSync, writeFileSync } from 'node:fs';\nimport { dirname } from 'node:path';\nfor (const f of JSON.parse(process.env.FANOUT_FILES)) { mkdirSync(dirname(f), { recursive: true }); writeFileSync(f, `export const done = '${process.env.FANOUT_BATCH}';\\n`); }\n");

// 1. git worktree add alone (what every worktree costs before provisioning).
const adds = [];
for (let i = 0; i < BATCHES; i++) {
  const path = join(dir, `plain-${i}`);
  adds.push(timed('git', ['worktree', 'add', '-q', '--detach', path, 'HEAD'], { cwd: repo }).ms);
  git(repo, 'worktree', 'remove', '--force', path);
}
const add = adds.reduce((a, b) => a + b, 0) / adds.length;

// 2. fanout orchestrate, 4 batches + the integration worktree, each way. The worktrees of a run are
// provisioned at the same time (each batch as its agent's turn comes, the integration worktree while the
// agents run), so a worktree's own duration overlaps the others': the figure per worktree is the window
// from the start of provisioning to the last worktree done, divided by the worktrees. A run at
// concurrency 1 without validation provisions one worktree at a time: that is the cost of one alone.
function orchestrate(how, extra = []) {
  const run = timed(process.execPath, [CLI, 'orchestrate', plan, '--agent', `node ${agent}`, '--provision', how, '--json', ...extra], { cwd: repo });
  const report = JSON.parse(run.stdout);
  if (report.status !== 'merged') throw new Error(`--provision ${how}: ${report.status}\n${run.stderr}`);
  git(repo, 'reset', '-q', '--hard', 'HEAD~4');
  const state = JSON.parse(readFileSync(join(repo, '.git', 'fanout', 'runs', report.runId, 'state.json'), 'utf8'));
  const records = [...state.batches.map((b) => b.provision), state.integration.provision].filter((p) => p && p.items.length > 0);
  const start = state.provisioning?.startedAt ?? Math.min(...records.map((p) => p.startedAt));
  const window = Math.max(...records.map((p) => p.startedAt + p.durationMs)) - start;
  return { how, method: state.provisioning?.method, wall: run.ms, storeMs: state.provisioning?.storeMs ?? 0, each: records.map((p) => p.durationMs), window, perWorktree: window / records.length, worktrees: records.length, state };
}
const auto = orchestrate('auto');
const alone = orchestrate('auto', ['--concurrency', '1', '--validate', '']);
const aloneMs = alone.each.reduce((a, b) => a + b, 0) / alone.each.length;
const amortized = (auto.storeMs + auto.worktrees * aloneMs) / auto.worktrees;
const copy = orchestrate('copy');
const none = orchestrate('none', ['--validate', '']);

// 3. A fresh install in a worktree (npm cache warm from the fixture's install).
const fresh = join(dir, 'fresh');
git(repo, 'worktree', 'add', '-q', '--detach', fresh, 'HEAD');
const install = timed('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: fresh }).ms;

// 4. Removing a worktree that holds node_modules: git's way, and fanout's (rename into the trash, prune).
const kept = orchestrate('auto', ['--keep-worktrees']);
const [first, second] = kept.state.batches.map((b) => b.worktree);
const gitRemove = timed('git', ['worktree', 'remove', '--force', first], { cwd: repo }).ms;
const detachStart = performance.now();
const trash = join(dir, 'trash');
mkdirSync(trash);
renameSync(second, join(trash, 'x'));
git(repo, 'worktree', 'prune');
const detach = performance.now() - detachStart;
timed(process.execPath, [CLI, 'cleanup'], { cwd: repo });

await waitGone(`${repo}.fanout`);
const after = treeDigest(join(repo, 'node_modules'));

const row = (label, ms, note = '') => console.log(`  ${label.padEnd(58)} ${s(ms).padStart(9)}  ${note}`);
console.log(`\nper worktree (${BATCHES} batches + the integration worktree):`);
row('git worktree add alone', add);
row(`${auto.method}: the run's store (one copy of node_modules), once per run`, auto.storeMs, `shared by the run's ${auto.worktrees} worktrees`);
row(`${auto.method}: linking one worktree to the store, alone`, aloneMs, `(${alone.each.map((ms) => s(ms)).join(', ')})`);
row(`${auto.method}: per worktree, store included, ${auto.worktrees} worktrees`, amortized, `goal <= ${s(GOAL_MS)}  ${amortized <= GOAL_MS ? 'ok' : 'MISSED'}`);
row(`${auto.method}: in a run, start to last worktree done / ${auto.worktrees}`, auto.perWorktree, `(${s(auto.window)} for all, overlapping)`);
row('copy: a full copy per worktree, in a run, same measure', copy.perWorktree, `(${s(copy.window)} for all)`);
row('fresh install (npm ci --prefer-offline, cache warm)', install);
console.log('\nwhole run, wall (agents write 3 files each; validation imports the dependencies):');
row('--provision auto', auto.wall);
row('--provision copy', copy.wall);
row('--provision none, no validation (nothing to provision for)', none.wall);
console.log('\nremoving one provisioned worktree:');
row('git worktree remove --force', gitRemove);
row("fanout's detach (rename into the trash + git worktree prune)", detach, 'then deleted in the background');
console.log(`\nmain checkout node_modules: before ${before}\n                             after  ${after}   ${before === after ? 'unchanged' : 'CHANGED'}`);
for (const leftover of readdirSync(dir)) if (leftover.startsWith('app.fanout')) console.log(`left over: ${leftover}`);
process.exitCode = before === after && amortized <= GOAL_MS ? 0 : 1;
git(repo, 'worktree', 'remove', '--force', fresh);
timed('rm', ['-rf', dir]);
