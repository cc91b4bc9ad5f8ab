// HostFs over node's fs, for the command hook and the CLI. Synchronous underneath: a hook process does one thing
// at a time, and sync calls are the cheapest.
import {
  appendFileSync,
  closeSync,
  fstatSync,
  linkSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname } from 'node:path';
import { isMissing, type FileStat, type HostFs } from './host-fs.js';

const code = (error: unknown) => (error as NodeJS.ErrnoException).code;

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

let counter = 0;
const tempName = (path: string) => `${path}.${process.pid}.${++counter}.tmp`;

function writeNew(path: string, text: string): void {
  const fd = openSync(path, 'wx');
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/** Written whole under a private name, then renamed into place: readers see the old or the new text. */
function replace(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = tempName(path);
  writeNew(temp, text);
  try {
    renameSync(temp, path);
  } catch (error) {
    unlinkSync(temp);
    throw error;
  }
}

/** Written whole under a private name, then linked into place: link() fails if the name exists, atomically. */
function create(path: string, text: string): boolean {
  mkdirSync(dirname(path), { recursive: true });
  const temp = tempName(path);
  writeNew(temp, text);
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if (code(error) === 'EEXIST') return false;
    if (!['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK'].includes(code(error) ?? '')) throw error;
    // A file system without hard links: O_EXCL is as exclusive; a reader may then see the file before its text.
    try {
      writeNew(path, text);
      return true;
    } catch (inner) {
      if (code(inner) === 'EEXIST') return false;
      throw inner;
    }
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // Already gone.
    }
  }
}

function processAlive(pid: number): boolean | undefined {
  // 0 and -1 would ask about a process group, or every process.
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return code(error) === 'ESRCH' ? false : code(error) === 'EPERM' ? true : undefined;
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
  list: async (dir) => missingAsUndefined(() => readdirSync(dir)) ?? [],
  writeText: async (path, text) => replace(path, text),
  appendText: async (path, text) => {
    mkdirSync(dirname(path), { recursive: true });
    appendFileSync(path, text);
  },
  create: async (path, text) => create(path, text),
  remove: async (path) => rmSync(path, { recursive: true, force: true }),
  processAlive: async (pid) => processAlive(pid),
};
