// Installing fanout as a user does, with the real Claude Code CLI: the repository as a marketplace (served as a git
// URL over smart HTTP, or as a local path), `claude plugin marketplace add`, `claude plugin install`. Plain .mjs
// (typed by the .d.mts beside it) so that test/e2e/plugin-install.test.ts and bench/install-size.mjs share it.
import { execFileSync, spawn } from 'node:child_process';
import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FANOUT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CLAUDE_BIN = join(FANOUT_ROOT, 'node_modules', '.bin', 'claude');

const GIT_ENV = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const git = (cwd, ...args) => execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });

/**
 * What a clone of the repository would hold after the next commit: the tracked and untracked-but-not-ignored files
 * as they are on disk (node_modules and other ignored files stay out), committed in a new repository at `dest` on
 * branch main. On CI (a clean clone, freshly built) that is exactly HEAD.
 */
export function snapshotRepo(dest, root = FANOUT_ROOT) {
  const files = git(root, 'ls-files', '-z', '--cached', '--others', '--exclude-standard').split('\0').filter(Boolean);
  mkdirSync(dest, { recursive: true });
  for (const file of new Set(files)) {
    const from = join(root, file);
    if (!existsSync(from) || !lstatSync(from).isFile()) continue;
    mkdirSync(dirname(join(dest, file)), { recursive: true });
    copyFileSync(from, join(dest, file));
  }
  git(dest, 'init', '-q', '-b', 'main');
  git(dest, 'add', '-A');
  git(dest, '-c', 'user.name=fanout e2e', '-c', 'user.email=e2e@fanout.invalid', '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'snapshot');
  return dest;
}

/** A bare clone of `repo` at `<projectRoot>/<name>.git`, for the git HTTP server. */
export function publishBare(repo, projectRoot, name) {
  mkdirSync(projectRoot, { recursive: true });
  git(projectRoot, 'clone', '-q', '--bare', repo, `${name}.git`);
  return join(projectRoot, `${name}.git`);
}

/** The environment of an isolated, offline CLI run: HOME and CLAUDE_CONFIG_DIR in `home`, no API reachable. */
export function claudeEnv(home, extra = {}) {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: home,
    CLAUDE_CONFIG_DIR: join(home, '.claude'),
    LANG: 'C.UTF-8',
    DISABLE_TELEMETRY: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    // The plugin subcommands need no API; a dead address makes sure none is reached.
    ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
    ANTHROPIC_API_KEY: 'sk-ant-fake',
    ...extra,
  };
}

/**
 * Runs `claude <args>` without blocking the event loop (the git server answering it lives in this process).
 * Resolves with the exit code, output and wall time; kills the CLI after `timeoutMs`.
 */
export function runClaudeCli(args, { cwd, home, timeoutMs = 120_000 }) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(CLAUDE_BIN, args, { cwd, env: claudeEnv(home), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut, wallMs: Math.round(performance.now() - started) });
    });
  });
}

/** Where `claude plugin install` put a plugin, from the CLI's installed_plugins.json. */
export function installPath(home, plugin = 'fanout@fanout') {
  const file = join(home, '.claude', 'plugins', 'installed_plugins.json');
  const installed = JSON.parse(readFileSync(file, 'utf8'));
  const entries = installed.plugins?.[plugin];
  if (!Array.isArray(entries) || entries.length === 0) throw new Error(`${file} lists no ${plugin}: ${JSON.stringify(installed)}`);
  return entries[0].installPath;
}

/** Bytes of the files under dir (apparent sizes, symlinks not followed), and how many. */
export function treeSize(dir) {
  let bytes = 0;
  let files = 0;
  const walk = (path) => {
    const stat = lstatSync(path);
    if (stat.isDirectory()) for (const name of readdirSync(path)) walk(join(path, name));
    else {
      bytes += stat.size;
      files += 1;
    }
  };
  if (existsSync(dir)) walk(dir);
  return { bytes, files };
}

/** Directories named `name` under dir (e.g. node_modules), relative to dir. */
export function findDirs(dir, name) {
  const found = [];
  const walk = (path, rel) => {
    for (const entry of readdirSync(path, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const childRel = rel === '' ? entry.name : `${rel}/${entry.name}`;
      if (entry.name === name) found.push(childRel);
      else walk(join(path, entry.name), childRel);
    }
  };
  if (existsSync(dir)) walk(dir, '');
  return found;
}
