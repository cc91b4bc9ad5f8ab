// The fanout CLI: dispatches to subcommands, each loaded only when called.
import { FanoutError, UsageError, formatError, isFanoutError } from '../util/errors.js';
import type { Command } from './command.js';

const commands: Record<string, { summary: string; load: () => Promise<{ command: Command }> }> = {
  check: { summary: 'ask the guard about a shell command or a file write', load: () => import('./commands/check.js') },
  plan: { summary: 'validate and size a plan: direct, sequential or parallel', load: () => import('./commands/plan.js') },
  orchestrate: { summary: 'run a parallel plan: worktrees, agents, validation, merge', load: () => import('./commands/orchestrate.js') },
  status: { summary: 'show active and past orchestrator runs', load: () => import('./commands/status.js') },
  resume: { summary: 're-run the failed batches of a run, then merge', load: () => import('./commands/resume.js') },
  cleanup: { summary: 'remove leftover worktrees and merged branches of runs', load: () => import('./commands/cleanup.js') },
  demo: { summary: 'run the whole pipeline on a throwaway repo with an offline agent', load: () => import('./commands/demo.js') },
  init: { summary: 'install fanout into a repo (.claude/): hooks, commands, constraints', load: () => import('./commands/init.js') },
  uninstall: { summary: 'remove what fanout init added', load: () => import('./commands/uninstall.js') },
  doctor: { summary: 'check node, git, settings wiring and the constraints file', load: () => import('./commands/doctor.js') },
  hook: { summary: 'Claude Code hook entry (pre-tool-use, post-tool-use, session-start, user-prompt-submit, user-prompt-expansion)', load: () => import('./commands/hook.js') },
};

export const VERSION = '0.1.0';

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`);
  return [
    'Usage: fanout <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `fanout <command> --help` for a command\'s options.',
  ].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return 0;
  }
  if (name === '--version' || name === '-v') {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  const entry = commands[name];
  if (!entry) throw new UsageError(`unknown command '${name}'`, 'run `fanout --help` to list the commands');
  const { command } = await entry.load();
  if (rest.includes('--help') || rest.includes('-h')) {
    const dashDash = rest.indexOf('--');
    const helpAt = Math.max(rest.indexOf('--help'), rest.indexOf('-h'));
    if (dashDash === -1 || helpAt < dashDash) {
      process.stdout.write(`${command.usage}\n`);
      return 0;
    }
  }
  return command.run(rest);
}

function report(error: unknown): number {
  if (error instanceof UsageError) {
    process.stderr.write(`${formatError(error)}\n`);
    return 2;
  }
  if (isFanoutError(error)) {
    process.stderr.write(`${formatError(error)}\n`);
    return error instanceof FanoutError && typeof error.data?.['exitCode'] === 'number' ? (error.data['exitCode'] as number) : 1;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`fanout: internal error, please report it with the lines below\n${stack}\n`);
  return 70;
}

// A closed stdout or stderr (`fanout orchestrate … | head`, a terminal that went away) must not kill a run
// half-way, leaving worktrees and agents behind: the output is dropped and the run finishes and cleans up.
for (const stream of [process.stdout, process.stderr]) stream.on('error', () => undefined);

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.exitCode = report(error);
  },
);
