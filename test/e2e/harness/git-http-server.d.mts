// Types for git-http-server.mjs (plain JavaScript so that bench/ can import it too).
export interface GitHttpServer {
  /** `http://127.0.0.1:<port>`; a repository `<projectRoot>/<name>.git` is at `${url}/<name>.git`. */
  url: string;
  port: number;
  /** Every request, in arrival order. */
  requests: Array<{ method: string; path: string }>;
  stop(): Promise<void>;
}

export function startGitHttpServer(options: { projectRoot: string; git?: string }): Promise<GitHttpServer>;
