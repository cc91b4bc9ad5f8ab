import { FanoutError } from '../../util/errors.js';
import type { Command } from '../command.js';

// Placeholder until the owning issue lands; replaced, never shipped as done.
export const command: Command = {
  usage: 'Usage: fanout uninstall',
  async run() {
    throw new FanoutError('not-implemented', "'fanout uninstall' is not implemented yet");
  },
};
