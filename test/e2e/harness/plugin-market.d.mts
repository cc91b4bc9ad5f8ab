// Types for plugin-market.mjs (plain JavaScript so that bench/ can import it too).
export const FANOUT_ROOT: string;
export const CLAUDE_BIN: string;

export function snapshotRepo(dest: string, root?: string): string;
export function publishBare(repo: string, projectRoot: string, name: string): string;
export function claudeEnv(home: string, extra?: Record<string, string>): Record<string, string>;

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  wallMs: number;
}

export function runClaudeCli(args: string[], options: { cwd: string; home: string; timeoutMs?: number }): Promise<CliRun>;
export function installPath(home: string, plugin?: string): string;
export function treeSize(dir: string): { bytes: number; files: number };
export function findDirs(dir: string, name: string): string[];
