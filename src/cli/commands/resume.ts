// `fanout resume <run-id>`: re-run the failed batches of a run, then check, validate, merge and clean up.
import { UsageError } from '../../util/errors.js';
import { parseFlags, type Command } from '../command.js';
import { RUN_FLAGS, runOverrides } from './orchestrate.js';

const usage = `Usage: fanout resume <run-id> [options]

Re-runs only the batches whose agent failed, timed out or was interrupted, each from the run's base commit
(a failed attempt's commits stay on fanout/<run-id>/<batch>-attempt-N), then does the rest of the run for
every batch: collect, check for conflicts, validate, merge, land, clean up, report.

Options (as for orchestrate; unset ones keep the run's values):
  --agent '<cmd>'  --concurrency N  --validate '<cmd>'  --setup '<cmd>'  --provision <how>  --timeout <duration>
  --into <branch>  --keep-worktrees  --dry-run  --json

\`fanout status\` lists the runs. Exit codes as for orchestrate.`;

export const command: Command = {
  usage,
  async run(argv) {
    const { values, positionals } = parseFlags('resume', argv, RUN_FLAGS);
    if (positionals.length !== 1) throw new UsageError('resume: expected one run id', 'run `fanout status` to list the runs, then `fanout resume <run-id>`');
    const overrides = await runOverrides('resume', values);
    const { resumeRun } = await import('../../orchestrate/index.js');
    const outcome = await resumeRun({ ...overrides, cwd: process.cwd(), runId: positionals[0] ?? '', into: values.into, dryRun: values['dry-run'] }, { progress: process.stderr, tty: process.stderr.isTTY === true, handleSignals: true });
    if ('dryRun' in outcome) {
      const text = [
        `Dry run: nothing was changed.`,
        `Run ${outcome.runId} from ${outcome.base}, landing on ${outcome.target ?? '(none)'}`,
        `Re-run:      ${outcome.rerun.join(', ') || '(none)'} with ${outcome.agent}`,
        `Re-check:    ${outcome.recheck.join(', ') || '(none)'}`,
        `Validate:    ${outcome.validate ?? '(none)'}`,
      ].join('\n');
      process.stdout.write(values.json ? `${JSON.stringify(outcome, null, 2)}\n` : `${text}\n`);
      return 0;
    }
    process.stdout.write(values.json ? `${JSON.stringify(outcome.report, null, 2)}\n` : `${outcome.summary}\n`);
    return outcome.exitCode;
  },
};
