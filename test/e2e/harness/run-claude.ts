// Runs the real Claude Code CLI (node_modules/.bin/claude) in -p mode against the fake API, isolated
// from this machine: temp HOME and CLAUDE_CONFIG_DIR, minimal env and PATH, killed when done.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { accessSync, constants, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { within } from '../../helpers/wait-for.js';
import { killRun, RUN_TOKEN_VAR, trackDir, trackRun } from './cleanup.js';
import type { FakeApi, RecordedRequest } from './fake-api.js';

/** Root of the fanout repository (holds node_modules and dist). */
export const FANOUT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const CLAUDE_BIN = join(FANOUT_ROOT, 'node_modules', '.bin', 'claude');

export interface RunClaudeOptions {
  cwd: string;
  prompt: string;
  api: FakeApi;
  /** Passed as one `--allowedTools a,b` argument. */
  allowedTools?: string[];
  pluginDir?: string;
  /** `--settings`: an object is passed as inline JSON, a string as is (path or JSON). */
  settings?: Record<string, unknown> | string;
  /** More CLI arguments, appended last (start each with a flag). */
  extraArgs?: string[];
  /** Overrides and additions to the minimal environment (undefined removes a variable). */
  env?: Record<string, string | undefined>;
  /** HOME for the run; a fresh temp dir (removed at cleanup) when absent. */
  home?: string;
  /** Kill the CLI (and everything it started) after this long. Default 120 s: generous on a busy machine. */
  timeoutMs?: number;
}

export interface RunClaudeResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** The parsed `--output-format json` result, when stdout held one. */
  json: ClaudeJsonResult | undefined;
  stdout: string;
  stderr: string;
  /** Messages requests the fake API received during this run. */
  requests: RecordedRequest[];
  timedOut: boolean;
  wallMs: number;
  /** performance.now() when the CLI was spawned (compare with the requests' receivedAt). */
  startedAt: number;
  home: string;
}

export interface ClaudeJsonResult {
  type?: string;
  subtype?: string;
  result?: string;
  is_error?: boolean;
  num_turns?: number;
  permission_denials?: Array<{ tool_name?: string; tool_use_id?: string; tool_input?: unknown }>;
  terminal_reason?: string;
  session_id?: string;
  [key: string]: unknown;
}

/** Wall time of every run in this worker, for reports. */
export const runTimings: Array<{ prompt: string; wallMs: number; requests: number }> = [];

export function tempDir(prefix = 'fanout-e2e-'): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  trackDir(dir);
  return dir;
}

function findOnPath(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return dir;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

/**
 * A PATH that finds node and git but nothing from the user's profile (pyenv shims, cargo) and not
 * `claude` itself: a hook that fails to deny `claude -p … &` must not start real agents.
 */
export function minimalPath(): string {
  const dirs = [dirname(process.execPath), findOnPath('git'), '/usr/local/bin', '/usr/bin', '/bin'];
  return [...new Set(dirs.filter((d): d is string => d !== undefined))].join(delimiter);
}

export async function runClaude(options: RunClaudeOptions): Promise<RunClaudeResult> {
  const home = options.home ?? tempDir('fanout-e2e-home-');
  const configDir = join(home, '.claude');
  mkdirSync(configDir, { recursive: true });
  const runTmp = join(home, '.tmp');
  mkdirSync(runTmp, { recursive: true });
  const args = ['-p', options.prompt, '--output-format', 'json'];
  if (options.allowedTools && options.allowedTools.length > 0) args.push('--allowedTools', options.allowedTools.join(','));
  if (options.pluginDir !== undefined) args.push('--plugin-dir', options.pluginDir);
  if (options.settings !== undefined) args.push('--settings', typeof options.settings === 'string' ? options.settings : JSON.stringify(options.settings));
  args.push(...(options.extraArgs ?? []));

  // Built from scratch, not inherited: the runner's ANTHROPIC_*, CLAUDECODE or vitest variables must not leak in.
  // HOME is empty, so the Bash tool's shell snapshot sources no profile (the machine's pyenv init is slow).
  const env: Record<string, string> = {
    PATH: minimalPath(),
    HOME: home,
    SHELL: '/bin/bash',
    LANG: 'C.UTF-8',
    USER: process.env['USER'] ?? 'root',
    LOGNAME: process.env['LOGNAME'] ?? process.env['USER'] ?? 'root',
    // The CLI leaves cwd files and session notes in TMPDIR: keep them inside the run's temp HOME.
    TMPDIR: runTmp,
    ANTHROPIC_BASE_URL: options.api.url,
    ANTHROPIC_API_KEY: 'sk-ant-fake',
    DISABLE_TELEMETRY: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CONFIG_DIR: configDir,
  };
  const token = randomUUID();
  for (const [key, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  env[RUN_TOKEN_VAR] = token;

  const firstRequest = options.api.requests.length;
  const timeoutMs = options.timeoutMs ?? 120_000;
  const started = performance.now();
  const child = spawn(CLAUDE_BIN, args, { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  trackRun(token, child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    // A failure to kill shows up in the killRun below, once the CLI has exited.
    killRun(token).catch(() => undefined);
  }, timeoutMs);
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let exit: { exitCode: number | null; signal: NodeJS.Signals | null };
  try {
    exit = await new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, sig) => resolve({ exitCode: code, signal: sig }));
    });
  } finally {
    clearTimeout(timer);
    // Whatever the CLI left behind (background shells, hooks) goes too, also releasing pipes they hold.
    await killRun(token);
  }
  // Every process that could hold its stdout or stderr is gone: the pipes close.
  await within(closed, { timeoutMs: 30_000, what: 'the stdout and stderr of claude -p to close after its processes were killed', detail: () => `stderr so far:\n${stderr.slice(-2000)}` });
  const { exitCode, signal } = exit;
  const wallMs = Math.round(performance.now() - started);
  const requests = options.api.requests.slice(firstRequest);
  runTimings.push({ prompt: options.prompt.slice(0, 60), wallMs, requests: requests.length });
  if (process.env['FANOUT_E2E_TIMINGS'] === '1') process.stderr.write(`[e2e] claude -p ${JSON.stringify(options.prompt.slice(0, 60))}: ${wallMs} ms, ${requests.length} requests\n`);
  return { exitCode, signal, json: parseResult(stdout), stdout, stderr, requests, timedOut, wallMs, startedAt: started, home };
}

function parseResult(stdout: string): ClaudeJsonResult | undefined {
  const lines = stdout.trim().split('\n').reverse();
  for (const line of lines) {
    try {
      const value: unknown = JSON.parse(line);
      if (value && typeof value === 'object' && !Array.isArray(value)) return value as ClaudeJsonResult;
    } catch {
      // Not the result line.
    }
  }
  return undefined;
}

/** A short description of a run for assertion messages. */
export function describeRun(run: RunClaudeResult): string {
  return `exit=${run.exitCode} signal=${run.signal} timedOut=${run.timedOut} wall=${run.wallMs}ms requests=${run.requests.length}\nstdout: ${run.stdout.slice(0, 2000)}\nstderr: ${run.stderr.slice(0, 2000)}`;
}

export interface GitRepo {
  dir: string;
  git(...args: string[]): string;
  write(files: Record<string, string>): void;
}

/** A temp git repo on branch main with a repo-local identity, the files committed; removed at cleanup. */
export function makeGitRepo(files: Record<string, string> = { 'README.md': '# e2e\n' }): GitRepo {
  const dir = tempDir('fanout-e2e-repo-');
  const git = (...args: string[]) =>
    execFileSync('git', args, { cwd: dir, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } });
  const write = (more: Record<string, string>) => {
    for (const [path, content] of Object.entries(more)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
  };
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'fanout e2e');
  git('config', 'user.email', 'e2e@fanout.invalid');
  git('config', 'commit.gpgsign', 'false');
  write(files);
  if (Object.keys(files).length > 0) {
    git('add', '-A');
    git('commit', '-q', '-m', 'initial');
  }
  return { dir, git, write };
}
