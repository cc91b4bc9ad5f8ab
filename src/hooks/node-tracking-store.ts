// The tracking store of the command hooks: node:fs, synchronous (a hook is one short process).
import { closeSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TrackingStore } from './writer-tracking.js';

let counter = 0;
const tempName = (path: string) => `${path}.${process.pid}.${++counter}.tmp`;
const code = (error: unknown) => (error as NodeJS.ErrnoException).code;

function writeNew(path: string, text: string): void {
  const fd = openSync(path, 'wx');
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

export const nodeTrackingStore: TrackingStore = {
  list(dir) {
    try {
      return readdirSync(dir);
    } catch {
      return [];
    }
  },
  read(path) {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  },
  write(path, text) {
    mkdirSync(dirname(path), { recursive: true });
    const temp = tempName(path);
    writeNew(temp, text);
    try {
      renameSync(temp, path);
    } catch (error) {
      unlinkSync(temp);
      throw error;
    }
  },
  create(path, text) {
    mkdirSync(dirname(path), { recursive: true });
    // Written whole under a private name, then linked into place: link() fails if the name exists, atomically.
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
  },
  mtime(path) {
    try {
      return statSync(path).mtimeMs;
    } catch {
      return undefined;
    }
  },
  remove(path) {
    rmSync(path, { recursive: true, force: true });
  },
  processAlive(pid) {
    // 0 and -1 would ask about a process group, or every process.
    if (!Number.isInteger(pid) || pid <= 1) return undefined;
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      return code(error) === 'ESRCH' ? false : code(error) === 'EPERM' ? true : undefined;
    }
  },
};
