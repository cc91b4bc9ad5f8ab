// Run agents: in a batch's worktree, the setup command (if any), then the agent with the batch's prompt,
// its scope and settings files, and the batch in its environment. It returns how the agent ended; collect
// then commits whatever it left, whatever that was.
import { writeFileSync } from 'node:fs';
import { agentSettings, defaultAgentArgs } from '../agent-command.js';
import { portEnv } from '../allocate-ports.js';
import { buildPrompt } from '../build-prompt.js';
import { formatDuration } from '../parse-duration.js';
import { applyStreamLine, emptyProgress } from '../parse-stream-event.js';
import { batchFiles } from '../run-paths.js';
import { runProcess } from '../run-process.js';
import type { BatchState } from '../run-state.js';
import { formatCommand } from '../split-words.js';
import { gitTasks } from '../git-tasks.js';
import { appendExcludes } from '../provision/exclude-file.js';
import { describeExit, succeeded } from './process-outcome.js';
import { worktreeGit, worktreeGitEnv } from './provision.js';
import type { Run } from './start-run.js';

export interface AgentOutcome {
  /** The batch's status if its work is saved. */
  status: 'done' | 'failed' | 'timeout' | 'interrupted';
  /** For the WIP commit's message: how the agent ended. */
  how: string;
}

/** A batch that finished in an earlier execution of the run (resume): its branch is re-read, not re-run. */
export const FINISHED_EARLIER: AgentOutcome = { status: 'done', how: 'finished earlier' };

/** Setup then agent; null when the setup failed (the batch is failed, with why). */
export async function runAgent(run: Run, batch: BatchState): Promise<AgentOutcome | null> {
  const { state } = run;
  const files = batchFiles(run.paths.runDir, batch.id);
  batch.log = files.log;
  if (run.setupWords !== null) {
    run.setStatus(batch, 'setup');
    const setup = await runProcess({ argv: run.setupWords, cwd: batch.worktree, env: batchEnv(run, batch), marker: `${state.runId}/${batch.id}/setup`, log: files.setupLog, timeoutMs: state.options.timeoutMs, signal: run.signal, killGraceMs: run.killGraceMs });
    if (!succeeded(setup)) {
      batch.error = `the setup command ${describeExit(setup)}; see ${files.setupLog}`;
      run.setStatus(batch, setup.interrupted ? 'interrupted' : 'failed');
      return null;
    }
    const clash = await setAsideSetupOutput(run, batch);
    if (clash !== null) {
      batch.error = clash;
      run.setStatus(batch, 'failed');
      return null;
    }
  }
  writeAgentFiles(run, batch);
  const prompt = buildPrompt({ title: state.title, context: state.context, runId: state.runId, batchId: batch.id, branch: batch.branch, tasks: batch.tasks, files: batch.files, validate: state.options.validate, batchCount: state.batches.length, ports: batch.ports ?? null });
  const command = state.options.agent ?? defaultAgentArgs(files.settings, run.env);
  const progress = emptyProgress();
  batch.startedAt = new Date().toISOString();
  run.monitor.update(batch.id, { startedAt: Date.now(), endedAt: null });
  run.setStatus(batch, 'running');
  const result = await runProcess({
    argv: [...command, prompt],
    cwd: batch.worktree,
    env: batchEnv(run, batch),
    marker: `${state.runId}/${batch.id}/agent`,
    log: files.log,
    display: `${formatCommand(command)} <prompt: ${prompt.length} characters>`,
    timeoutMs: state.options.timeoutMs,
    signal: run.signal,
    killGraceMs: run.killGraceMs,
    onStart: (pid) => {
      batch.pid = pid;
      run.save();
    },
    onLine: (line) => {
      if (applyStreamLine(progress, line)) run.monitor.update(batch.id, { toolCalls: progress.toolCalls, files: progress.files.size, costUsd: progress.costUsd });
    },
  });
  Object.assign(batch, { pid: null, exitCode: result.exitCode, signal: result.signal, timedOut: result.timedOut, durationMs: result.durationMs, toolCalls: progress.toolCalls, costUsd: progress.costUsd });
  run.monitor.update(batch.id, { endedAt: Date.now() });
  if (result.error) batch.error = `the agent could not start: ${result.error}`;
  else if (result.timedOut) batch.error = `the agent ran past the ${formatDuration(state.options.timeoutMs)} timeout and was stopped`;
  else if (!result.interrupted && result.exitCode !== 0) batch.error = `the agent ${describeExit(result)}; see ${files.log}`;
  const how = result.interrupted ? 'interrupted' : result.timedOut ? 'timed out' : `exit ${result.exitCode ?? result.signal}`;
  const status = result.interrupted ? 'interrupted' : result.timedOut ? 'timeout' : succeeded(result) ? 'done' : 'failed';
  return { status, how };
}

/** What every process in a batch's worktree (setup, agent, validation) finds in its environment. */
export function batchEnv(run: Run, batch: BatchState): Record<string, string> {
  return { FANOUT_RUN_ID: run.state.runId, FANOUT_BATCH: batch.id, FANOUT_FILES: JSON.stringify(batch.files), ...portEnv(batch.ports), ...worktreeGitEnv(run, batch.id) };
}

/**
 * What the setup command created or changed is not the agent's work: new paths join the worktree's
 * excludes file, changed tracked files are marked skip-worktree in its index. A file the batch itself must
 * change cannot be told apart that way: the batch fails, saying so (null when all is well).
 */
async function setAsideSetupOutput(run: Run, batch: BatchState): Promise<string | null> {
  const git = worktreeGit(run, batch.worktree, batch.id);
  const entries = await git(gitTasks.status('normal'));
  const created = entries.filter((entry) => entry.code === '??').map((entry) => entry.path);
  const changed = entries.filter((entry) => entry.code !== '??').map((entry) => entry.path);
  const clash = changed.filter((path) => batch.files.includes(path));
  if (clash.length > 0) return `the setup command changes ${clash.join(', ')}, which this batch must change: fanout cannot tell its change from the agent's (make the setup leave tracked files alone)`;
  appendExcludes(batchFiles(run.paths.runDir, batch.id).exclude, created);
  if (changed.length > 0) await git(gitTasks.skipWorktree(changed));
  if (entries.length > 0) run.monitor.note(`${batch.id}: the setup command left ${entries.map((entry) => entry.path).join(', ')}; not agent work`);
  return null;
}

/** The agents' wall window (first start to last end) and the sum of their times, over the batches that ran now. */
export function agentTimes(batches: readonly BatchState[]): { wallMs: number | null; timeMs: number } {
  let first: number | undefined;
  let last: number | undefined;
  let timeMs = 0;
  for (const batch of batches) {
    if (batch.startedAt === null || batch.durationMs === null) continue;
    const start = Date.parse(batch.startedAt);
    first = Math.min(first ?? start, start);
    last = Math.max(last ?? start, start + batch.durationMs);
    timeMs += batch.durationMs;
  }
  return { wallMs: first === undefined || last === undefined ? null : Math.round(last - first), timeMs };
}

/** The scope file the guard's hook reads, and the default agent's settings that install the hook. */
function writeAgentFiles(run: Run, batch: BatchState): void {
  const files = batchFiles(run.paths.runDir, batch.id);
  // protect: the main checkout and the other worktrees stay off limits even when they live under a temp root.
  const protect = [run.state.repoRoot, run.paths.worktreesRoot];
  writeFileSync(files.scope, `${JSON.stringify({ root: batch.worktree, files: batch.files, protect, runId: run.state.runId, batch: batch.id }, null, 2)}\n`);
  if (run.hookBundle !== null) writeFileSync(files.settings, `${JSON.stringify(agentSettings(run.hookBundle, files.scope), null, 2)}\n`);
}
