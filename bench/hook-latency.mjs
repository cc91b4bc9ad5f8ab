// Median wall time of `node dist/hook.cjs pre-tool-use` on a typical Bash call vs a bare `node -e ''`,
// interleaved in one run so machine load hits both alike. Goal: ratio <= 1.25.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const hook = join(root, 'dist/hook.cjs');
const runs = Number(process.env.BENCH_RUNS ?? 40);

const repo = mkdtempSync(join(tmpdir(), 'fanout-bench-hook-'));
spawnSync('git', ['init', '-q', '-b', 'main', repo]);
mkdirSync(join(repo, '.claude'), { recursive: true });
// A realistic repo: the constraints template fanout init writes.
try {
  copyFileSync(join(root, '.claude/constraints.md'), join(repo, '.claude/constraints.md'));
} catch {
  writeFileSync(join(repo, '.claude/constraints.md'), '---\nports:\n  "5432": postgres\n---\nBe careful.\n');
}
const input = JSON.stringify({
  session_id: 'bench',
  transcript_path: join(repo, 't.jsonl'),
  cwd: repo,
  hook_event_name: 'PreToolUse',
  tool_name: 'Bash',
  tool_input: { command: 'git status && npm test -- --reporter=dot 2>&1 | tail -n 20', description: 'Run tests' },
  tool_use_id: 'toolu_bench',
});
const env = { ...process.env, CLAUDE_PROJECT_DIR: repo };

function time(args, stdin) {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { input: stdin, env, cwd: repo });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  return { ms, stdout: String(result.stdout) };
}

const first = time([hook, 'pre-tool-use'], input);
if (first.stdout.trim() !== '') throw new Error(`the benchmark input should be allowed, got ${first.stdout}`);
const bare = [];
const hooked = [];
for (let i = 0; i < runs; i++) {
  bare.push(time(['-e', ''], '').ms);
  hooked.push(time([hook, 'pre-tool-use'], input).ms);
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const result = { runs, bareMs: median(bare), hookMs: median(hooked) };
result.ratio = result.hookMs / result.bareMs;
rmSync(repo, { recursive: true, force: true });
console.log(`hook latency: node -e '' ${result.bareMs.toFixed(1)} ms, hook.cjs pre-tool-use ${result.hookMs.toFixed(1)} ms, ratio ${result.ratio.toFixed(2)}x (goal <= 1.25x, ${runs} interleaved runs, median)`);
if (process.argv.includes('--json')) console.log(JSON.stringify(result));
