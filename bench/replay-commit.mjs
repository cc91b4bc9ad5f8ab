// Replays a real library's multi-file commit through `fanout orchestrate` with zero configuration, against
// doing the same work sequentially in one checkout. Agents stand in with a sleep, then write the commit's
// real files; validation is the project's real test suite; the main checkout has its dependencies
// installed, as a developer's does. The project is a git repository you name at run time (nothing fetched
// is committed here):
//
//   BENCH_REPLAY_REPO=<git repo> BENCH_REPLAY_COMMIT=<sha> [BENCH_REPLAY_VALIDATE='pnpm test:spec']
//   [BENCH_AGENT_SECONDS=20] [BENCH_MAX_AGENTS=3] node bench/replay-commit.mjs
//
// README's figures: pmndrs/zustand at 376af788 (5 test files), BENCH_REPLAY_VALIDATE='pnpm test:spec'.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { CLI, ensureCli, git, installedProject, loadNote, s, tempDir, timed, treeDigest, waitGone } from './lib/real-project.mjs';

ensureCli();
const repoSource = process.env.BENCH_REPLAY_REPO;
const commitArg = process.env.BENCH_REPLAY_COMMIT;
if (!repoSource || !commitArg) {
  console.log('skipped: set BENCH_REPLAY_REPO (a git repository of a library) and BENCH_REPLAY_COMMIT (a multi-file commit of it); see the header of this file and the README');
  process.exit(0);
}
const SECONDS = Number(process.env.BENCH_AGENT_SECONDS ?? 20);
const MAX_AGENTS = Number(process.env.BENCH_MAX_AGENTS ?? 3);

const dir = tempDir('replay');
const main = join(dir, 'main');
git(dir, 'clone', '-q', '--no-checkout', repoSource, main);
const commit = git(main, 'rev-parse', `${commitArg}^{commit}`).trim();
git(main, 'checkout', '-q', '-B', 'main', `${commit}^`);
git(main, 'config', 'user.name', 'bench');
git(main, 'config', 'user.email', 'bench@fanout.invalid');
const subject = git(main, 'log', '-1', '--format=%s', commit).trim();
const changes = git(main, 'diff', '--name-status', '-z', '--no-renames', `${commit}^`, commit).split('\0').filter(Boolean);
const files = [];
for (let i = 0; i + 1 < changes.length; i += 2) files.push({ status: changes[i], path: changes[i + 1] });

// The package manager the project pins, on PATH for the validate command (from npm, cached).
const manifest = JSON.parse(readFileSync(join(main, 'package.json'), 'utf8'));
const pin = /^(pnpm|yarn|npm)@(\d[^+]*)/.exec(manifest.packageManager ?? '');
const pm = existsSync(join(main, 'pnpm-lock.yaml')) ? 'pnpm' : existsSync(join(main, 'yarn.lock')) ? 'yarn' : 'npm';
const env = { ...process.env };
if (pm !== 'npm') {
  const version = pin && pin[1] === pm ? pin[2] : 'latest';
  const tools = installedProject(`tools-${pm}-${version}`, { [pm]: version });
  env.PATH = `${join(tools, 'node_modules', '.bin')}:${env.PATH}`;
}
const install = pm === 'npm' ? ['npm', ['ci', '--no-audit', '--no-fund']] : [pm, ['install', '--frozen-lockfile']];
const installMs = timed(install[0], install[1], { cwd: main, env }).ms;
const validate = process.env.BENCH_REPLAY_VALIDATE || `${pm} test`;
const nodeModules = join(main, 'node_modules');
const before = treeDigest(nodeModules);

// One task per file of the commit, no dependencies: the gate packs them into at most MAX_AGENTS batches.
const slug = (path) => path.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40);
const plan = join(dir, 'plan.md');
writeFileSync(
  plan,
  ['---', `title: ${JSON.stringify(`Replay: ${subject}`)}`, `validate: ${JSON.stringify(validate)}`, 'tasks:', ...files.map((f) => `  - { id: ${slug(f.path)}, files: [${JSON.stringify(f.path)}] }`), '---', `Replays ${commit}.`, ''].join('\n'),
);
// The stand-in agent: sleeps like an agent thinking, then writes the commit's version of its files.
const agent = join(dir, 'agent.mjs');
writeFileSync(
  agent,
  `import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
const [commit, seconds] = process.argv.slice(2, 4);
await new Promise((resolve) => setTimeout(resolve, Number(seconds) * 1000));
for (const file of JSON.parse(process.env.FANOUT_FILES)) {
  let content;
  try { content = execFileSync('git', ['show', \`\${commit}:\${file}\`], { maxBuffer: 64 * 1024 * 1024 }); } catch { content = null; }
  if (content === null) rmSync(file, { force: true });
  else { mkdirSync(dirname(file), { recursive: true }); writeFileSync(file, content); }
}
`,
);

console.log(`replaying ${commit.slice(0, 10)} "${subject}" (${files.length} files) of ${repoSource}`);
console.log(`agents sleep ${SECONDS} s each; validation: ${validate}; ${loadNote()}`);

// fanout, zero configuration: no --setup, nothing in a constraints file.
const fanout = timed(process.execPath, [CLI, 'orchestrate', plan, '--agent', `node ${agent} ${commit} ${SECONDS}`, '--force', '--max-agents', String(MAX_AGENTS), '--json'], { cwd: main, env });
const report = JSON.parse(fanout.stdout);
const state = JSON.parse(readFileSync(join(main, '.git', 'fanout', 'runs', report.runId, 'state.json'), 'utf8'));
if (report.status !== 'merged') {
  console.log(fanout.stderr);
  throw new Error(`the fanout run is ${report.status}`);
}
const same = (ref) => git(main, 'diff', '--name-only', ref, commit).trim() === '';
if (!same('main')) throw new Error(`after fanout, main differs from ${commit}`);
await waitGone(`${main}.fanout`);
const after = treeDigest(nodeModules);

// The same work in one checkout: one agent doing every batch in turn, then the suite once.
git(main, 'reset', '-q', '--hard', `${commit}^`);
const sequentialStart = performance.now();
for (const batch of state.batches) timed(process.execPath, [agent, commit, String(SECONDS)], { cwd: main, env: { ...env, FANOUT_FILES: JSON.stringify(batch.files) } });
const suite = validate.split(' ');
const sequentialValidate = timed(suite[0], suite.slice(1), { cwd: main, env }).ms;
const sequential = performance.now() - sequentialStart;
git(main, 'add', '-A');
if (git(main, 'diff', '--cached', '--name-only', commit).trim() !== '') throw new Error('the sequential replay did not reproduce the commit');

const row = (label, ms, note = '') => console.log(`  ${label.padEnd(46)} ${s(ms).padStart(9)}  ${note}`);
const validations = [...state.batches.map((b) => b.validation?.durationMs ?? 0), state.integration.validation?.durationMs ?? 0];
const records = [...state.batches.map((b) => b.provision), state.integration.provision].filter(Boolean);
const provisionWindow = Math.max(...records.map((p) => p.startedAt + p.durationMs)) - (state.provisioning?.startedAt ?? 0);
console.log(`\n${state.batches.length} batches: ${state.batches.map((b) => `${b.id} (${b.files.length})`).join(', ')}`);
console.log(`main checkout: ${pm} install took ${s(installMs)}; node_modules ${before.split(',')[0]}`);
row('fanout orchestrate, wall', fanout.ms, `status ${report.status}, main = ${commit.slice(0, 10)}'s tree`);
row('  provisioning (store + every worktree)', provisionWindow, `${state.provisioning?.method}, store ${s(state.provisioning?.storeMs ?? 0)}`);
row('  agents (first start to last end)', state.agentWallMs ?? 0);
row('  validations, each', Math.max(...validations), validations.map((ms) => s(ms)).join(' + '));
row('sequential in one checkout, wall', sequential, `${state.batches.length} x ${SECONDS} s + the suite once (${s(sequentialValidate)})`);
console.log(`  fanout took ${(fanout.ms / sequential).toFixed(2)}x the sequential wall time`);
console.log(`main checkout node_modules ${before === after ? 'unchanged' : `CHANGED (${before} -> ${after})`} after the fanout run`);
process.exitCode = before === after ? 0 : 1;
timed('rm', ['-rf', dir]);
