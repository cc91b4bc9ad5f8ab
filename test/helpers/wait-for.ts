// Waiting in tests: for an observable event (a file appearing, a line in a log, a state.json phase), never for
// a fixed time. Every wait has a generous limit and says what it waited for when the limit is reached.

export interface WaitOptions {
  /** Generous: the limit only turns a hang into a failure; a healthy run is far below it. */
  timeoutMs: number;
  /** What is awaited, for the failure message ("three hanging agents' pid files"). */
  what: string;
  /** More context for the failure message, read when the limit is reached (output so far, files seen). */
  detail?: () => string;
  intervalMs?: number;
}

/** Polls check until it returns a value other than undefined, null or false, and returns that value. */
export async function waitFor<T>(check: () => T | undefined | null | false | Promise<T | undefined | null | false>, options: WaitOptions): Promise<T> {
  const deadline = performance.now() + options.timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== null && value !== false) return value;
    if (performance.now() > deadline) throw timedOut(options);
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 25));
  }
}

/** Resolves with the promise, or fails once the limit is reached, saying what it waited for. */
export async function within<T>(promise: Promise<T>, options: WaitOptions): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut(options)), options.timeoutMs);
  });
  try {
    return await Promise.race([promise, limit]);
  } finally {
    clearTimeout(timer);
  }
}

function timedOut(options: WaitOptions): Error {
  let detail = '';
  try {
    detail = options.detail?.() ?? '';
  } catch (error) {
    detail = `(detail unavailable: ${error instanceof Error ? error.message : String(error)})`;
  }
  return new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}${detail ? `\n${detail}` : ''}`);
}
