// Report: the run's status from what every stage recorded, state.json final, report.json and report.md
// in the run directory, and the summary the CLI prints. The lock is released here, once the record is final.
import { writeFileSync } from 'node:fs';
import { buildReport, formatReportMarkdown, formatReportTable, type Report } from '../build-report.js';
import type { RunState, RunStatus } from '../run-state.js';
import { agentFinished } from './check.js';
import type { Run } from './start-run.js';

export interface RunOutcome {
  state: RunState;
  report: Report;
  /** 0 only for merged; 130 / 143 / 129 after SIGINT / SIGTERM / SIGHUP; 1 otherwise. */
  exitCode: number;
  reportPath: string;
  summary: string;
}

export function report(run: Run): RunOutcome {
  const { state, paths } = run;
  const received = run.interruptedBy();
  state.status = runStatus(state, received !== undefined);
  state.phase = 'done';
  state.finishedAt = new Date().toISOString();
  state.wallMs = Math.round(performance.now() - run.startedAt);
  run.save();
  run.end();
  const built = buildReport(state);
  writeFileSync(paths.reportJson, `${JSON.stringify(built, null, 2)}\n`);
  writeFileSync(paths.reportMd, formatReportMarkdown(state, built));
  const exitCode = state.status === 'merged' ? 0 : received === 'SIGINT' ? 130 : received === 'SIGTERM' ? 143 : received === 'SIGHUP' ? 129 : 1;
  return { state, report: built, exitCode, reportPath: paths.reportMd, summary: formatReportTable(state, built, paths.reportMd) };
}

export function runStatus(state: RunState, interrupted: boolean): RunStatus {
  if (interrupted) return 'interrupted';
  if (!state.batches.every(agentFinished)) return 'failed';
  if (state.conflicts.length > 0) return 'conflict';
  if (state.batches.some((batch) => batch.status === 'invalid') || state.integration.validation?.ok === false) return 'invalid';
  return state.landed ? 'merged' : 'failed';
}
