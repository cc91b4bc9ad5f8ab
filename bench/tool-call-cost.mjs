// What a user feels: the real Claude Code CLI (the pinned devDependency) against the scripted fake Messages API,
// one session of N sequential `Bash true` calls per configuration, configurations interleaved round by round,
// medians. Reports milliseconds per tool call over a session with no hooks.
//
// Per call: the median gap between two consecutive model requests after the first tool call (the first call also
// builds the shell snapshot), minus the same gap with no hooks. Start-up: spawn to first request, minus no hooks
// (SessionStart hooks, loading a hooks module). Whole session: (wall - wall with no hooks) / N, as issue 13 first
// measured it. "bare node hook" is the floor of any node-based command hook on this machine right now.
// BENCH_CALLS (20), BENCH_ROUNDS (5), BENCH_CONFIGS (comma list), BENCH_BEFORE (an older build to compare) tune it.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const CALLS = Number(process.env.BENCH_CALLS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const GOALS = { 'per-repo': 180, plugin: 20, 'plugin-no-module': 180 };

const work = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-bench-calls-')));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

// The e2e harness is TypeScript; bundle it for this plain-node script. Its paths are computed from its own
// location, so the bundle keeps the source's import.meta.url.
const harnessFile = join(work, 'harness.mjs');
await build({
  entryPoints: [join(root, 'test/e2e/harness/index.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: harnessFile,
  logLevel: 'warning',
  define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(root, 'test/e2e/harness/run-claude.ts')).href) },
});
const { cleanupE2E, findToolResult, makeGitRepo, requestWithResult, runClaude, startFakeApi, toolResultText } = await import(pathToFileURL(harnessFile).href);

const cli = join(root, 'dist', 'cli.mjs');
const constraintsTemplate = join(root, '.claude', 'constraints.md');

/** The plugin as Claude Code loads it: the generated plugin/ directory once it exists, else the repo root. */
function pluginRoot() {
  return existsSync(join(root, 'plugin', '.claude-plugin', 'plugin.json')) ? join(root, 'plugin') : root;
}

/**
 * The plugin as a host without function hooks runs it: the same files, hooks.json without its `modules` entry, so
 * the PreToolUse command hook (the backstop) judges every call in node.
 */
function pluginWithoutModule() {
  const dir = join(work, 'plugin-no-module');
  for (const part of ['.claude-plugin', 'hooks', 'commands', 'dist']) if (existsSync(join(pluginRoot(), part))) cpSync(join(pluginRoot(), part), join(dir, part), { recursive: true });
  const hooksJson = JSON.parse(readFileSync(join(dir, 'hooks', 'hooks.json'), 'utf8'));
  delete hooksJson.modules;
  writeFileSync(join(dir, 'hooks', 'hooks.json'), `${JSON.stringify(hooksJson, null, 2)}\n`);
  return dir;
}
const noModulePlugin = pluginWithoutModule();

const TOOL_MATCHER = '^(Bash|Write|Edit|MultiEdit|NotebookEdit|Agent|Task|Skill|mcp__.+)$';

/** Each configuration: how to set up a fresh scratch repo, and what to pass to `claude`. */
const CONFIGS = {
  none: { label: 'no hooks', setUp: () => ({}) },
  'per-repo': {
    label: 'per-repo install (fanout init)',
    setUp: (repo) => {
      execFileSync(process.execPath, [cli, 'init', '--dir', repo.dir], { stdio: 'ignore' });
      return {};
    },
  },
  plugin: {
    label: 'plugin, function hooks (default)',
    setUp: (repo) => {
      cpSync(constraintsTemplate, join(repo.dir, '.claude', 'constraints.md'));
      return { pluginDir: pluginRoot() };
    },
  },
  'plugin-no-module': {
    label: 'plugin, no function hooks',
    setUp: (repo) => {
      cpSync(constraintsTemplate, join(repo.dir, '.claude', 'constraints.md'));
      return { pluginDir: noModulePlugin };
    },
  },
  // BENCH_BEFORE=<dir with an older build's dist/cli.mjs>: that build's per-repo install, side by side with this one.
  ...(process.env.BENCH_BEFORE
    ? {
        'per-repo-before': {
          label: 'per-repo, BENCH_BEFORE build',
          setUp: (repo) => {
            execFileSync(process.execPath, [join(process.env.BENCH_BEFORE, 'dist', 'cli.mjs'), 'init', '--dir', repo.dir], { stdio: 'ignore' });
            return {};
          },
        },
      }
    : {}),
  'bare-node': {
    label: "bare node hook (node -e '')",
    setUp: () => ({ settings: { hooks: { PreToolUse: [{ matcher: TOOL_MATCHER, hooks: [{ type: 'command', command: "node -e ''", timeout: 10 }] }] } } }),
  },
};

const selected = (process.env.BENCH_CONFIGS ?? Object.keys(CONFIGS).join(',')).split(',').filter((name) => name in CONFIGS);
if (!selected.includes('none')) selected.unshift('none');
// One HOME per configuration for all its sessions: a user's caches (the hook's V8 code cache) persist between sessions.
const homes = Object.fromEntries(selected.map((name) => [name, realpathSync(mkdtempSync(join(work, `home-${name}-`)))]));

async function session(name) {
  const repo = makeGitRepo({ 'README.md': '# bench\n', '.claude/.keep': '' });
  const options = CONFIGS[name].setUp(repo);
  const ids = Array.from({ length: CALLS }, (_, i) => `toolu_bench_${i}`);
  const turns = ids.map((id, i) => ({
    ...(i === 0 ? {} : { when: (request) => findToolResult(request, ids[i - 1]) !== undefined }),
    toolUses: [{ id, name: 'Bash', input: { command: 'true', description: 'Do nothing' } }],
  }));
  turns.push({ when: (request) => findToolResult(request, ids[CALLS - 1]) !== undefined, text: 'bench-done' });
  const api = await startFakeApi(turns);
  const run = await runClaude({ cwd: repo.dir, home: homes[name], prompt: 'run the commands', api, allowedTools: ['Bash'], timeoutMs: 300_000, ...options });
  await cleanupE2E();
  // A configuration that denied or broke a call measures something else: refuse to report it.
  const broken = ids.find((id) => {
    const next = requestWithResult(run.requests, id);
    const block = next && findToolResult(next, id);
    return !block || block.is_error === true;
  });
  if (run.json?.result !== 'bench-done' || broken) {
    const block = broken && requestWithResult(run.requests, broken) && findToolResult(requestWithResult(run.requests, broken), broken);
    throw new Error(`${name}: the session did not run its ${CALLS} calls (result ${JSON.stringify(run.json?.result)}, ${broken ?? ''} ${block ? toolResultText(block).slice(0, 300) : ''})\n${run.stderr.slice(0, 500)}`);
  }
  const at = run.requests.map((request) => request.receivedAt);
  const gaps = at.slice(2).map((t, i) => t - at[i + 1]);
  return { wall: run.wallMs, startup: at[0] - run.startedAt, gap: median(gaps) };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const loadBefore = loadavg();
console.log(`tool-call cost: real claude -p, ${CALLS} sequential Bash calls per session, ${ROUNDS} interleaved rounds (+1 warm-up), load ${loadBefore.map((l) => l.toFixed(1)).join(' ')}`);
const results = Object.fromEntries(selected.map((name) => [name, []]));
for (let round = -1; round < ROUNDS; round++) {
  // Rotate the order so no configuration always runs first (or right after another) in a round.
  const order = selected.map((_, i) => selected[(i + Math.max(round, 0)) % selected.length]);
  for (const name of order) {
    const result = await session(name);
    if (round >= 0) results[name].push(result);
  }
}
for (const home of Object.values(homes)) rmSync(home, { recursive: true, force: true });

const summary = {};
for (const name of selected) {
  const rows = results[name];
  summary[name] = { wall: median(rows.map((r) => r.wall)), startup: median(rows.map((r) => r.startup)), gap: median(rows.map((r) => r.gap)) };
}
const base = summary.none;
const fmt = (ms) => `${ms >= 0 ? '+' : ''}${ms.toFixed(0)} ms`;
for (const name of selected) {
  const s = summary[name];
  const perCall = s.gap - base.gap;
  s.perCall = perCall;
  s.perCallWall = (s.wall - base.wall) / CALLS;
  s.startupOver = s.startup - base.startup;
  const goal = GOALS[name] === undefined ? '' : `  (goal <= ${GOALS[name]} ms per call)`;
  console.log(
    `  ${CONFIGS[name].label.padEnd(34)} per call ${name === 'none' ? `${s.gap.toFixed(0)} ms` : fmt(perCall)}` +
      `   start-up ${name === 'none' ? `${s.startup.toFixed(0)} ms` : fmt(s.startupOver)}` +
      `   session ${(s.wall / 1000).toFixed(2)} s${name === 'none' ? '' : ` (${fmt(s.perCallWall)} per call)`}${goal}`,
  );
}
if (summary.plugin && summary['plugin-no-module']) {
  console.log(`  hooks module, one-off load per session: ${fmt(summary.plugin.startup - summary['plugin-no-module'].startup)} (start-up with it minus without it; goal <= 2000 ms)`);
}
const loadAfter = loadavg();
console.log(`  load after ${loadAfter.map((l) => l.toFixed(1)).join(' ')}; medians of ${ROUNDS} rounds; wall-clock figures move with machine load`);
if (process.argv.includes('--json')) console.log(JSON.stringify({ calls: CALLS, rounds: ROUNDS, load: [loadBefore, loadAfter], summary }));
