// `fanout plan <file>`: validate a plan and show how the complexity gate sizes it.
import { resolve } from 'node:path';
import { appendLedger } from '../../hooks/ledger.js';
import { nodeFs } from '../../util/node-fs.js';
import { FanoutError, UsageError } from '../../util/errors.js';
import { parseFlags, type Command } from '../command.js';

const usage = `Usage: fanout plan <file> [--json] [--max-agents N] [--write-canonical <out>]

Validates a plan (canonical front matter or the human template) and sizes it:
direct (build it here), sequential (one agent) or parallel (batches for fanout orchestrate).

Options:
  --json                    print {decision, reason, recommendation, files, tasks, components, batches}
  --max-agents N            at most N parallel batches (default: gate.max_agents of the constraints file, else 4)
  --write-canonical <out>   save the plan in the canonical form (converts a human-template plan)

Exit: 0 valid plan, 1 invalid plan (one line per issue: file:line: field: message), 2 usage error.`;

export const command: Command = {
  usage,
  async run(argv) {
    const { values, positionals } = parseFlags('plan', argv, {
      json: { type: 'boolean' },
      'max-agents': { type: 'string' },
      'write-canonical': { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'plan: missing the plan file' : `plan: expected one plan file, got ${positionals.length}`, 'run `fanout plan <file>`, e.g. `fanout plan .fanout/plans/reset.md`');
    const file = positionals[0] ?? '';
    const maxAgents = values['max-agents'] === undefined ? undefined : parseMaxAgents(values['max-agents']);
    const out = values['write-canonical'];
    if (out !== undefined && resolve(out) === resolve(file)) {
      throw new UsageError('plan: --write-canonical would overwrite the plan it converts', 'write the canonical form to another file');
    }

    const { loadConstraints } = await import('../../constraints/read-constraints.js');
    const loaded = await loadConstraints(process.cwd());
    if ('error' in loaded) {
      throw new FanoutError('constraints-invalid', `the constraints file is invalid, so the gate's thresholds are unknown:\n${loaded.error}`, {
        hint: `fix ${loaded.file} (or delete it to use the defaults), then run fanout plan again`,
      });
    }
    const { readPlan, sizePlan, formatPlanIssues } = await import('../../plan/index.js');
    const parsed = await readPlan(file, loaded.repoRoot);
    if (!parsed.ok) {
      process.stderr.write(`${formatPlanIssues(file, parsed.issues)}\n`);
      process.stderr.write(`fanout: ${file} is not a valid plan (${parsed.issues.length} issue${parsed.issues.length === 1 ? '' : 's'}); fix the lines above (format: docs/plan-format.md)\n`);
      return 1;
    }
    const { plan } = parsed;
    const sizing = sizePlan(plan, { ...loaded.constraints.gate, ...(maxAgents === undefined ? {} : { maxAgents }) });
    await recordSizing(loaded.commonDir, resolve(file), sizing);

    if (out !== undefined) {
      const { writePlan } = await import('../../plan/write-plan.js');
      await writePlan(out, plan);
      if (!values.json) process.stderr.write(`fanout: wrote the canonical plan to ${out}\n`);
    }

    if (values.json) {
      const json = {
        decision: sizing.decision,
        reason: sizing.reason,
        recommendation: sizing.recommendation,
        files: sizing.files,
        tasks: sizing.tasks,
        components: sizing.components,
        batches: sizing.batches.map((batch) => ({ id: batch.id, tasks: batch.tasks.map((task) => task.id), files: batch.files })),
      };
      process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
      return 0;
    }

    const lines = [
      `Plan:      ${plan.title} (${file}${plan.format === 'human' ? ', converted from the human template' : ''})`,
      `Decision:  ${sizing.decision}`,
      `Reason:    ${sizing.reason}`,
      `Next:      ${sizing.recommendation}`,
      '',
      `Components (${sizing.components.length})`,
      ...table(
        ['#', 'tasks', 'files', 'order'],
        sizing.components.map((c, i) => [String(i + 1), String(c.tasks.length), String(c.files.length), arrow(c.tasks)]),
      ),
      '',
      `Batches (${sizing.batches.length}${sizing.decision === 'parallel' ? `, at most ${sizing.batches.length} agents` : ', one agent or none'})`,
      ...table(
        ['batch', 'tasks', 'files', 'order'],
        sizing.batches.map((b) => [b.id, String(b.tasks.length), String(b.files.length), arrow(b.tasks.map((t) => t.id))]),
      ),
    ];
    if (plan.format === 'human' && out === undefined) lines.push('', 'Save it in the canonical form with --write-canonical <out>.');
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  },
};

/** The ledger entry lets the guard tell an approved parallel plan from ad-hoc parallelism later in the session. */
async function recordSizing(commonDir: string, planPath: string, sizing: { decision: 'direct' | 'sequential' | 'parallel'; reason: string }): Promise<void> {
  const session = process.env['CLAUDE_CODE_SESSION_ID'];
  try {
    await appendLedger(nodeFs, commonDir, {
      type: 'plan',
      time: new Date().toISOString(),
      ...(session ? { session } : {}),
      plan: planPath,
      decision: sizing.decision,
      reason: sizing.reason,
    });
  } catch (error) {
    process.stderr.write(`fanout: could not record the sizing in the run ledger (${(error as NodeJS.ErrnoException).code ?? String(error)}); the gate will not know this plan\n`);
  }
}

function parseMaxAgents(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 64) throw new UsageError(`plan: --max-agents must be a whole number from 1 to 64, got '${value}'`);
  return n;
}

function arrow(ids: readonly string[]): string {
  return ids.length <= 6 ? ids.join(' → ') : `${ids.slice(0, 6).join(' → ')} → … (${ids.length - 6} more)`;
}

function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
  const format = (cells: string[]) => `  ${cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c] ?? 0))).join('  ')}`.trimEnd();
  return [format(header), ...rows.map(format)];
}
