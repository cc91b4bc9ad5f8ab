// Failures at the edges: what happened (message), what to do (hint), and the data behind it.
export class FanoutError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly data: Record<string, unknown> | undefined;

  constructor(
    code: string,
    message: string,
    options: { hint?: string; cause?: unknown; data?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FanoutError';
    this.code = code;
    this.hint = options.hint;
    this.data = options.data;
  }
}

/** A mistake in how the user called us: one line, exit 2. */
export class UsageError extends FanoutError {
  constructor(message: string, hint?: string) {
    super('usage', message, hint === undefined ? {} : { hint });
    this.name = 'UsageError';
  }
}

export function isFanoutError(error: unknown): error is FanoutError {
  return error instanceof FanoutError;
}

export function formatError(error: FanoutError): string {
  return error.hint ? `fanout: ${error.message}\n  hint: ${error.hint}` : `fanout: ${error.message}`;
}
