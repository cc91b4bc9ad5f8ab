// Step 1 of a run, with no side effect: the repo (a commit, a clean tree, no other run), the plan (valid
// and gated), the commands (split, found, passed by the guard) and where everything will go.
import { existsSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Constraints } from '../constraints/index.js';
import { FanoutError } from '../util/errors.js';
import { bundleFile } from './agent-command.js';
import { checkCommand } from './check-command.js';
import { FANOUT_IDENTITY, gitTasks } from './git-tasks.js';
import { parseDuration } from './parse-duration.js';
import { gitIn, type Git } from './run-git.js';
import { provisionSettings, type ProvisionHow } from './provision/plan-provision.js';
import type { RunOptionsState } from './run-state.js';
import { findUntrackedCollisions } from './find-untracked-collisions.js';
import { onPath } from './on-path.js';
import { formatCommand, splitWords } from './split-words.js';

export const MIN_GIT: [number, number] = [2, 38];
export const DEFAULT_TIMEOUT_MS = 30 * 60_000;

export interface RepoContext {
  repoRoot: string;
  commonDir: string;
  gitDir: string;
  git: Git;
  version: [number, number, number];
}

export async function openRepo(cwd: string): Promise<RepoContext> {
  if (!existsSync(cwd)) throw new FanoutError('not-a-repo', `${cwd} does not exist`);
  const git = gitIn(cwd);
  const version = await git(gitTasks.version());
  if (version[0] < MIN_GIT[0] || (version[0] === MIN_GIT[0] && version[1] < MIN_GIT[1])) {
    throw new FanoutError('git-too-old', `fanout needs git ${MIN_GIT.join('.')} or newer (for merge-tree --write-tree); this is git ${version.join('.')}`, {
      hint: 'upgrade git (e.g. from your package manager or git-scm.com); fanout predicts and builds merges without touching a checkout, which older git cannot do',
    });
  }
  const info = await git(gitTasks.repoInfo());
  if (!info) throw new FanoutError('not-a-repo', `${cwd} is not inside a git repository`, { hint: 'run fanout from inside the repository the plan is for' });
  const repoRoot = realpathSync(info.repoRoot);
  return { repoRoot, commonDir: realpathSync(info.commonDir), gitDir: realpathSync(info.gitDir), git: repoRoot === cwd ? git : gitIn(repoRoot), version };
}

/**
 * Refuses only what a run could lose: modified or staged tracked files, and files git does not track
 * (untracked or ignored) at a path a batch declares, which landing would overwrite or be blocked by.
 * Returns the other untracked files, which the run leaves as they are. `ignored`: git's listing of ignored
 * paths (directories once, as dir/); `allowed`: repo-relative paths that may be untracked whatever (the plan).
 */
export async function checkWorkingTree(repo: RepoContext, declared: readonly string[], ignored: readonly string[], allowed: readonly string[] = []): Promise<{ untracked: string[] }> {
  const entries = await repo.git(gitTasks.status());
  const dirty = entries.filter((entry) => entry.code !== '??');
  const untracked = entries.filter((entry) => entry.code === '??').map((entry) => entry.path);
  if (dirty.length > 0) {
    const shown = dirty.slice(0, 20).map((entry) => `  ${entry.code} ${entry.path}`);
    if (dirty.length > 20) shown.push(`  … and ${dirty.length - 20} more`);
    throw new FanoutError('dirty-tree', `the working tree has uncommitted changes (${dirty.length} file${dirty.length === 1 ? '' : 's'}):\n${shown.join('\n')}`, {
      hint: 'commit or stash them first: every agent starts from the last commit, and landing the result must not touch your changes',
      data: { files: dirty.map((entry) => entry.path) },
    });
  }
  const collisions = findUntrackedCollisions(declared, [...untracked, ...ignored]).filter((path) => !allowed.includes(path) && existsSync(join(repo.repoRoot, path)));
  if (collisions.length > 0) {
    throw new FanoutError('untracked-in-the-way', `the plan changes ${collisions.length} file${collisions.length === 1 ? '' : 's'} that your checkout holds untracked or ignored: ${collisions.join(', ')}`, {
      hint: 'landing the result would overwrite them (or be refused): commit them, or move them out of the way, then run again',
      data: { files: collisions },
    });
  }
  return { untracked: untracked.filter((path) => !allowed.includes(path)) };
}

export async function identityFor(repo: RepoContext): Promise<string[]> {
  return (await repo.git(gitTasks.hasIdentity())) ? [] : FANOUT_IDENTITY;
}

/** Splits a command from the constraints file; a bad one is the file's problem, so it is reported as such. */
export function commandWords(what: string, text: string, source: string): string[] {
  const split = splitWords(text);
  if (!split.ok) throw new FanoutError('command-invalid', `the ${what} command from ${source} cannot be run: ${split.message}`, { hint: `fix the ${what} command in ${source}` });
  return split.words;
}

/** Resolves the program of an agent/setup/validate command: a path (against cwd) or a name on PATH. */
export function resolveProgram(words: readonly string[], cwd: string, what: string, env: NodeJS.ProcessEnv = process.env): string[] {
  const [program, ...rest] = words;
  if (program === undefined) throw new FanoutError('command-invalid', `the ${what} command is empty`);
  if (program.includes('/')) {
    const path = resolve(cwd, program);
    if (!existsSync(path)) throw new FanoutError('command-not-found', `the ${what} command's program ${program} does not exist`, { hint: `check the path (relative paths are resolved against ${cwd})` });
    return [path, ...rest];
  }
  if (onPath(program, env)) return [program, ...rest];
  throw new FanoutError('command-not-found', `the ${what} command's program '${program}' was not found on PATH`, {
    hint: what === 'agent' && program === 'claude' ? 'install Claude Code (npm i -g @anthropic-ai/claude-code), set FANOUT_CLAUDE_BIN, or pass --agent' : `install ${program} or give its path`,
  });
}

export interface CommandOverrides {
  /** argv from --agent (already split); undefined: constraints, else the default Claude Code agent. */
  agent?: string[] | undefined;
  /** --validate text; '' disables validation. */
  validate?: string | undefined;
  setup?: string | undefined;
  timeoutMs?: number | undefined;
  concurrency?: number | undefined;
  keepWorktrees?: boolean | undefined;
  /** --provision: how worktrees get the installed dependencies (what to carry stays the constraints file's). */
  provision?: ProvisionHow | undefined;
}

/** Agent, validate and setup commands in force, checked (guard, program found); the defaults applied. */
export function resolveCommands(
  overrides: CommandOverrides,
  base: { planValidate: string | undefined; batchCount: number; maxAgents: number; previous?: RunOptionsState },
  constraints: Constraints,
  repo: RepoContext,
  cwd: string,
  env: NodeJS.ProcessEnv,
): { options: RunOptionsState; validateWords: string[] | null; setupWords: string[] | null; warnings: string[] } {
  const defaults = constraints.orchestrate;
  const source = constraints.source;
  const previous = base.previous;
  let agent: string[] | null;
  if (overrides.agent !== undefined) agent = overrides.agent;
  else if (previous) agent = previous.agent;
  else agent = defaults.agent !== undefined && defaults.agent.trim() !== '' ? commandWords('agent', defaults.agent, source) : null;
  agent = agent === null ? null : resolveProgram(agent, cwd, 'agent', env);

  const pick = (flag: string | undefined, prev: string | null | undefined, ...rest: Array<string | undefined>) => {
    if (flag !== undefined) return flag.trim() === '' ? null : flag;
    if (prev !== undefined) return prev;
    const found = rest.find((value) => value !== undefined);
    return found === undefined || found.trim() === '' ? null : found;
  };
  const validate = pick(overrides.validate, previous?.validate, base.planValidate, defaults.validate);
  const setup = pick(overrides.setup, previous?.setup, defaults.setup);

  let timeoutMs = overrides.timeoutMs ?? previous?.timeoutMs;
  if (timeoutMs === undefined && defaults.timeout !== undefined) {
    timeoutMs = parseDuration(defaults.timeout);
    if (timeoutMs === undefined) throw new FanoutError('constraints-invalid', `orchestrate.timeout in ${source} is '${defaults.timeout}', not a duration`, { hint: 'write it like 90s, 10m or 1h' });
  }
  const concurrency = Math.max(1, overrides.concurrency ?? previous?.concurrency ?? defaults.concurrency ?? Math.min(base.batchCount, base.maxAgents));

  const context = { cwd: repo.repoRoot, projectDir: repo.repoRoot, repoRoot: repo.repoRoot, gitDir: repo.gitDir, home: env['HOME'] || homedir() };
  const warnings: string[] = [];
  const checked = (what: string, text: string | null, from: string) => {
    if (text === null) return null;
    const split = splitWords(text);
    if (!split.ok) throw new FanoutError('command-invalid', `the ${what} command \`${text}\` (${from}) cannot be run: ${split.message}`, { hint: `change the ${what} command` });
    warnings.push(...checkCommand(what, text, constraints, context));
    // A program named by a path runs from the worktree (its own copy of scripts/…): only names on PATH are checked here.
    if (!(split.words[0] ?? '').includes('/')) resolveProgram(split.words, cwd, what, env);
    return split.words;
  };
  const validateFrom = overrides.validate !== undefined ? '--validate' : previous ? 'the run' : base.planValidate !== undefined ? 'the plan' : source;
  const validateWords = checked('validate', validate, validateFrom);
  const setupWords = checked('setup', setup, overrides.setup !== undefined ? '--setup' : source);
  const provisionBase = previous?.provision ?? provisionSettings(defaults.provision);
  const provision = overrides.provision === undefined ? provisionBase : { ...provisionBase, how: overrides.provision };
  return {
    options: { agent, validate, setup, timeoutMs: timeoutMs ?? DEFAULT_TIMEOUT_MS, concurrency, keepWorktrees: overrides.keepWorktrees ?? false, provision },
    validateWords,
    setupWords,
    warnings,
  };
}

/** The hook bundle the default agent's settings run; it must exist before any agent starts. */
export function requireHookBundle(): string {
  const hook = bundleFile('hook.cjs');
  if (!existsSync(hook)) {
    throw new FanoutError('hook-missing', `the hook bundle ${hook} is missing, so agents would run without the guard`, { hint: 'run `npm run build` in the fanout package' });
  }
  return hook;
}

/** A branch name free of the batch ids: fanout/<run-id>/integration unless a batch took it. */
export function integrationBranch(runId: string, batchIds: readonly string[]): string {
  let name = 'integration';
  for (let k = 2; batchIds.includes(name); k++) name = `integration-${k}`;
  return `fanout/${runId}/${name}`;
}

export function formatAgent(agent: readonly string[] | null): string {
  return agent === null ? 'claude -p … (the default Claude Code agent)' : formatCommand(agent);
}

/** The plan path relative to the repo, when the plan lives inside it (so an untracked plan is not "dirty"). */
export function planInRepo(planPath: string, repoRoot: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(planPath);
  } catch {
    return undefined;
  }
  const rel = relative(repoRoot, real);
  return rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel) ? undefined : rel.split(sep).join('/');
}
