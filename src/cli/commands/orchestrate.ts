// `fanout orchestrate <plan>`: the worktree fan-out. Progress on stderr, the report on stdout.
import { UsageError } from '../../util/errors.js';
import type { DryRun } from '../../orchestrate/index.js';
import { parseFlags, type Command } from '../command.js';

const usage = `Usage: fanout orchestrate <plan> [options]

Runs a parallel plan: one git worktree and branch per batch, an agent in each, then checks every branch
against the others, validates, merges and cleans up. The branch you are on moves only if every batch
succeeded, nothing conflicts and validation is green; otherwise it and your working tree are untouched.

Options:
  --agent '<cmd>'        the agent; the prompt is appended as its last argument
                         (default: claude -p … --settings <fanout's guard + a scope hook>)
  --concurrency N        agents at once (default: the number of batches, at most max_agents)
  --max-agents N         at most N parallel batches (default: gate.max_agents of the constraints file, else 4)
  --validate '<cmd>'     run in each worktree, then on the merged result (default: the plan's); '' for none
  --setup '<cmd>'        run in each new worktree before its agent (after provisioning), e.g. 'make gen'
  --provision <how>      how worktrees get the installed dependencies and other ignored paths:
                         auto (default: reflink where the filesystem has it, else hardlink), reflink,
                         hardlink, copy, symlink or none; what to carry: orchestrate.provision
  --timeout <duration>   per agent and per validate run: 90s, 10m, 1h (default: 30m)
  --into <branch>        leave the result on this new branch instead of moving the current one
  --keep-worktrees       keep the worktrees (and their branches) after the run
  --dry-run              print what would happen; create nothing
  --force                fan out even when the complexity gate says direct or sequential
  --json                 print the final report as JSON on stdout (progress stays on stderr)

Commands are split into words the way a shell splits them ('…', "…", backslashes) but never run through
a shell: pipes, redirections, $ and backticks are refused; put such steps in a script.
Defaults may come from the constraints file (orchestrate: {agent, validate, timeout, concurrency, setup, provision}).
Every worktree gets the main checkout's installed dependencies (every node_modules, .venv, venv) and the
files .worktreeinclude names, and its own block of ports (FANOUT_PORT_BASE, PORT); --dry-run lists them.
Run state, logs and reports: <git common dir>/fanout/runs/<run-id>/; worktrees: <repo>.fanout/<run-id>/ beside the repo.

Exit: 0 merged; 1 failed, conflict, invalid or refused; 2 usage error; 130 / 143 / 129 interrupted (SIGINT / SIGTERM / SIGHUP).`;

export const RUN_FLAGS = {
  agent: { type: 'string' },
  concurrency: { type: 'string' },
  validate: { type: 'string' },
  setup: { type: 'string' },
  provision: { type: 'string' },
  timeout: { type: 'string' },
  into: { type: 'string' },
  'keep-worktrees': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

export interface RunFlagValues {
  agent?: string | undefined;
  concurrency?: string | undefined;
  validate?: string | undefined;
  setup?: string | undefined;
  provision?: string | undefined;
  timeout?: string | undefined;
  'keep-worktrees'?: boolean | undefined;
}

/** Flags shared by orchestrate and resume, checked here so a typo never starts a run. */
export async function runOverrides(command: string, values: RunFlagValues) {
  const { splitWords, parseDuration } = await import('../../orchestrate/index.js');
  let agent: string[] | undefined;
  if (values.agent !== undefined) {
    const split = splitWords(values.agent);
    if (!split.ok) throw new UsageError(`${command}: --agent: ${split.message}`, "example: --agent 'node scripts/my-agent.mjs --fast'");
    agent = split.words;
  }
  for (const flag of ['validate', 'setup'] as const) {
    const value = values[flag];
    if (value === undefined || value.trim() === '') continue;
    const split = splitWords(value);
    if (!split.ok) throw new UsageError(`${command}: --${flag}: ${split.message}`, `example: --${flag} 'npm test'`);
  }
  const hows = ['auto', 'reflink', 'hardlink', 'copy', 'symlink', 'none'] as const;
  const provision = values.provision === undefined ? undefined : hows.find((how) => how === values.provision);
  if (values.provision !== undefined && provision === undefined) throw new UsageError(`${command}: --provision must be one of ${hows.join(', ')}, got '${values.provision}'`);
  let timeoutMs: number | undefined;
  if (values.timeout !== undefined) {
    timeoutMs = parseDuration(values.timeout);
    if (timeoutMs === undefined) throw new UsageError(`${command}: --timeout must be a duration like 90s, 10m or 1h (at most 596h), got '${values.timeout}'`);
  }
  return {
    agent,
    validate: values.validate,
    setup: values.setup,
    timeoutMs,
    concurrency: values.concurrency === undefined ? undefined : count(command, '--concurrency', values.concurrency),
    keepWorktrees: values['keep-worktrees'],
    provision,
  };
}

export function count(command: string, flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 64) throw new UsageError(`${command}: ${flag} must be a whole number from 1 to 64, got '${value}'`);
  return n;
}

export const command: Command = {
  usage,
  async run(argv) {
    const { values, positionals } = parseFlags('orchestrate', argv, { ...RUN_FLAGS, 'max-agents': { type: 'string' }, force: { type: 'boolean' } });
    if (positionals.length !== 1) {
      throw new UsageError(positionals.length === 0 ? 'orchestrate: missing the plan file' : `orchestrate: expected one plan file, got ${positionals.length}`, 'run `fanout orchestrate <plan.md>`; `fanout plan <plan.md>` checks a plan first');
    }
    const overrides = await runOverrides('orchestrate', values);
    const maxAgents = values['max-agents'] === undefined ? undefined : count('orchestrate', '--max-agents', values['max-agents']);
    const { orchestrate, formatDuration } = await import('../../orchestrate/index.js');
    const outcome = await orchestrate(
      { ...overrides, cwd: process.cwd(), planPath: positionals[0] ?? '', maxAgents, into: values.into, dryRun: values['dry-run'], force: values.force },
      { progress: process.stderr, tty: process.stderr.isTTY === true, handleSignals: true },
    );
    if ('dryRun' in outcome) {
      process.stdout.write(values.json ? `${JSON.stringify(outcome, null, 2)}\n` : `${formatDryRun(outcome, formatDuration)}\n`);
      return 0;
    }
    process.stdout.write(values.json ? `${JSON.stringify(outcome.report, null, 2)}\n` : `${outcome.summary}\n`);
    return outcome.exitCode;
  },
};

function formatDryRun(dry: DryRun, formatDuration: (ms: number) => string): string {
  const ports = (block: { base: number; count: number } | null) => (block === null ? '(none)' : `${block.base}-${block.base + block.count - 1} (PORT=${block.base})`);
  const lines = [
    `Dry run: nothing was created.`,
    `Gate:        ${dry.reason}${dry.forced ? ' (overridden by --force)' : ''}`,
    `Base:        ${dry.base} (${dry.repoRoot})`,
    `Lands on:    ${dry.target ?? '(none)'}`,
    `Agent:       ${dry.agent}`,
    `Validate:    ${dry.validate ?? '(none)'}`,
    ...(dry.setup === null ? [] : [`Setup:       ${dry.setup}`]),
    `Timeout:     ${formatDuration(dry.timeoutMs)} per agent`,
    `Concurrency: ${dry.concurrency}`,
    `Run dir:     ${dry.runDir} (run id ${dry.runId} is an example)`,
    '',
  ];
  if (dry.provision.items.length === 0) lines.push(`Every worktree gets: the checkout only (orchestrate.provision: ${dry.provision.how}).`);
  else {
    lines.push(`Every worktree gets, besides the checkout (orchestrate.provision: ${dry.provision.how}${dry.provision.method !== null && dry.provision.method !== dry.provision.how ? ` → ${dry.provision.method} here` : ''}):`);
    const width = Math.max(...dry.provision.items.map((item) => item.path.length + (item.kind === 'dir' ? 1 : 0)));
    for (const item of dry.provision.items) {
      const how = item.kind === 'file' ? 'copied' : HOW_WORDS[dry.provision.method ?? ''] ?? dry.provision.method ?? '';
      const size = item.kind === 'dir' ? `${item.files.toLocaleString('en-US')} files, ${(item.bytes / 1048576).toFixed(1)} MiB` : `${item.bytes.toLocaleString('en-US')} bytes`;
      lines.push(`  ${`${item.path}${item.kind === 'dir' ? '/' : ''}`.padEnd(width)}  ${item.why.padEnd(16)}  ${size}, ${how}`);
    }
    lines.push('  (never agent work: excluded from every batch\'s commit and checks; change it with orchestrate.provision, see docs/orchestrate.md)');
  }
  if (dry.untracked.length > 0) lines.push(`Untracked:   ${dry.untracked.join(', ')} (left as they are)`);
  lines.push('', `Batches (${dry.batches.length}):`);
  for (const batch of dry.batches) {
    lines.push(`  ${batch.id}`, `    branch:   ${batch.branch}`, `    worktree: ${batch.worktree}`, `    ports:    ${ports(batch.ports)}`, `    tasks:    ${batch.tasks.join(' → ')}`, `    files:    ${batch.files.join(', ')}`);
  }
  lines.push('', `Then: check every branch pairwise with git merge-tree, validate, merge into ${dry.integrationBranch}, validate again (ports ${ports(dry.integrationPorts)}), fast-forward ${dry.target ?? 'the target'}.`);
  for (const note of dry.notes) lines.push(`Note: ${note}`);
  for (const warning of dry.warnings) lines.push(`Guard warning: ${warning}`);
  return lines.join('\n');
}

const HOW_WORDS: Record<string, string> = {
  reflink: 'cloned (copy-on-write)',
  hardlink: 'hard-linked to one copy made per run',
  copy: 'copied',
  symlink: 'symlinked to your checkout (not isolated)',
};
