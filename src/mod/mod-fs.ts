// HostFs over Claude Code's `$.fs`, for the hooks module: the same hook logic as the command hook's, through the
// same interface (src/util/host-fs.ts).
import type { FileStat, HostFs } from '../util/host-fs.js';
import type { ModApi } from './mod-api.js';

/** `$.fs` reports a missing file as an error whose text names the errno ("… failed: ENOENT"). */
function isMissingError(error: unknown): boolean {
  return /\b(?:ENOENT|ENOTDIR)\b/.test(error instanceof Error ? error.message : String(error));
}

async function missingAsUndefined<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (isMissingError(error)) return undefined;
    throw error;
  }
}

/** Runs a short shell script through `$.process.run` (`$.fs` has no append, no exclusive create). */
async function shell($: ModApi, script: string, args: string[], stdin = ''): Promise<{ exitCode: number | null; output: string }> {
  const result = await $.process.run(['/bin/sh', '-c', script, 'fanout', ...args], { stdin, timeoutMs: 10_000 });
  return { exitCode: result.exitCode, output: `${result.stdout}${result.stderr}`.trim() };
}

/**
 * `ownPid`: the Claude Code process this module runs in (CLAUDE_PID), alive by definition; any other process is asked
 * about with `kill -0`, as node's process.kill(pid, 0) does for the command hook.
 */
export function modFs($: ModApi, ownPid?: number): HostFs {
  // Appends go through a shell (`$.fs` has no append) and are queued, so that one module's appends keep their order.
  let appends: Promise<void> = Promise.resolve();
  const append = async (path: string, text: string): Promise<void> => {
    const result = await shell($, 'mkdir -p -- "${1%/*}" && cat >> "$1"', [path], text);
    if (result.exitCode !== 0) throw new Error(`appending to ${path} failed (exit ${result.exitCode}): ${result.output}`);
  };
  return {
    readText: (path) => missingAsUndefined($.fs.read(path)),
    // `$.fs` reads whole files: the tail is cut here, by characters (the ledger, its one user, is ASCII-safe JSON).
    readTail: async (path, bytes) => {
      const text = await missingAsUndefined($.fs.read(path));
      return text === undefined || text.length <= bytes ? text : text.slice(text.length - bytes);
    },
    stat: async (path) => {
      const stat = await missingAsUndefined($.fs.stat(path));
      if (stat === undefined) return undefined;
      const kind: FileStat['kind'] = stat.kind === 'file' ? 'file' : stat.kind === 'dir' || stat.kind === 'directory' ? 'dir' : 'other';
      return { kind, size: stat.size, mtimeMs: stat.mtimeMs };
    },
    list: async (dir) => ((await missingAsUndefined($.fs.list(dir))) ?? []).map((entry) => entry.name),
    writeText: (path, text) => $.fs.write(path, text),
    // noclobber opens with O_EXCL: of concurrent creators exactly one succeeds (a reader may see the file before its text).
    create: async (path, text) => {
      const result = await shell($, 'mkdir -p -- "${1%/*}" || exit 1; if (set -C; printf %s "$2" > "$1") 2>/dev/null; then exit 0; elif [ -e "$1" ]; then exit 17; else exit 1; fi', [path, text]);
      if (result.exitCode === 0) return true;
      if (result.exitCode === 17) return false;
      throw new Error(`creating ${path} failed (exit ${result.exitCode}): ${result.output}`);
    },
    processAlive: async (pid) => {
      if (!Number.isInteger(pid) || pid <= 1) return undefined;
      if (pid === ownPid) return true;
      const result = await shell($, 'kill -0 "$1"', [String(pid)]);
      if (result.exitCode === 0) return true;
      return /no such process/i.test(result.output) ? false : /not permitted/i.test(result.output) ? true : undefined;
    },
    appendText: (path, text) => {
      const done = appends.then(() => append(path, text));
      appends = done.catch(() => undefined);
      return done;
    },
  };
}
