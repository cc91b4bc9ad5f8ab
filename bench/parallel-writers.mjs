// What the parallel-writers rule costs per tool call, in-process (the built hook core's runHook), median of N:
// the same Write judged with gate.parallel_writers: allow (rule off) and deny, for the main session with no subagent
// writing (the common case), the claim holder, and a second writer that is refused.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const chunks = join(root, 'dist/hook-chunks');
const core = readdirSync(chunks).find((name) => /^core-.*\.cjs$/.test(name));
if (!core) throw new Error('dist/hook-chunks has no core: run `npm run build`');
const { runHook } = createRequire(import.meta.url)(join(chunks, core));
const runs = Number(process.env.BENCH_RUNS ?? 400);

function repoWith(policy) {
  const dir = mkdtempSync(join(tmpdir(), `fanout-bench-pw-${policy}-`));
  spawnSync('git', ['init', '-q', '-b', 'main', dir]);
  mkdirSync(join(dir, '.claude'));
  writeFileSync(join(dir, '.claude/constraints.md'), `---\ngate: { parallel_writers: ${policy} }\n---\n`);
  return dir;
}

const input = (dir, session, agent) =>
  JSON.stringify({
    session_id: session,
    cwd: dir,
    hook_event_name: 'PreToolUse',
    ...(agent ? { agent_id: agent, agent_type: 'general-purpose' } : {}),
    tool_name: 'Write',
    tool_input: { file_path: join(dir, 'shared.txt'), content: 'x\n' },
  });

async function median(dir, session, agent, expect) {
  const raw = input(dir, session, agent);
  const times = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const result = await runHook(['pre-tool-use'], raw, { HOME: tmpdir() });
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
    const decision = result.stdout.trim() === '' ? 'allow' : JSON.parse(result.stdout).hookSpecificOutput.permissionDecision;
    if (decision !== expect) throw new Error(`expected ${expect}, got ${result.stdout}`);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

const off = repoWith('allow');
const on = repoWith('deny');
try {
  // Warm up both (constraints cache, JIT).
  await median(off, 'warm', undefined, 'allow');
  await median(on, 'warm', undefined, 'allow');
  const rows = [
    ['main session, no subagent writing', await median(off, 's1', undefined, 'allow'), await median(on, 's1', undefined, 'allow')],
    ['subagent holding the claim', await median(off, 's2', 'holder', 'allow'), await median(on, 's2', 'holder', 'allow')],
    ['second subagent, refused', await median(off, 's2', 'other', 'allow'), await median(on, 's2', 'other', 'deny')],
  ];
  console.log(`parallel-writers cost per Write call, in-process, median of ${runs} (rule off → on):`);
  for (const [what, a, b] of rows) console.log(`  ${what.padEnd(36)} ${a.toFixed(3)} ms → ${b.toFixed(3)} ms (+${(b - a).toFixed(3)} ms)`);
} finally {
  rmSync(off, { recursive: true, force: true });
  rmSync(on, { recursive: true, force: true });
}
