// HostFs over node's fs, for the command hook and the CLI. Synchronous underneath: a hook process does one thing
// at a time, and sync calls are the cheapest.
import { appendFileSync, closeSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { isMissing, type FileStat, type HostFs } from './host-fs.js';

function missingAsUndefined<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

function readTail(path: string, bytes: number): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  try {
    const size = fstatSync(fd).size;
    const start = Math.max(0, size - bytes);
    const buffer = Buffer.alloc(size - start);
    readSync(fd, buffer, 0, buffer.length, start);
    // A tail may start inside a multi-byte character: drop its continuation bytes rather than decode them as U+FFFD.
    let skip = 0;
    if (start > 0) while (skip < buffer.length && ((buffer[skip] as number) & 0xc0) === 0x80) skip++;
    return buffer.subarray(skip).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

export const nodeFs: HostFs = {
  readText: async (path) => missingAsUndefined(() => readFileSync(path, 'utf8')),
  readTail: async (path, bytes) => readTail(path, bytes),
  stat: async (path) =>
    missingAsUndefined((): FileStat => {
      const stat = statSync(path);
      return { kind: stat.isFile() ? 'file' : stat.isDirectory() ? 'dir' : 'other', size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs };
    }),
  writeText: async (path, text) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
  },
  appendText: async (path, text) => {
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, text);
  },
};
