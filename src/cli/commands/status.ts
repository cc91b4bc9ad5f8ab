import { FanoutError } from '../../util/errors.js';
import type { Command } from '../command.js';

// Placeholder until the owning issue lands; replaced, never shipped as done.
export const command: Command = {
  usage: 'Usage: fanout status',
  async run() {
    throw new FanoutError('not-implemented', "'fanout status' is not implemented yet");
  },
};
