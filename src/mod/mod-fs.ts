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

export function modFs($: ModApi): HostFs {
  // Appends go through a shell (`$.fs` has no append) and are queued, so that one module's appends keep their order.
  let appends: Promise<void> = Promise.resolve();
  const append = async (path: string, text: string): Promise<void> => {
    const result = await $.process.run(['/bin/sh', '-c', 'mkdir -p -- "${1%/*}" && cat >> "$1"', 'fanout-append', path], { stdin: text, timeoutMs: 10_000 });
    if (result.exitCode !== 0) throw new Error(`appending to ${path} failed (exit ${result.exitCode}): ${result.stderr.trim()}`);
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
    writeText: (path, text) => $.fs.write(path, text),
    appendText: (path, text) => {
      const done = appends.then(() => append(path, text));
      appends = done.catch(() => undefined);
      return done;
    },
  };
}
