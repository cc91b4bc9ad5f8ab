// npm run test:stress: the tests that depend on timing, signals and concurrent processes, run again and again
// with one busy-looping process per core beside them. A test that fails only under load is flaky: a bug.
//
//   npm run test:stress                          10 runs of the orchestrate integration tests
//   npm run test:stress -- --runs 3 --suite e2e  3 runs of the e2e suite (real Claude Code CLI)
//   npm run test:stress -- --suite all           both suites in every run
//   --hogs <n>   busy loops beside the tests (default: one per core); --hogs 0 for none
//
// Prints one line per run and, for a failure, each failed test with its message; the full vitest output of
// every run is kept in a temp dir. Exit 0 only when every run passed. Not part of `npm test` or CI.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, createWriteStream, existsSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const SUITES = { orchestrate: ['test/integration/orchestrate'], e2e: ['test/e2e'] };

function usage(message) {
  if (message) process.stderr.write(`test-stress: ${message}\n`);
  process.stderr.write('usage: node scripts/test-stress.mjs [--runs <n>] [--suite orchestrate|e2e|all] [--hogs <n>]\n');
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({ options: { runs: { type: 'string', default: '10' }, suite: { type: 'string', default: 'orchestrate' }, hogs: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }));
} catch (error) {
  usage(error.message);
}
if (values.help) usage();
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) usage(`--runs must be a whole number of at least 1, not '${values.runs}'`);
const suites = values.suite === 'all' ? Object.keys(SUITES) : [values.suite];
if (!suites.every((suite) => suite in SUITES)) usage(`--suite must be orchestrate, e2e or all, not '${values.suite}'`);
const cores = availableParallelism();
const hogCount = values.hogs === undefined ? cores : Number(values.hogs);
if (!Number.isInteger(hogCount) || hogCount < 0) usage(`--hogs must be a whole number, not '${values.hogs}'`);
const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
const reporter = join(root, 'scripts', 'stress-reporter.mjs');
if (!existsSync(vitest)) usage('vitest is not installed: run `npm ci` first');

// A hog spins; every few million turns it checks that this script is still its parent, so it ends even if
// the script is killed with SIGKILL and never gets to stop it.
const HOG = `const parent = process.ppid; for (let i = 1; ; i++) if ((i & 0x3fffff) === 0 && process.ppid !== parent) process.exit(0);`;
const hogs = [];
let current;

function stopHogs() {
  for (const hog of hogs.splice(0)) hog.kill('SIGKILL');
}
process.on('exit', stopHogs);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    stopHogs();
    process.stderr.write(`\ntest-stress: ${signal}: stopped the busy loops${current ? ' and the running tests' : ''}\n`);
    const code = 128 + { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }[signal];
    if (!current || current.exitCode !== null) process.exit(code);
    current.once('close', () => process.exit(code));
    current.kill(signal);
    // vitest stops its workers and exits on its own; should it hang, it does not keep this script alive.
    setTimeout(() => current?.kill('SIGKILL'), 30_000).unref();
  });
}

const logDir = mkdtempSync(join(tmpdir(), 'fanout-stress-'));
const files = suites.flatMap((suite) => SUITES[suite]);

/** One vitest run of the chosen suites: its report (stress-reporter.mjs; null when vitest wrote none) and exit code. */
function runOnce(n) {
  const report = join(logDir, `run-${n}.json`);
  const log = join(logDir, `run-${n}.log`);
  writeFileSync(report, '');
  const out = createWriteStream(log);
  return new Promise((resolve) => {
    current = spawn(process.execPath, [vitest, 'run', ...files, '--reporter=default', `--reporter=${reporter}`], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1', FANOUT_STRESS_REPORT: report } });
    current.stdout.pipe(out, { end: false });
    current.stderr.pipe(out, { end: false });
    current.once('close', (code) => {
      current = undefined;
      out.end();
      let json = null;
      try {
        json = JSON.parse(readFileSync(report, 'utf8'));
      } catch {
        // vitest crashed before writing its report: the log says why.
      }
      resolve({ code, json, log });
    });
  });
}

/** Failed tests (and errors outside any test) with the first lines of their message. */
function failuresOf(json) {
  return (json?.failures ?? []).map(({ test, message }) => ({ test, message: firstLines(message) }));
}

function firstLines(text, count = 6) {
  const lines = text.split('\n').filter((line) => line.trim() !== '' && !/^\s+at /.test(line));
  return lines.slice(0, count).join('\n');
}

const seconds = (ms) => `${Math.round(ms / 1000)} s`;

for (let i = 0; i < hogCount; i++) hogs.push(spawn(process.execPath, ['-e', HOG], { stdio: 'ignore' }));
const loads = [];
const sampler = setInterval(() => loads.push(loadavg()[0]), 5_000);
console.log(`test-stress: ${runs} run${runs === 1 ? '' : 's'} of ${suites.join(' + ')} (${files.join(', ')}) beside ${hogCount} busy loop${hogCount === 1 ? '' : 's'} on ${cores} cores; logs in ${logDir}`);

let passedRuns = 0;
const started = performance.now();
for (let n = 1; n <= runs; n++) {
  const t0 = performance.now();
  const { code, json, log } = await runOnce(n);
  const failures = failuresOf(json);
  const ok = code === 0 && json !== null && failures.length === 0;
  if (ok) passedRuns++;
  const counts = json ? `${json.passed}/${json.total} tests passed` : 'no report';
  console.log(`run ${n}/${runs}: ${ok ? 'passed' : 'FAILED'}, ${counts}, ${seconds(performance.now() - t0)}, load ${loadavg()[0].toFixed(1)}`);
  for (const failure of failures) console.log(`  × ${failure.test}\n${failure.message.replace(/^/gm, '      ')}`);
  if (!ok && failures.length === 0) console.log(`  vitest exited ${code} without a failed test; see ${log}`);
  else if (!ok) console.log(`  full output: ${log}`);
}
clearInterval(sampler);
stopHogs();
const meanLoad = loads.length ? (loads.reduce((a, b) => a + b, 0) / loads.length).toFixed(1) : loadavg()[0].toFixed(1);
const date = new Date().toISOString().slice(0, 10);
console.log(`test-stress: ${passedRuns}/${runs} runs passed (${suites.join(' + ')}, ${hogCount} busy loop${hogCount === 1 ? '' : 's'} on ${cores} cores, mean 1-min load ${meanLoad}, ${seconds(performance.now() - started)} in all, ${date})`);
process.exitCode = passedRuns === runs ? 0 : 1;
