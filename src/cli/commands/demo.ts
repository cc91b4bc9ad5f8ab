import { FanoutError } from '../../util/errors.js';
import type { Command } from '../command.js';

// Placeholder until the owning issue lands; replaced, never shipped as done.
export const command: Command = {
  usage: 'Usage: fanout demo',
  async run() {
    throw new FanoutError('not-implemented', "'fanout demo' is not implemented yet");
  },
};
