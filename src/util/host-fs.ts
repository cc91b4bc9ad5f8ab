// The file access fanout's hook logic needs, injected: node's fs for the command hook and the CLI (node-fs.ts),
// Claude Code's `$.fs` for the in-process hooks module (src/mod/mod-fs.ts). One interface, so both run the same
// logic: the guard's reads, the ledger, the parallel-writers records (src/hooks/host-tracking-store.ts). Paths are
// absolute.

export interface FileStat {
  kind: 'file' | 'dir' | 'other';
  size: number;
  mtimeMs: number;
  /** Absent where the host does not report it (Claude Code's `$.fs.stat`). */
  ctimeMs?: number;
}

export interface HostFs {
  /** The file's text, or undefined when nothing is there (ENOENT, ENOTDIR); other failures throw. */
  readText(path: string): Promise<string | undefined>;
  /** The last `bytes` bytes of a file as text (a cut multi-byte character at the start is dropped). */
  readTail(path: string, bytes: number): Promise<string | undefined>;
  stat(path: string): Promise<FileStat | undefined>;
  /** Names in a directory; [] when it does not exist. */
  list(dir: string): Promise<string[]>;
  /**
   * Replaces the file, creating missing parent directories. Where the host can (node), readers see the old or the
   * new text, never a part; elsewhere a reader may see an empty file, which every reader here takes as no record.
   */
  writeText(path: string, text: string): Promise<void>;
  /** Appends to the file, creating it and missing parent directories. */
  appendText(path: string, text: string): Promise<void>;
  /** Creates a file (and its directories) only if it does not exist: true when this call created it; exclusive. */
  create(path: string, text: string): Promise<boolean>;
  /** Removes a file or directory tree; absent where the host cannot. */
  remove?(path: string): Promise<void>;
  /** Whether a process runs; undefined when it cannot be told; absent where the host cannot ask. */
  processAlive?(pid: number): Promise<boolean | undefined>;
}

/** ENOENT and ENOTDIR mean "nothing there"; anything else is a real failure. */
export function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
