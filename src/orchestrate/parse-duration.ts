// Durations for --timeout and the constraints file: 90s, 10m, 1h30m, 500ms; a bare number means seconds.

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** setTimeout's limit (about 24.8 days): a longer delay fires at once, which would time every agent out. */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/** Milliseconds, or undefined when the text is not a positive duration of at most MAX_DURATION_MS. */
export function parseDuration(text: string): number | undefined {
  const value = text.trim();
  if (/^\d+(?:\.\d+)?$/.test(value)) return positive(Number(value) * 1000);
  const parts = /^(?:(\d+(?:\.\d+)?)(ms|s|m|h))+$/.test(value) ? value.match(/\d+(?:\.\d+)?(?:ms|s|m|h)/g) : null;
  if (!parts) return undefined;
  let total = 0;
  for (const part of parts) {
    const [, amount, unit] = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(part) ?? [];
    total += Number(amount) * (UNITS[unit ?? ''] ?? NaN);
  }
  return positive(total);
}

function positive(ms: number): number | undefined {
  return Number.isFinite(ms) && ms >= 1 && ms <= MAX_DURATION_MS ? Math.round(ms) : undefined;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const minutes = Math.floor(ms / 60_000);
  const seconds = Math.round((ms % 60_000) / 1000);
  return minutes < 60 ? `${minutes}m${String(seconds).padStart(2, '0')}s` : `${Math.floor(minutes / 60)}h${String(minutes % 60).padStart(2, '0')}m`;
}
