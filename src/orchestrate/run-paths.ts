// Where a run keeps its things. State, logs and reports live in the git common dir (shared by every
// worktree, never committed); worktrees live beside the repo, because agents must not work under a .git
// directory (the guard treats every path with a .git segment as git's own).
import { basename, dirname, join } from 'node:path';

export interface RunPaths {
  /** <common dir>/fanout: runs, the lock, the ledger. */
  fanoutDir: string;
  lock: string;
  runsDir: string;
  runDir: string;
  state: string;
  reportJson: string;
  reportMd: string;
  /** <parent of repo>/<repo name>.fanout/<run-id>: the run's worktrees. */
  worktreesDir: string;
  /** <parent of repo>/<repo name>.fanout: removed when the last run's worktrees are gone. */
  worktreesRoot: string;
  /** <worktrees root>/.trash: detached worktrees, deleted in the background. */
  trash: string;
}

/** FANOUT_WORKTREES overrides where worktrees go (for repos whose parent directory is not writable). */
export function runPaths(commonDir: string, repoRoot: string, runId: string, env: NodeJS.ProcessEnv = process.env): RunPaths {
  const fanoutDir = join(commonDir, 'fanout');
  const runDir = join(fanoutDir, 'runs', runId);
  const worktreesRoot = worktreesRootOf(repoRoot, env);
  return {
    fanoutDir,
    lock: join(fanoutDir, 'lock'),
    runsDir: join(fanoutDir, 'runs'),
    runDir,
    state: join(runDir, 'state.json'),
    reportJson: join(runDir, 'report.json'),
    reportMd: join(runDir, 'report.md'),
    worktreesDir: join(worktreesRoot, runId),
    worktreesRoot,
    trash: join(worktreesRoot, '.trash'),
  };
}

export function worktreesRootOf(repoRoot: string, env: NodeJS.ProcessEnv = process.env): string {
  const override = env['FANOUT_WORKTREES'];
  return override ? override : join(dirname(repoRoot), `${basename(repoRoot)}.fanout`);
}

/** Per-batch files in the run dir. Batch ids are [a-z0-9-], so the leading '_' of integration files cannot clash. */
export function batchFiles(runDir: string, batchId: string) {
  return {
    log: join(runDir, `${batchId}.log`),
    setupLog: join(runDir, `${batchId}.setup.log`),
    validateLog: join(runDir, `${batchId}.validate.log`),
    /** The package manager's install when the batch changed its dependencies. */
    depsLog: join(runDir, `${batchId}.install.log`),
    scope: join(runDir, `${batchId}.scope.json`),
    settings: join(runDir, `${batchId}.settings.json`),
    /** The worktree's own excludes file (see provision/exclude-file.ts). */
    exclude: join(runDir, `${batchId}.exclude`),
  };
}

/** The integration worktree's files: its id never clashes with a batch's. */
export const INTEGRATION_ID = '_integration';

export function integrationValidateLog(runDir: string): string {
  return batchFiles(runDir, INTEGRATION_ID).validateLog;
}

/** The run's store of carried directories (hardlink provisioning), beside its worktrees. */
export function storeDir(worktreesDir: string): string {
  return join(worktreesDir, '.store');
}
