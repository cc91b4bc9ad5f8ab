// The one place git runs: a GitTask (git-tasks.ts) executed with an argument array, never through a shell.
// Worktrees are created with simple-git; everything else runs through execa, because simple-git 4 waits a
// fixed 50 ms after every command that prints nothing (update-ref, merge-base --is-ancestor, worktree
// remove…): about 2 s per 8-batch run, measured (bench/orchestrate-overhead.mjs).
import { execa } from 'execa';
import { simpleGit } from 'simple-git';
import { FanoutError } from '../util/errors.js';
import type { GitResult, GitTask } from './git-tasks.js';

export type Git = <T>(task: GitTask<T>) => Promise<T>;

/** A runner bound to one directory (a repo or one of its worktrees); config: `-c` settings for every command. */
export function gitIn(cwd: string, config: readonly string[] = []): Git {
  return async <T>(bare: GitTask<T>): Promise<T> => {
    const task = config.length === 0 ? bare : { ...bare, config: [...config, ...(bare.config ?? [])] };
    let result: GitResult;
    const started = performance.now();
    try {
      result = task.engine === 'simple-git' ? await viaSimpleGit(cwd, task) : await viaExeca(cwd, task);
      // FANOUT_TRACE_GIT=1: every git command with its time, for diagnosing slow runs.
      if (process.env['FANOUT_TRACE_GIT'] === '1') process.stderr.write(`fanout: git ${task.args.join(' ')} (${Math.round(performance.now() - started)} ms, exit ${result.exitCode})\n`);
    } catch (error) {
      throw new FanoutError('git-failed', `git ${task.args.join(' ')} could not run in ${cwd}: ${error instanceof Error ? error.message : String(error)}`, {
        hint: 'check that git is installed and the directory still exists',
        cause: error,
        data: { args: task.args, cwd },
      });
    }
    if (!(task.okCodes ?? [0]).includes(result.exitCode)) {
      throw new FanoutError('git-failed', `git ${task.args.join(' ')} failed in ${cwd} (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim() || 'no output'}`, {
        data: { args: task.args, cwd, exitCode: result.exitCode, stderr: result.stderr },
      });
    }
    return task.parse(result);
  };
}

/** What a terminal sends its foreground process group: Ctrl-C, a closed terminal, `kill` of the job. */
const GROUP_SIGNALS: ReadonlySet<string> = new Set(['SIGINT', 'SIGHUP', 'SIGTERM']);
/** One Ctrl-C can hit one spawn; a few more presses while fanout finishes its git work are tolerated. */
const GIT_ATTEMPTS = 4;

async function viaExeca(cwd: string, task: GitTask<unknown>): Promise<GitResult> {
  const config = (task.config ?? []).flatMap((pair) => ['-c', pair]);
  for (let attempt = 1; ; attempt++) {
    // detached: its own session, so a Ctrl-C in the terminal reaches fanout (which then finishes its git
    // commands and cleans up) instead of killing a `git commit` of an agent's work half-way.
    const run = await execa('git', [...config, ...task.args], { cwd, reject: false, detached: true, ...(task.input === undefined ? { stdin: 'ignore' as const } : { input: task.input }), stripFinalNewline: false, encoding: 'utf8' });
    if (run.exitCode !== undefined) return { stdout: run.stdout, stderr: run.stderr, exitCode: run.exitCode };
    // Except between fork and setsid: libuv blocks signals there, so a group signal sent then stays pending
    // and kills the child just before exec. git never ran, so running it again is safe; without this a Ctrl-C
    // could leave an agent's work uncommitted (its worktree kept, the batch failed).
    if (run.signal === undefined || !GROUP_SIGNALS.has(run.signal) || attempt === GIT_ATTEMPTS) throw new Error(run.shortMessage);
  }
}

async function viaSimpleGit(cwd: string, task: GitTask<unknown>): Promise<GitResult> {
  let exitCode = 0;
  let stderr = '';
  const git = simpleGit({
    baseDir: cwd,
    config: task.config ?? [],
    trimmed: false,
    // Exit codes are the task's to judge: record them instead of letting simple-git throw.
    errors: (error, result) => {
      exitCode = result.exitCode;
      stderr = Buffer.concat(result.stdErr).toString('utf8');
      return error instanceof Error ? error : undefined;
    },
  });
  const stdout = await git.raw(task.args);
  return { stdout, stderr, exitCode };
}
