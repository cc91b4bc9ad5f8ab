// The orchestrator's public surface: run, resume, status, cleanup, and the pieces the CLI formats with.
export { orchestrate, type DryRun, type OrchestrateOptions } from './orchestrate.js';
export { resumeRun, type ResumeDryRun, type ResumeOptions } from './resume-run.js';
export { executeRun, type RunHooks, type RunOutcome } from './execute-run.js';
export { cleanupRuns, type CleanupReport, type RunCleanup } from './cleanup-runs.js';
export { listRuns, type RunSummary, type StatusReport } from './list-runs.js';
export { buildReport, formatReportMarkdown, formatReportTable, type Report, type ReportBatch } from './build-report.js';
export { buildPrompt, type PromptInput } from './build-prompt.js';
export { agentSettings, bundleFile, claudeBinary, defaultAgentArgs, AGENT_TOOLS, HOOK_MATCHER } from './agent-command.js';
export { splitWords, formatCommand, quoteWord, type SplitWordsResult } from './split-words.js';
export { parseDuration, formatDuration } from './parse-duration.js';
export { newRunId, RUN_ID_PATTERN } from './new-run-id.js';
export { findScopeConflicts, type ChangedBatch } from './find-scope-conflicts.js';
export { runPaths, worktreesRootOf, type RunPaths } from './run-paths.js';
export { readState, listStates, type BatchState, type BatchStatus, type Conflict, type RunState, type RunStatus } from './run-state.js';
export { readLock, type LockInfo } from './run-lock.js';
