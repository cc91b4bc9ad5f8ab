// The run's report: report.json (a fixed schema for tools), report.md and the terminal summary. Pure.
import { formatDuration } from './parse-duration.js';
import type { BatchStatus, Conflict, RunState, RunStatus } from './run-state.js';

export interface ReportBatch {
  id: string;
  branch: string;
  status: BatchStatus;
  files: string[];
  changedFiles: string[];
  exitCode: number | null;
  durationMs: number | null;
  log: string;
}

export interface ReportValidation {
  command: string;
  batches: Array<{ id: string; ok: boolean; exitCode: number | null; log: string }>;
  integration: { branch: string; ok: boolean; exitCode: number | null; log: string } | null;
}

export interface Report {
  runId: string;
  status: RunStatus;
  base: string;
  /** The branch that receives the result: the one checked out at the start, or --into. */
  target: string | null;
  batches: ReportBatch[];
  conflicts: Conflict[];
  validation: ReportValidation | null;
  /** Sum of the agents' times / wall time from the first agent start to the last agent end. */
  speedup: number | null;
}

export function buildReport(state: RunState): Report {
  const agentTime = state.agentTimeMs ?? 0;
  const speedup = state.agentWallMs && state.agentWallMs > 0 && agentTime > 0 ? Math.round((agentTime / state.agentWallMs) * 100) / 100 : null;
  const command = state.options.validate;
  const validated = state.batches.filter((batch) => batch.validation !== null);
  const integration = state.integration.validation;
  return {
    runId: state.runId,
    status: state.status,
    base: state.base,
    target: state.into ?? state.startBranch,
    batches: state.batches.map((batch) => ({
      id: batch.id,
      branch: batch.branch,
      status: batch.status,
      files: batch.files,
      changedFiles: batch.changedFiles,
      exitCode: batch.exitCode,
      durationMs: batch.durationMs,
      log: batch.log,
    })),
    conflicts: state.conflicts,
    validation:
      command === null
        ? null
        : {
            command,
            batches: validated.map((batch) => ({ id: batch.id, ok: batch.validation?.ok === true, exitCode: batch.validation?.exitCode ?? null, log: batch.validation?.log ?? '' })),
            integration: integration ? { branch: state.integration.branch, ok: integration.ok, exitCode: integration.exitCode, log: integration.log } : null,
          },
    speedup,
  };
}

const HEADLINE: Record<RunStatus, string> = {
  running: 'still running',
  merged: 'merged',
  failed: 'failed: at least one agent did not finish its batch',
  conflict: 'conflict: batches overlap or would not merge; nothing was merged',
  invalid: 'invalid: validation failed; nothing was merged',
  interrupted: 'interrupted: agents were stopped and their work committed',
};

/** Where the result (or each batch's work) is, in words. */
export function outcomeLines(state: RunState): string[] {
  const lines: string[] = [];
  const target = state.into ?? state.startBranch ?? '(detached HEAD)';
  if (state.landed) {
    lines.push(state.into ? `The result is on the new branch ${state.into} (${short(state.integration.head)}); ${state.startBranch ?? 'your branch'} is untouched.` : `${target} was fast-forwarded to ${short(state.integration.head)}: every batch is merged there.`);
  } else {
    lines.push(`${state.into ? `${state.into} was not created` : `${target} and your working tree are untouched`}.`);
    if (state.error) lines.push(`Error: ${state.error}`);
    if (state.integration.head) lines.push(`The merged result is on ${state.integration.branch} (${short(state.integration.head)}).`);
  }
  lines.push(...state.notes);
  return lines;
}

export function formatReportTable(state: RunState, report: Report, reportPath: string): string {
  const rows = state.batches.map((batch) => [
    batch.id,
    batch.status,
    batch.durationMs === null ? '-' : formatDuration(batch.durationMs),
    `${batch.changedFiles.length}/${batch.files.length}`,
    batch.validation === null ? '-' : batch.validation.ok ? 'green' : 'red',
    batch.branch,
  ]);
  const lines = [`fanout run ${state.runId}: ${HEADLINE[state.status]}`, ...table(['batch', 'status', 'time', 'files', 'validate', 'branch'], rows)];
  if (report.conflicts.length > 0) lines.push('', 'Conflicts:', ...report.conflicts.map((c) => `  ${c.kind}: ${c.message}`));
  if (state.integration.validation) lines.push('', `Integration: \`${state.options.validate}\` ${state.integration.validation.ok ? 'green' : 'red'} on ${state.integration.branch}`);
  lines.push('', ...outcomeLines(state));
  const timing = [state.wallMs === null ? undefined : `wall ${formatDuration(state.wallMs)}`, report.speedup === null ? undefined : `speedup ${report.speedup}×`].filter(Boolean).join(', ');
  if (timing) lines.push(`Time: ${timing}`);
  lines.push(`Report: ${reportPath}`);
  return lines.join('\n');
}

export function formatReportMarkdown(state: RunState, report: Report): string {
  const esc = (text: string) => text.replace(/\|/g, '\\|').replace(/`/g, "'");
  const lines = [
    `# fanout run ${state.runId}: ${report.status}`,
    '',
    `- Plan: ${state.title} (\`${esc(state.planPath)}\`)`,
    `- Base: \`${state.base}\``,
    `- Target: ${report.target ?? '(none)'}${state.landed ? ' (landed)' : ' (not changed)'}`,
    `- Started: ${state.startedAt}${state.finishedAt ? `, finished: ${state.finishedAt}` : ''}`,
    `- Speedup: ${report.speedup ?? 'n/a'}`,
    '',
    '## Batches',
    '',
    '| batch | status | exit | time | changed / declared | branch | log |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...state.batches.map(
      (b) => `| ${b.id} | ${b.status} | ${b.exitCode ?? (b.timedOut ? 'timeout' : '-')} | ${b.durationMs === null ? '-' : formatDuration(b.durationMs)} | ${b.changedFiles.length} / ${b.files.length} | \`${b.branch}\` | \`${esc(b.log)}\` |`,
    ),
  ];
  for (const batch of state.batches) {
    if (batch.error) lines.push('', `- ${batch.id}: ${esc(batch.error)}`);
  }
  lines.push('', '## Conflicts', '');
  lines.push(...(report.conflicts.length === 0 ? ['None.'] : report.conflicts.map((c) => `- **${c.kind}** (${c.batches.join(', ')}): ${esc(c.message)}`)));
  lines.push('', '## Validation', '');
  if (report.validation === null) lines.push('No validate command.');
  else {
    lines.push(`Command: \`${esc(report.validation.command)}\``, '');
    for (const v of report.validation.batches) lines.push(`- ${v.id}: ${v.ok ? 'green' : `red (exit ${v.exitCode ?? '-'})`}, log \`${esc(v.log)}\``);
    if (report.validation.integration) lines.push(`- integration (${report.validation.integration.branch}): ${report.validation.integration.ok ? 'green' : `red (exit ${report.validation.integration.exitCode ?? '-'})`}, log \`${esc(report.validation.integration.log)}\``);
  }
  lines.push('', '## Where things are', '', ...outcomeLines(state).map((line) => `- ${esc(line)}`), '');
  return lines.join('\n');
}

function short(commit: string | null): string {
  return commit ? commit.slice(0, 10) : '?';
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const format = (cells: string[]) => `  ${cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c] ?? 0))).join('  ')}`.trimEnd();
  return [format(header), ...rows.map(format)];
}
