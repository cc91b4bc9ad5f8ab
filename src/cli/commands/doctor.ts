// `fanout doctor`: node, git, wiring, bundle, constraints and a dry hook call, each problem with its fix.
import { resolve } from 'node:path';
import { UsageError } from '../../util/errors.js';
import { parseFlags, type Command } from '../command.js';

const usage = `Usage: fanout doctor [--dir DIR] [--json] [--constraints]

Checks that fanout can work in a repository and says how to fix what is wrong:
  node         version 20 or later
  git          present; 2.38+ for merge-tree --write-tree (older: a warning, orchestrate refuses to run)
  wiring       fanout's hooks in .claude/settings.json (per repo) or the fanout plugin enabled
  guard-path   plugin only: whether its hooks module judges tool calls in-process here (seen in its data dir)
               or the PreToolUse command hook judges them in node
  bundle       .claude/fanout/ complete (hook.cjs, its chunks, cli.mjs) and the same build as this CLI
  constraints  .claude/constraints.md valid (the same line-accurate errors the hook gives), or absent (defaults)
  dry-run      the installed hook allows \`git status\` and denies \`rm -rf ~\`

Options:
  --dir DIR       the repository (default: the git repository around the current directory)
  --json          print the checks as JSON: [{id, level: ok|warn|problem, summary, detail?, fix?}]
  --constraints   print the constraints in force and where they come from, instead of the checks

Exit: 0 no problems (warnings allowed), 1 a problem (or invalid constraints with --constraints).`;

export const command: Command = {
  usage,
  async run(argv) {
    const { values, positionals } = parseFlags('doctor', argv, { dir: { type: 'string' }, json: { type: 'boolean' }, constraints: { type: 'boolean' } });
    if (positionals.length > 0) throw new UsageError(`doctor: unexpected argument '${positionals[0]}'`, 'pass the repository with --dir <path>');
    const { findRepo } = await import('../../constraints/find-repo.js');
    const { nodeFs } = await import('../../util/node-fs.js');
    const root = values.dir === undefined ? (await findRepo(process.cwd(), {}, nodeFs)).repoRoot : resolve(values.dir);

    if (values.constraints) {
      const { loadConstraints } = await import('../../constraints/read-constraints.js');
      const { formatConstraints } = await import('../../install/format-constraints.js');
      const loaded = await loadConstraints(root);
      if ('error' in loaded) {
        const text = `${loaded.file} is invalid, so the guard denies every tool call until it is fixed:\n${loaded.error}\nfix: correct the lines above, or delete the file to use the built-in defaults`;
        if (values.json) process.stdout.write(`${JSON.stringify({ ok: false, file: loaded.file, error: loaded.error }, null, 2)}\n`);
        else process.stderr.write(`${text}\n`);
        return 1;
      }
      if (values.json) process.stdout.write(`${JSON.stringify({ ok: true, file: loaded.file ?? null, constraints: loaded.constraints }, null, 2)}\n`);
      else process.stdout.write(`${formatConstraints(loaded.constraints)}\n`);
      return 0;
    }

    const { runDoctor, formatDoctorReport, locateDist } = await import('../../install/index.js');
    const checks = await runDoctor({ root, distDir: locateDist(), env: process.env });
    if (values.json) process.stdout.write(`${JSON.stringify(checks, null, 2)}\n`);
    else process.stdout.write(`${formatDoctorReport(root, checks)}\n`);
    return checks.some((c) => c.level === 'problem') ? 1 : 0;
  },
};
