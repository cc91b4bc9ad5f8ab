// Shared by the installer's integration tests: run the built CLI as a process, and snapshot a directory tree.
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const DIST = join(ROOT, 'dist');
export const CLI = join(DIST, 'cli.mjs');

export function requireBuild(): void {
  for (const file of ['cli.mjs', 'hook.cjs']) {
    if (!existsSync(join(DIST, file))) throw new Error(`dist/${file} is missing: run \`npm run build\` (npm test does) before these tests`);
  }
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a fanout CLI (the repo's build unless `cli` says otherwise) with a clean HOME. */
export function runCli(args: string[], options: { cwd: string; cli?: string; env?: Record<string, string | undefined>; input?: string }): CliResult {
  const env: Record<string, string | undefined> = { ...process.env, CLAUDE_PROJECT_DIR: undefined, CLAUDE_CONFIG_DIR: undefined, ...options.env };
  const result = spawnSync(process.execPath, [options.cli ?? CLI, ...args], {
    cwd: options.cwd,
    env: Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined)),
    encoding: 'utf8',
    input: options.input ?? '',
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs a hook bundle with JSON on stdin, as Claude Code does. */
export function runHookBundle(hook: string, event: string, input: unknown, options: { cwd: string; env?: Record<string, string> }): CliResult {
  const result = spawnSync(process.execPath, [hook, event], {
    cwd: options.cwd,
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/root', ...options.env },
    input: JSON.stringify(input),
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** path → content (files), 'dir' (directories), with modes, for byte-exact before/after comparisons. */
export function snapshotTree(root: string, skip: (rel: string) => boolean = (rel) => rel === '.git' || rel.startsWith(`.git${sep}`)): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const rel = relative(root, path);
      if (skip(rel)) continue;
      const stat = lstatSync(path);
      if (stat.isDirectory()) {
        out[`${rel}/`] = `dir ${(stat.mode & 0o777).toString(8)}`;
        walk(path);
      } else {
        out[rel] = `${(stat.mode & 0o777).toString(8)} ${stat.mtimeMs} ${readFileSync(path, 'base64')}`;
      }
    }
  };
  walk(root);
  return out;
}

/** The snapshot without mtimes: for "same content" rather than "untouched". */
export function contentOnly(snapshot: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(snapshot).map(([k, v]) => [k, v.replace(/^(\d+) [\d.]+ /, '$1 ')]));
}
