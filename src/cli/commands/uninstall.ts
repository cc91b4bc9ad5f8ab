// `fanout uninstall`: removes what `fanout init` added.
import { resolve } from 'node:path';
import { UsageError } from '../../util/errors.js';
import { parseFlags, type Command } from '../command.js';

const usage = `Usage: fanout uninstall [--dir DIR] [--all]

Removes what \`fanout init\` added (recorded in .claude/fanout/install.json): fanout's hook entries in
.claude/settings.json (the rest of the file stays as it was; the file goes if init created it and nothing else is
in it), the command files it wrote (kept if you edited them), and .claude/fanout/.

Options:
  --dir DIR   the repository (default: the git repository around the current directory)
  --all       also remove .claude/constraints.md, if init created it

Exit: 0 done, 1 a file is in the way (e.g. .claude/settings.json is not valid JSON; it is left untouched).`;

export const command: Command = {
  usage,
  async run(argv) {
    const { values, positionals } = parseFlags('uninstall', argv, { dir: { type: 'string' }, all: { type: 'boolean' } });
    if (positionals.length > 0) throw new UsageError(`uninstall: unexpected argument '${positionals[0]}'`, 'pass the repository with --dir <path>');
    const { findRepo } = await import('../../constraints/find-repo.js');
    const { nodeFs } = await import('../../util/node-fs.js');
    const { runUninstall, formatUninstallReport } = await import('../../install/index.js');
    const root = values.dir === undefined ? (await findRepo(process.cwd(), {}, nodeFs)).repoRoot : resolve(values.dir);
    const report = runUninstall({ root, all: values.all === true });
    process.stdout.write(`${formatUninstallReport(report)}\n`);
    return 0;
  },
};
