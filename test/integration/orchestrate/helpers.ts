// Scenario builders for the orchestrator's integration tests: temp repos with a plan, fake agents, and
// questions about what a run left behind (branches, worktrees, files on main).
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { orchestrate, resumeRun, type OrchestrateOptions, type ResumeOptions, type RunOutcome } from '../../../src/orchestrate/index.js';
import { tempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { waitFor, within } from '../../helpers/wait-for.js';

export { waitFor, within };

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const AGENTS = join(ROOT, 'test', 'fixtures', 'agents');
export const CLI = join(ROOT, 'dist', 'cli.mjs');

/** argv of a fake agent: node <fixture> [args…] (the orchestrator appends the prompt). */
export function agent(name: string, ...args: string[]): string[] {
  return [process.execPath, join(AGENTS, `${name}.mjs`), ...args];
}

/** The same as an --agent string for the CLI. */
export function agentFlag(name: string, ...args: string[]): string {
  return agent(name, ...args)
    .map((word) => `'${word.replace(/'/g, `'\\''`)}'`)
    .join(' ');
}

export const VALIDATE = `node ${join(AGENTS, 'validate.mjs')}`;

export interface Task {
  id: string;
  files: string[];
  dependsOn?: string[];
  prompt?: string;
}

/** A canonical plan; strings are JSON-quoted, which YAML reads as double-quoted scalars. */
export function planText(title: string, tasks: Task[], options: { validate?: string; context?: string } = {}): string {
  const lines = ['---', `title: ${JSON.stringify(title)}`];
  if (options.validate) lines.push(`validate: ${JSON.stringify(options.validate)}`);
  lines.push('tasks:');
  for (const task of tasks) {
    lines.push(`  - id: ${task.id}`, `    files: [${task.files.map((f) => JSON.stringify(f)).join(', ')}]`, `    depends_on: [${(task.dependsOn ?? []).join(', ')}]`);
    if (task.prompt) lines.push(`    prompt: ${JSON.stringify(task.prompt)}`);
  }
  lines.push('---', options.context ?? 'Shared context for the agents.', '');
  return lines.join('\n');
}

/** `parts` independent chains of `perPart` one-file tasks: src/<part>/<n>.ts. */
export function chains(parts: string[], perPart: number): Task[] {
  return parts.flatMap((part) =>
    Array.from({ length: perPart }, (_, i) => ({ id: `${part}-${i + 1}`, files: [`src/${part}/f${i + 1}.ts`], dependsOn: i === 0 ? [] : [`${part}-${i}`] })),
  );
}

export const TWELVE = chains(['api', 'web', 'cli'], 4);

/** A repo with one commit holding the plan at plans/plan.md (committed, so the tree is clean). */
export function repoWithPlan(plan: string, files: Record<string, string> = {}): TempRepo & { plan: string } {
  const repo = tempRepo({ 'README.md': '# test repo\n', 'plans/plan.md': plan, ...files });
  return Object.assign(repo, { plan: 'plans/plan.md' });
}

export interface Captured {
  text: string;
  write(chunk: string): boolean;
}

export function capture(): Captured {
  const out = { text: '', write: (chunk: string) => ((out.text += chunk), true) };
  return out;
}

export async function run(repo: TempRepo & { plan: string }, options: Partial<OrchestrateOptions> = {}, progress: Captured = capture()): Promise<RunOutcome> {
  const outcome = await orchestrate({ cwd: repo.dir, planPath: repo.plan, validate: '', timeoutMs: 120_000, ...options }, { progress, tty: false, killGraceMs: 500 });
  if ('dryRun' in outcome) throw new Error('unexpected dry run');
  return outcome;
}

export async function resume(repo: TempRepo, options: Partial<ResumeOptions> & { runId: string }, progress: Captured = capture()): Promise<RunOutcome> {
  const outcome = await resumeRun({ cwd: repo.dir, ...options }, { progress, tty: false, killGraceMs: 500 });
  if ('dryRun' in outcome) throw new Error('unexpected dry run');
  return outcome;
}

export function branches(repo: TempRepo): string[] {
  return repo
    .git('for-each-ref', '--format=%(refname:short)', 'refs/heads/')
    .split('\n')
    .filter(Boolean)
    .sort();
}

export function fanoutBranches(repo: TempRepo): string[] {
  return branches(repo).filter((b) => b.startsWith('fanout/'));
}

/** Worktree paths other than the main checkout. */
export function worktrees(repo: TempRepo): string[] {
  return repo
    .git('worktree', 'list', '--porcelain')
    .split('\n')
    .filter((line) => line.startsWith('worktree '))
    .map((line) => line.slice(9))
    .filter((path) => realpathSync(path) !== repo.dir);
}

export function filesAt(repo: TempRepo, rev: string): string[] {
  return repo.git('ls-tree', '-r', '-z', '--name-only', rev).split('\0').filter(Boolean).sort();
}

export function head(repo: TempRepo, rev = 'HEAD'): string {
  return repo.git('rev-parse', rev).trim();
}

/** The repo's <name>.fanout worktree root beside it (removed once empty). */
export function worktreeRoot(repo: TempRepo): string {
  return `${repo.dir}.fanout`;
}

export function runDirs(repo: TempRepo): string[] {
  const dir = join(repo.dir, '.git', 'fanout', 'runs');
  return existsSync(dir) ? readdirSync(dir) : [];
}

export function readJson<T = unknown>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export function markers(): { dir: string; cleanup(): void } {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-markers-')));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Removes the repo and whatever a run left beside it. */
export function dispose(repo: TempRepo): void {
  rmSync(worktreeRoot(repo), { recursive: true, force: true });
  repo.cleanup();
}

/** A zombie (killed, not yet reaped by whoever inherited it) counts as dead. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

/**
 * Waits until `count` fake agents have marked themselves ready in the markers dir (`<batch>.pid`, written
 * whole by the agent) and returns their pids.
 */
export async function readyAgents(dir: string, count: number, detail?: () => string): Promise<number[]> {
  await waitFor(() => markerFiles(dir, '.pid').length === count, { timeoutMs: 60_000, what: `${count} fake agents to write their pid files in ${dir}`, detail: () => `found: ${readdirSync(dir).join(', ') || 'nothing'}\n${detail?.() ?? ''}` });
  return markerPids(dir, '.pid');
}

/** The pids in the markers dir's files ending in suffix; each must be a real pid, never 0 (= "my own group"). */
export function markerPids(dir: string, suffix: string): number[] {
  return markerFiles(dir, suffix).map((file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const pid = Number(text);
    if (!Number.isInteger(pid) || pid <= 0) throw new Error(`${file} holds ${JSON.stringify(text)}, not a pid`);
    return pid;
  });
}

function markerFiles(dir: string, suffix: string): string[] {
  return readdirSync(dir).filter((file) => file.endsWith(suffix) && !file.startsWith('.'));
}

/** Removed worktrees are deleted by a background process: waits until path is gone. */
export async function deleted(path: string): Promise<void> {
  await waitFor(() => !existsSync(path), { timeoutMs: 120_000, what: `the background deletion of ${path}` });
}

/** Runs the built CLI as a child process. */
export function startCli(args: string[], cwd: string, env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  /** The exit, within a generous limit that names the command and shows its output so far. */
  const finished = (timeoutMs = 180_000) => within(done, { timeoutMs, what: `fanout ${args.join(' ')} to exit`, detail: () => `stderr so far:\n${stderr.slice(-3000)}` });
  return { child, done, finished, output: () => ({ stdout, stderr }) };
}

export function cliSync(args: string[], cwd: string, timeoutMs = 120_000): { code: number; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
    return { code: 0, stdout, stderr: '' };
  } catch (error) {
    const e = error as { status: number | null; code?: string; stdout: string; stderr: string };
    if (e.code === 'ETIMEDOUT') throw new Error(`timed out after ${timeoutMs} ms waiting for fanout ${args.join(' ')} to exit\nstderr so far:\n${e.stderr}`);
    if (e.status === null) throw error;
    return { code: e.status, stdout: e.stdout, stderr: e.stderr };
  }
}
