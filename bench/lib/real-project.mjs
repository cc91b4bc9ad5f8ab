// Helpers for the benchmarks that need a real project: installs from the registry cached under
// ~/.cache/fanout-bench (nothing fetched is ever committed), temp git repos, tree digests, timing.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, realpathSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.mjs');
export const CACHE = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'fanout-bench');

/** A real npm project installed from the registry once (package.json pinned here), reused afterwards. */
export function installedProject(name, dependencies) {
  const dir = join(CACHE, name);
  if (existsSync(join(dir, 'node_modules', '.package-lock.json'))) return dir;
  mkdirSync(CACHE, { recursive: true });
  const temp = mkdtempSync(join(CACHE, `${name}-installing-`));
  writeFileSync(join(temp, 'package.json'), `${JSON.stringify({ name: 'fanout-bench-project', private: true, version: '0.0.0', dependencies }, null, 2)}\n`);
  console.log(`installing ${Object.keys(dependencies).length} packages from the registry into ${dir} (once)…`);
  execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: temp, stdio: 'inherit' });
  rmSync(dir, { recursive: true, force: true });
  renameSync(temp, dir);
  return dir;
}

export function tempDir(label) {
  const base = process.env.BENCH_DIR || tmpdir();
  return realpathSync(mkdtempSync(join(base, `fanout-bench-${label}-`)));
}

export function git(cwd, ...args) {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

export function initRepo(path) {
  mkdirSync(path, { recursive: true });
  git(path, 'init', '-q', '-b', 'main');
  git(path, 'config', 'user.name', 'bench');
  git(path, 'config', 'user.email', 'bench@fanout.invalid');
  git(path, 'config', 'commit.gpgsign', 'false');
}

/** Copies a tree with symlinks kept as symlinks. */
export function copyTree(from, to) {
  cpSync(from, to, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
}

/** Every entry's path, type, mode, size, mtime, ctime, content or link target: equal means untouched. */
export function treeDigest(root) {
  const hash = createHash('sha256');
  let entries = 0;
  const visit = (path, rel) => {
    const info = lstatSync(path, { bigint: true });
    entries++;
    hash.update(`${rel}\0${info.mode}\0${info.size}\0${info.mtimeNs}\0${info.ctimeNs}\0`);
    if (info.isSymbolicLink()) hash.update(readlinkSync(path));
    else if (info.isFile()) hash.update(readFileSync(path));
    else if (info.isDirectory()) for (const name of readdirSync(path).sort()) visit(join(path, name), `${rel}/${name}`);
  };
  visit(root, '.');
  return `${entries} entries, ${hash.digest('hex').slice(0, 16)}`;
}

export function treeSize(root) {
  let files = 0;
  let bytes = 0;
  const visit = (path) => {
    const info = lstatSync(path);
    if (info.isDirectory()) for (const name of readdirSync(path)) visit(join(path, name));
    else if (info.isFile()) {
      files++;
      bytes += info.size;
    }
  };
  visit(root);
  return { files, mib: bytes / 1048576 };
}

/** Runs a command, returns its wall time in ms; throws with its output when it fails. */
export function timed(file, args, options = {}) {
  const started = performance.now();
  const result = spawnSync(file, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, ...options });
  const ms = performance.now() - started;
  if (result.status !== 0) throw new Error(`${file} ${args.join(' ')} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  return { ms, stdout: result.stdout, stderr: result.stderr };
}

export async function waitGone(path, limitMs = 300_000) {
  const started = performance.now();
  while (existsSync(path)) {
    if (performance.now() - started > limitMs) throw new Error(`${path} still exists after ${limitMs} ms (background deletion)`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return performance.now() - started;
}

export const s = (ms) => `${(ms / 1000).toFixed(2)} s`;

export function loadNote() {
  const [one, five] = readFileSync('/proc/loadavg', 'utf8').split(' ');
  return `load average ${one} (1 min), ${five} (5 min) on ${availableCores()} cores`;
}

function availableCores() {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8').split('\n').filter((line) => line.startsWith('processor')).length;
  } catch {
    return '?';
  }
}

export function ensureCli() {
  if (!existsSync(CLI)) {
    console.error(`${CLI} is missing: run npm run build`);
    process.exit(1);
  }
}
