// How a setup, agent or validate process ended, in the two forms the stages need: a yes/no and words.
import type { ProcessResult } from '../run-process.js';

export function succeeded(result: ProcessResult): boolean {
  return result.exitCode === 0 && !result.timedOut && !result.interrupted && result.error === null;
}

export function describeExit(result: ProcessResult): string {
  if (result.error) return `could not start (${result.error})`;
  if (result.timedOut) return 'timed out';
  if (result.interrupted) return 'was interrupted';
  return result.exitCode === null ? `was killed by ${result.signal}` : `exited with ${result.exitCode}`;
}
