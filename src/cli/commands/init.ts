// `fanout init`: per-repo install into .claude/ (bundles, commands, constraints template, hook entries).
import { existsSync, realpathSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { FanoutError, UsageError } from '../../util/errors.js';
import { parseFlags, type Command } from '../command.js';

const usage = `Usage: fanout init [--dir DIR] [--force]

Installs fanout into a repository, so that everyone who clones it gets the guard and the commands with
nothing but node:
  .claude/fanout/          the self-contained bundles (hook.cjs + hook-chunks/, cli.mjs) and install.json
  .claude/commands/*.md    /orchestrate, /scout, /plan, /orchestrate-status, /orchestrate-cleanup, /constraints
  .claude/constraints.md   the built-in rules written out, only if the file does not exist
  .claude/settings.json    fanout's hook entries, merged: your settings, permissions and hooks are kept

Running it again changes nothing (or updates fanout's own files after an upgrade).

Options:
  --dir DIR   the repository to install into (default: the git repository around the current directory;
              needed outside one). Never Claude Code's user config dir (~/.claude): use the plugin there
  --force     also replace command files that differ from fanout's (your edits, or your own command of that name)

Exit: 0 installed, 1 a file is in the way (e.g. .claude/settings.json is not valid JSON; it is left untouched).`;

export const command: Command = {
  usage,
  async run(argv) {
    const { values, positionals } = parseFlags('init', argv, { dir: { type: 'string' }, force: { type: 'boolean' } });
    if (positionals.length > 0) throw new UsageError(`init: unexpected argument '${positionals[0]}'`, 'pass the repository with --dir <path>');
    const { findRepo } = await import('../../constraints/find-repo.js');
    const { nodeFs } = await import('../../util/node-fs.js');
    const { runInit, formatInitReport, locateDist } = await import('../../install/index.js');
    const root = values.dir === undefined ? (await findRepo(process.cwd(), {}, nodeFs)).repoRoot : resolve(values.dir);
    // Without --dir, outside a repo (often $HOME), init would write wherever the shell happens to be.
    if (values.dir === undefined && !isRepoRoot(root)) {
      throw new FanoutError('init-no-repo', `${process.cwd()} is not inside a git repository, so there is no repo to install into`, {
        hint: 'cd into the repository first, or pass --dir DIR to install into that directory anyway',
      });
    }
    refuseUserConfigDir(root);
    const distDir = locateDist();
    if (distDir === undefined) {
      throw new FanoutError('init-no-build', 'cannot find fanout\'s built bundles (hook.cjs, cli.mjs) next to this CLI', { hint: 'run `npm run build` in the fanout checkout and call its dist/cli.mjs' });
    }
    const report = runInit({ root, distDir, force: values.force === true });
    process.stdout.write(`${formatInitReport(report)}\n`);
    return 0;
  },
};

/** A .git file (worktree, submodule) or a .git dir that git would use (it has HEAD), not a stray directory. */
function isRepoRoot(root: string): boolean {
  const dotGit = join(root, '.git');
  try {
    return statSync(dotGit).isFile() || existsSync(join(dotGit, 'HEAD'));
  } catch {
    return false;
  }
}

/**
 * <root>/.claude must not be Claude Code's user config dir (~/.claude, or $CLAUDE_CONFIG_DIR): its
 * settings.json applies to every project, where the hook path "$CLAUDE_PROJECT_DIR/.claude/fanout/…" does not exist.
 */
function refuseUserConfigDir(root: string): void {
  const real = (path: string) => {
    try {
      return realpathSync(path);
    } catch {
      return resolve(path);
    }
  };
  const target = real(join(root, '.claude'));
  const configDir = process.env['CLAUDE_CONFIG_DIR'];
  const userDirs = [join(homedir(), '.claude'), ...(configDir ? [configDir] : [])].map(real);
  if (userDirs.includes(target)) {
    throw new FanoutError('init-user-config', `${target} is Claude Code's user config dir: hooks written there would run in every project, where fanout's per-repo hook does not exist`, {
      hint: 'run fanout init inside a repository (or pass --dir <repo>); to use fanout in every project, install it as a plugin instead (see docs/install.md)',
    });
  }
}
