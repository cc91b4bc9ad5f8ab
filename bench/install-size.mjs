// What an install costs a user: the plugin from a marketplace (a git URL served over smart HTTP on 127.0.0.1, and a
// local path), with the real Claude Code CLI in a fresh HOME each run, and the npm package (packed, then installed
// globally into a fresh prefix, offline). Goals: plugin cache <= 5 MiB with no node_modules and install <= 5 s;
// npm package installed <= 2 MiB with no dependencies.
//
//   node bench/install-size.mjs [--runs N] [--ref <commit>]
//
// The marketplace is this checkout as its next commit would be (tracked and untracked-but-not-ignored files);
// --ref <commit> serves that commit instead (e.g. one from before plugin/ existed: its install runs `npm ci` and
// needs the registry).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { startGitHttpServer } from '../test/e2e/harness/git-http-server.mjs';
import { FANOUT_ROOT, findDirs, installPath, publishBare, runClaudeCli, snapshotRepo, treeSize } from '../test/e2e/harness/plugin-market.mjs';

const argValue = (name) => {
  const i = process.argv.indexOf(name);
  return i === -1 ? undefined : process.argv[i + 1];
};
const RUNS = Number(argValue('--runs') ?? process.env.BENCH_RUNS ?? 3);
const REF = argValue('--ref');
const MB = 1024 * 1024;
const fmtMB = (bytes) => `${(bytes / MB).toFixed(2)} MiB`;
const fmtS = (ms) => `${(ms / 1000).toFixed(2)} s`;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const range = (xs) => `${fmtS(Math.min(...xs))}-${fmtS(Math.max(...xs))}`;

const work = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-bench-install-')));
let failed = false;
const check = (ok, what) => {
  if (!ok) {
    console.log(`FAIL: ${what}`);
    failed = true;
  }
};

/** The marketplace repository: this checkout as a commit, or --ref pushed from this repository. */
function marketplaceRepo() {
  const served = join(work, 'served');
  if (REF === undefined) {
    const snapshot = snapshotRepo(join(work, 'snapshot'));
    publishBare(snapshot, served, 'fanout');
    return { served, localPath: snapshot, label: 'this checkout' };
  }
  mkdirSync(served, { recursive: true });
  const bare = join(served, 'fanout.git');
  execFileSync('git', ['init', '-q', '--bare', '-b', 'main', bare]);
  execFileSync('git', ['push', '-q', bare, `${REF}:refs/heads/main`], { cwd: FANOUT_ROOT });
  const localPath = join(work, 'checkout');
  execFileSync('git', ['clone', '-q', bare, localPath]);
  return { served, localPath, label: `commit ${REF}` };
}

/** One fresh-HOME install: marketplace add + plugin install, timed, then what it left on disk. */
async function installOnce(source, project, extraAddArgs = []) {
  const home = realpathSync(mkdtempSync(join(work, 'home-')));
  const add = await runClaudeCli(['plugin', 'marketplace', 'add', source, ...extraAddArgs], { cwd: project, home, timeoutMs: 180_000 });
  if (add.code !== 0) throw new Error(`marketplace add ${source} failed: ${add.stdout}${add.stderr}`);
  const install = await runClaudeCli(['plugin', 'install', 'fanout@fanout'], { cwd: project, home, timeoutMs: 180_000 });
  if (install.code !== 0) throw new Error(`plugin install failed: ${install.stdout}${install.stderr}`);
  const copy = installPath(home);
  const result = {
    addMs: add.wallMs,
    installMs: install.wallMs,
    cache: treeSize(copy),
    nodeModules: findDirs(copy, 'node_modules').length > 0,
    marketplaceClone: treeSize(join(home, '.claude', 'plugins', 'marketplaces', 'fanout')),
    npmCache: treeSize(join(home, '.npm')),
  };
  rmSync(home, { recursive: true, force: true });
  return result;
}

function report(label, runs) {
  const last = runs[runs.length - 1];
  const installs = runs.map((r) => r.installMs);
  const adds = runs.map((r) => r.addMs);
  console.log(
    `${label}: plugin install ${fmtS(median(installs))} (median of ${runs.length}, ${range(installs)}), marketplace add ${fmtS(median(adds))} (${range(adds)}); ` +
      `cache ${fmtMB(last.cache.bytes)} in ${last.cache.files} files, node_modules ${last.nodeModules ? 'yes' : 'none'}, ` +
      `marketplace copy ${fmtMB(last.marketplaceClone.bytes)}, ~/.npm ${fmtMB(last.npmCache.bytes)}`,
  );
  return { installMs: median(installs), cacheBytes: last.cache.bytes, nodeModules: last.nodeModules };
}

function npm(args, cwd) {
  const env = {
    PATH: [dirname(process.execPath), process.env.PATH ?? '/usr/bin:/bin'].join(delimiter),
    HOME: join(work, 'npm-home'),
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_userconfig: join(work, 'npmrc'),
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
  };
  const started = performance.now();
  const result = spawnSync('npm', args, { cwd, env, encoding: 'utf8', timeout: 180_000 });
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed: ${result.stderr}`);
  return { stdout: result.stdout, ms: performance.now() - started };
}

try {
  const market = marketplaceRepo();
  const project = join(work, 'project');
  mkdirSync(project);
  execFileSync('git', ['init', '-q', project]);
  const server = await startGitHttpServer({ projectRoot: market.served });
  try {
    console.log(`marketplace: ${market.label}; ${RUNS} fresh-HOME installs per source`);
    const git = [];
    for (let i = 0; i < RUNS; i++) git.push(await installOnce(`${server.url}/fanout.git`, project));
    const gitFigures = report('git URL (smart HTTP, loopback)', git);
    const sparse = await installOnce(`${server.url}/fanout.git`, project, ['--sparse', '.claude-plugin', 'plugin']);
    console.log(`git URL with --sparse .claude-plugin plugin: marketplace copy ${fmtMB(sparse.marketplaceClone.bytes)}, cache ${fmtMB(sparse.cache.bytes)}`);
    const local = [];
    for (let i = 0; i < RUNS; i++) local.push(await installOnce(market.localPath, project));
    const localFigures = report('local path', local);
    for (const [label, f] of [['git URL', gitFigures], ['local path', localFigures]]) {
      check(f.cacheBytes <= 5 * MB, `${label}: cache ${fmtMB(f.cacheBytes)} > 5 MiB`);
      check(!f.nodeModules, `${label}: node_modules in the cache`);
      check(f.installMs <= 5000, `${label}: install ${fmtS(f.installMs)} > 5 s`);
    }
  } finally {
    await server.stop();
  }

  if (REF === undefined) {
    const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], FANOUT_ROOT).stdout);
    const times = [];
    let installed;
    for (let i = 0; i < RUNS; i++) {
      const prefix = join(work, `prefix-${i}`);
      times.push(npm(['install', '--global', '--offline', '--prefix', prefix, join(work, packed.filename)], work).ms);
      installed = treeSize(join(prefix, 'lib', 'node_modules', 'fanout'));
      check(findDirs(join(prefix, 'lib', 'node_modules', 'fanout'), 'node_modules').length === 0, 'npm: the package pulled dependencies');
    }
    console.log(
      `npm package: tarball ${fmtMB(packed.size)} packed, ${fmtMB(packed.unpackedSize)} unpacked, ${packed.files.length} files; ` +
        `installed ${fmtMB(installed.bytes)}; npm install -g --offline ${fmtS(median(times))} (median of ${RUNS}, ${range(times)})`,
    );
    check(installed.bytes <= 2 * MB, `npm: installed ${fmtMB(installed.bytes)} > 2 MiB`);
  }
  console.log('goals: plugin cache <= 5 MiB, no node_modules, install <= 5 s; npm package installed <= 2 MiB, no dependencies');
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (failed) process.exitCode = 1;
