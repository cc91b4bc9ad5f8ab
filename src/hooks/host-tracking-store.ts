// The parallel-writers records (writer-tracking.ts) kept through the hooks' one file interface, so the command hook
// (node) and the hooks module ($.fs) record and read the same files the same way.
import type { HostFs } from '../util/host-fs.js';
import type { TrackingStore } from './writer-tracking.js';

export function hostTrackingStore(fs: HostFs): TrackingStore {
  const { remove, processAlive } = fs;
  return {
    list: (dir) => fs.list(dir),
    read: (path) => fs.readText(path),
    write: (path, text) => fs.writeText(path, text),
    create: (path, text) => fs.create(path, text),
    mtime: async (path) => (await fs.stat(path))?.mtimeMs,
    ...(remove ? { remove: (path: string) => remove.call(fs, path) } : {}),
    ...(processAlive ? { processAlive: (pid: number) => processAlive.call(fs, pid) } : {}),
  };
}
