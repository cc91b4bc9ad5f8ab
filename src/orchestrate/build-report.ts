// The run's report: report.json (a fixed schema for tools), report.md and the terminal summary. Pure but for
// checking that the logs it names exist.
import { formatDuration } from './parse-duration.js';
import { existsSync } from 'node:fs';
import type { BatchErrorKind, BatchState, BatchStatus, Blame, Conflict, HumanRequest, LandMode, RunState, RunStatus, SuiteRun, ValidateBatches } from './run-state.js';

export interface ReportBatch {
  id: string;
  branch: string;
  status: BatchStatus;
  files: string[];
  changedFiles: string[];
  exitCode: number | null;
  durationMs: number | null;
  /** The agent's log, when it was written (null: the agent never started). */
  log: string | null;
  /** Why the batch did not make it: a stable kind, what happened, and the log that shows it (if one was written). */
  error: { kind: BatchErrorKind; message: string; log: string | null } | null;
  /** needs-human: the calls its agent was refused because they need a person's yes. */
  humanRequests: Array<HumanRequest & { id: string }>;
}

export interface ReportValidation {
  command: string;
  /** When batches were validated on their own (orchestrate.validate_batches). */
  batchesValidated: ValidateBatches;
  batches: Array<{ id: string; ok: boolean; exitCode: number | null; log: string; sameAs: string | null }>;
  integration: { branch: string; ok: boolean; exitCode: number | null; log: string; sameAs: string | null } | null;
  /** Every run of the validate command, in order: the honest count. */
  runs: SuiteRun[];
  /** When the merged result was red: the batch, or the smallest combination, that breaks it. */
  blame: Blame | null;
}

/** Times of the whole run, each for what its name says (ms). */
export interface ReportFigures {
  /** Start of the run to its report. */
  wallMs: number | null;
  /** The agents of this execution, their times added up. */
  agentTimeMs: number | null;
  /** First agent start to last agent end. */
  agentWindowMs: number | null;
  /** Giving worktrees the installed dependencies (the run's store, then every worktree), added up. */
  provisioningMs: number;
  /** The setup command, added up over the worktrees it ran in. */
  setupMs: number;
  /** Every validate run, added up, and how many there were. */
  validationMs: number;
  validationRuns: number;
  /** Checking, merging and landing. */
  mergeMs: number | null;
  /** Estimate: one agent doing every batch in turn in one checkout, then validating once. */
  sequentialEstimateMs: number | null;
  /** sequentialEstimateMs / wallMs: above 1, the run beat doing it in turn. */
  ratio: number | null;
}

export interface Report {
  runId: string;
  status: RunStatus;
  base: string;
  /** The branch that receives the result: the one checked out at the start, or --into. */
  target: string | null;
  /** How the result lands: merge (one merge commit per batch) or squash (one commit). */
  land: LandMode;
  /** The commit the target points at once landed. */
  landedCommit: string | null;
  batches: ReportBatch[];
  conflicts: Conflict[];
  validation: ReportValidation | null;
  figures: ReportFigures;
  /** What to do now, in words fitting the status (null once merged). */
  nextStep: string | null;
}

export function buildReport(state: RunState): Report {
  const command = state.options.validate;
  const validated = state.batches.filter((batch) => batch.validation !== null);
  const integration = state.integration.validation;
  return {
    runId: state.runId,
    status: state.status,
    base: state.base,
    target: state.into ?? state.startBranch,
    land: state.options.land ?? 'merge',
    landedCommit: state.landed ? (state.landedCommit ?? state.integration.head) : null,
    batches: state.batches.map((batch) => ({
      id: batch.id,
      branch: batch.branch,
      status: batch.status,
      files: batch.files,
      changedFiles: batch.changedFiles,
      exitCode: batch.exitCode,
      durationMs: batch.durationMs,
      log: existsSync(batch.log) ? batch.log : null,
      error: batch.error === null || batch.status === 'merged' ? null : { kind: batch.errorKind ?? 'internal', message: batch.error, log: batch.errorLog != null && existsSync(batch.errorLog) ? batch.errorLog : null },
      humanRequests: requestsOf(batch),
    })),
    conflicts: state.conflicts,
    validation:
      command === null
        ? null
        : {
            command,
            batchesValidated: state.options.validateBatches ?? 'always',
            batches: validated.map((batch) => ({ id: batch.id, ok: batch.validation?.ok === true, exitCode: batch.validation?.exitCode ?? null, log: batch.validation?.log ?? '', sameAs: batch.validation?.sameAs ?? null })),
            integration: integration ? { branch: state.integration.branch, ok: integration.ok, exitCode: integration.exitCode, log: integration.log, sameAs: integration.sameAs ?? null } : null,
            runs: state.suiteRuns ?? [],
            blame: state.blame ?? null,
          },
    figures: figuresOf(state),
    nextStep: nextStep(state),
  };
}

/** A batch's requests with the ids `fanout resume --approve` takes. */
export function requestsOf(batch: BatchState): Array<HumanRequest & { id: string }> {
  return (batch.humanRequests ?? []).map((request, i) => ({ id: `${batch.id}-${i + 1}`, ...request }));
}

export function figuresOf(state: RunState): ReportFigures {
  const runs = state.suiteRuns ?? [];
  const records = [...state.batches.map((batch) => batch.provision), state.integration.provision].filter((record) => record != null);
  const provisioningMs = (state.provisioning?.storeMs ?? 0) + records.reduce((sum, record) => sum + record.durationMs, 0);
  const validationMs = runs.reduce((sum, run) => sum + run.durationMs, 0);
  // Validation once: the merged result's run if there was one, else the mean of the runs.
  const merged = runs.find((run) => run.what === '_integration');
  const once = merged?.durationMs ?? (runs.length > 0 ? validationMs / runs.length : 0);
  const agentTimeMs = state.agentTimeMs;
  const sequentialEstimateMs = agentTimeMs === null || agentTimeMs === 0 ? null : Math.round(agentTimeMs + once);
  const ratio = sequentialEstimateMs !== null && state.wallMs ? Math.round((sequentialEstimateMs / state.wallMs) * 100) / 100 : null;
  return {
    wallMs: state.wallMs,
    agentTimeMs,
    agentWindowMs: state.agentWallMs,
    provisioningMs: Math.round(provisioningMs),
    setupMs: Math.round(state.setupMs ?? 0),
    validationMs: Math.round(validationMs),
    validationRuns: runs.length,
    mergeMs: state.mergeMs ?? null,
    sequentialEstimateMs,
    ratio,
  };
}

/** What the user can do now; resume only where re-running agents (or re-validating) can help. */
export function nextStep(state: RunState): string | null {
  const id = state.runId;
  const plan = `\`fanout orchestrate ${state.planPath}\``;
  switch (state.status) {
    case 'merged':
    case 'running':
      return null;
    case 'interrupted':
      return `\`fanout resume ${id}\` re-runs the agents that were stopped; the others' work is kept.`;
    case 'needs-human': {
      const requests = state.batches.flatMap((batch) => (batch.status === 'needs-human' ? requestsOf(batch) : []));
      const ids = requests.map((request) => request.id);
      return `A person must decide ${requests.length === 1 ? 'a request' : `${requests.length} requests`} (${requests.map((request) => `${request.id}: ${request.ruleId}, \`${request.subject}\``).join('; ')}). To allow ${requests.length === 1 ? 'it' : 'them'}: \`fanout resume ${id} --approve ${ids.length === 1 ? ids[0] : 'all'}\` (the agent carries on from its branch and may then run ${requests.length === 1 ? 'it' : 'them'}); or do it yourself on the batch's branch, then \`fanout resume ${id}\`.`;
    }
    case 'failed': {
      const kinds = new Set(state.batches.filter((batch) => batch.status !== 'done' && batch.status !== 'merged').map((batch) => batch.errorKind));
      if (kinds.has('setup') || kinds.has('provision') || kinds.has('worktree')) {
        return `Fix what the error says (the setup command: \`fanout resume ${id} --setup '<command>'\`; provisioning: \`--provision\` or orchestrate.provision), then \`fanout resume ${id}\`.`;
      }
      if (state.batches.every((batch) => batch.status === 'done' || batch.status === 'merged')) return state.error ? `Fix what the error says, then \`fanout resume ${id}\`.` : null;
      return `\`fanout resume ${id}\` re-runs the agents that did not finish (their earlier work is kept on a branch of its own); see their logs first.`;
    }
    case 'invalid': {
      const blame = state.blame;
      const rerun = `\`fanout resume ${id}\` validates again (add \`--validate '<command>'\` if the command itself is wrong)`;
      if (state.integration.validation?.problem !== undefined) return `${state.integration.validation.problem}: fix that, then ${rerun}.`;
      if (blame && blame.culprits.length > 0) {
        const branches = state.batches.filter((batch) => blame.culprits.includes(batch.id)).map((batch) => batch.branch);
        return `Fix ${blame.culprits.length === 1 ? `batch ${blame.culprits[0]}` : `batches ${blame.culprits.join(', ')}`}: commit the fix on ${branches.join(', ')}, then ${rerun}. Or change ${blame.culprits.length === 1 ? 'its' : 'their'} tasks in the plan and run ${plan} again.`;
      }
      if (blame && blame.combination) {
        return `Batches ${blame.combination.join(' + ')} each work alone but break together: make one depend on the other in the plan (depends_on puts them in one batch) and run ${plan} again; or fix the merged result on ${state.integration.branch} yourself.`;
      }
      return `See the validation log${state.integration.validation ? ` (${state.integration.validation.log})` : ''}; fix the batch at fault on its branch, then ${rerun}.`;
    }
    case 'conflict': {
      const scope = state.conflicts.some((conflict) => conflict.kind === 'out-of-scope');
      return `${scope ? "Add the files a batch really needs to its tasks in the plan, or " : ''}make batches that touch the same files depend on each other (depends_on puts them in one batch), then run ${plan} again. The branches keep this run's work; \`fanout cleanup --run ${id}\` removes them when you are done.`;
    }
  }
}

const HEADLINE: Record<RunStatus, string> = {
  running: 'still running',
  merged: 'merged',
  failed: 'failed: at least one agent did not finish its batch',
  conflict: 'conflict: batches overlap or would not merge; nothing was merged',
  invalid: 'invalid: validation failed; nothing was merged',
  'needs-human': "needs a human: an agent was refused a call only a person can allow; nothing was merged, all work is kept",
  interrupted: 'interrupted: agents were stopped and their work committed',
};

/** Where the result (or each batch's work) is, in words. */
export function outcomeLines(state: RunState): string[] {
  const lines: string[] = [];
  const target = state.into ?? state.startBranch ?? '(detached HEAD)';
  if (state.landed) {
    const commit = short(state.landedCommit ?? state.integration.head);
    const what = state.options.land === 'squash' ? 'one commit holding every batch' : 'every batch is merged there';
    lines.push(state.into ? `The result is on the new branch ${state.into} (${commit}, ${what}); ${state.startBranch ?? 'your branch'} is untouched.` : `${target} was fast-forwarded to ${commit}: ${what}.`);
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
  const lines = [`fanout run ${state.runId}: ${HEADLINE[state.status]}`, ...table(['batch', 'status', 'time', 'files', 'alone', 'branch'], rows)];
  const why = report.batches.filter((batch) => batch.error !== null);
  if (why.length > 0) lines.push('', 'Why:', ...why.map((batch) => `  ${batch.id} [${batch.error?.kind}]: ${batch.error?.message}`));
  const requests = report.batches.flatMap((batch) => batch.humanRequests.map((request) => ({ batch: batch.id, request })));
  if (requests.length > 0 && state.status !== 'merged') lines.push('', 'Needs a human:', ...requests.map(({ batch, request }) => `  ${request.id} (${batch}): ${request.ruleId}: ${request.tool} \`${request.subject}\`: ${request.reason}`));
  if (report.conflicts.length > 0) lines.push('', 'Conflicts:', ...report.conflicts.map((c) => `  ${c.kind}: ${c.message}`));
  if (report.validation) lines.push('', ...validationLines(report.validation));
  lines.push('', ...outcomeLines(state));
  if (report.nextStep) lines.push(`Next: ${report.nextStep}`);
  lines.push(...figureLines(report.figures), `Report: ${reportPath}`);
  return lines.join('\n');
}

/** The validate command's runs, the merged result's verdict and what the search for a culprit found. */
function validationLines(validation: ReportValidation): string[] {
  const runs = validation.runs;
  const lines = [`Validation: \`${validation.command}\` ran ${runs.length} time${runs.length === 1 ? '' : 's'} (${runs.map((run) => `${run.what === '_integration' ? 'merged result' : run.what} ${run.ok ? 'green' : 'red'} ${formatDuration(run.durationMs)}`).join(', ') || 'none'})`];
  const merged = validation.integration;
  if (merged) lines.push(`  merged result on ${merged.branch}: ${merged.ok ? 'green' : 'red'}${merged.sameAs ? ` (the same tree as batch ${merged.sameAs}: not run again)` : ''}`);
  if (validation.blame) lines.push(`  ${validation.blame.message}`);
  else if (merged && !merged.ok && validation.batchesValidated === 'never') lines.push('  batches were not validated on their own (validate_batches: never)');
  return lines;
}

/** Every figure labelled for what it is. */
export function figureLines(figures: ReportFigures): string[] {
  const ms = (value: number | null) => (value === null ? '-' : formatDuration(value));
  const parts = [
    `wall ${ms(figures.wallMs)}`,
    figures.agentTimeMs === null ? undefined : `agents ${ms(figures.agentTimeMs)} added up (${ms(figures.agentWindowMs)} first start to last end)`,
    figures.provisioningMs > 0 ? `provisioning ${ms(figures.provisioningMs)} added up` : undefined,
    figures.setupMs > 0 ? `setup ${ms(figures.setupMs)} added up` : undefined,
    `validation ${ms(figures.validationMs)} in ${figures.validationRuns} run${figures.validationRuns === 1 ? '' : 's'}`,
    figures.mergeMs === null ? undefined : `check + merge + land ${ms(figures.mergeMs)}`,
  ].filter((part) => part !== undefined);
  const lines = [`Time: ${parts.join('; ')}`];
  if (figures.sequentialEstimateMs !== null && figures.ratio !== null) {
    lines.push(`Against one agent doing every batch in turn, validating once (estimate, ${ms(figures.sequentialEstimateMs)}): ${figures.ratio >= 1 ? `${figures.ratio}× faster` : `${Math.round((1 / figures.ratio) * 100) / 100}× slower`}`);
  }
  return lines;
}

export function formatReportMarkdown(state: RunState, report: Report): string {
  const esc = (text: string) => text.replace(/\|/g, '\\|').replace(/`/g, "'");
  const lines = [
    `# fanout run ${state.runId}: ${report.status}`,
    '',
    `- Plan: ${state.title} (\`${esc(state.planPath)}\`)`,
    `- Base: \`${state.base}\``,
    `- Target: ${report.target ?? '(none)'}${state.landed ? ` (landed: ${report.land === 'squash' ? 'one squashed commit' : 'one merge per batch'})` : ' (not changed)'}`,
    `- Started: ${state.startedAt}${state.finishedAt ? `, finished: ${state.finishedAt}` : ''}`,
    ...figureLines(report.figures).map((line) => `- ${esc(line)}`),
    '',
    '## Batches',
    '',
    '| batch | status | exit | time | changed / declared | branch | log |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...report.batches.map(
      (b, i) => `| ${b.id} | ${b.status} | ${b.exitCode ?? (state.batches[i]?.timedOut ? 'timeout' : '-')} | ${b.durationMs === null ? '-' : formatDuration(b.durationMs)} | ${b.changedFiles.length} / ${b.files.length} | \`${b.branch}\` | ${b.log === null ? '-' : `\`${esc(b.log)}\``} |`,
    ),
  ];
  for (const batch of report.batches) {
    if (batch.error) lines.push('', `- ${batch.id} (${batch.error.kind}): ${esc(batch.error.message)}${batch.error.log ? ` (log \`${esc(batch.error.log)}\`)` : ''}`);
    for (const request of batch.humanRequests) lines.push(`  - request ${request.id}: ${request.ruleId}, ${request.tool} \`${esc(request.subject)}\`: ${esc(request.reason)}`);
  }
  lines.push('', '## Conflicts', '');
  lines.push(...(report.conflicts.length === 0 ? ['None.'] : report.conflicts.map((c) => `- **${c.kind}** (${c.batches.join(', ')}): ${esc(c.message)}`)));
  lines.push('', '## Validation', '');
  if (report.validation === null) lines.push('No validate command.');
  else {
    lines.push(`Command: \`${esc(report.validation.command)}\` (batches on their own: ${report.validation.batchesValidated})`, '');
    for (const run of report.validation.runs) lines.push(`- ${run.what === '_integration' ? 'merged result' : run.what}: ${run.ok ? 'green' : 'red'} in ${formatDuration(run.durationMs)}, log \`${esc(run.log)}\``);
    if (report.validation.integration?.sameAs) lines.push(`- merged result: the same tree as batch ${report.validation.integration.sameAs}, not run again`);
    if (report.validation.blame) lines.push('', esc(report.validation.blame.message));
  }
  lines.push('', '## Where things are', '', ...outcomeLines(state).map((line) => `- ${esc(line)}`));
  if (report.nextStep) lines.push('', '## Next', '', esc(report.nextStep));
  lines.push('');
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
