// The file access fanout's hook logic needs, injected: node's fs for the command hook and the CLI (nodeFs below),
// Claude Code's `$.fs` for the in-process hooks module (src/mod/mod-fs.ts). One interface, so both run the same
// logic. Paths are absolute.

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
  /** Replaces the file, creating missing parent directories. */
  writeText(path: string, text: string): Promise<void>;
  /** Appends to the file, creating it and missing parent directories. */
  appendText(path: string, text: string): Promise<void>;
}

/** ENOENT and ENOTDIR mean "nothing there"; anything else is a real failure. */
export function isMissing(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
