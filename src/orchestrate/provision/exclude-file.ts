// What provisioning and the setup command put in a worktree is never the agent's work, whatever the
// repo's .gitignore says (a node_modules symlink is not matched by `node_modules/`). Linked worktrees
// share the common dir's info/exclude, and git 2.39 reads no per-worktree exclude file, so each worktree
// gets its own excludes file through core.excludesFile: passed with -c to fanout's own git commands there,
// and through GIT_CONFIG_COUNT/KEY/VALUE in the environment of every process fanout starts there (agent,
// setup, validation), so an agent's own `git add -A` skips them too. The user's global excludes are
// copied in first: core.excludesFile replaces them.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const HEADER = '# fanout: what provisioning and the setup command put in this worktree (never agent work)';

/** The user's global excludes (core.excludesFile, else $XDG_CONFIG_HOME/git/ignore), as text. */
export function globalExcludes(configured: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const home = env['HOME'] || homedir();
  const file = configured ? configured.replace(/^~(?=\/|$)/, home) : join(env['XDG_CONFIG_HOME'] || join(home, '.config'), 'git', 'ignore');
  try {
    return existsSync(file) ? readFileSync(file, 'utf8') : '';
  } catch {
    return '';
  }
}

export function writeExcludes(file: string, inherited: string, paths: readonly string[]): void {
  const head = inherited === '' || inherited.endsWith('\n') ? inherited : `${inherited}\n`;
  writeFileSync(file, `${head}${HEADER}\n${paths.map(excludePattern).join('')}`);
}

export function appendExcludes(file: string, paths: readonly string[]): void {
  if (paths.length > 0) appendFileSync(file, paths.map(excludePattern).join(''));
}

/** An anchored pattern for exactly this repo-relative path (a file, a directory or a symlink). */
export function excludePattern(path: string): string {
  const clean = path.replace(/\/+$/, '');
  const escaped = clean.replace(/[\\*?[\]!#]/g, (c) => `\\${c}`).replace(/ $/, '\\ ');
  return `/${escaped}\n`;
}

/** `-c` settings for fanout's own git commands in the worktree. */
export function excludeConfig(file: string): string[] {
  return [`core.excludesFile=${file}`];
}

/** The same for every process started in the worktree, added after any GIT_CONFIG_* the user set. */
export function excludeEnv(file: string, env: NodeJS.ProcessEnv): Record<string, string> {
  const count = Number(env['GIT_CONFIG_COUNT'] ?? 0);
  const n = Number.isInteger(count) && count > 0 ? count : 0;
  return { GIT_CONFIG_COUNT: String(n + 1), [`GIT_CONFIG_KEY_${n}`]: 'core.excludesFile', [`GIT_CONFIG_VALUE_${n}`]: file };
}
