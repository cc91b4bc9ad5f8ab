import { runHook } from '../../hooks/main.js';
import type { Command } from '../command.js';

export const command: Command = {
  usage: [
    'Usage: fanout hook <event> [--scope FILE] < hook-input.json',
    '',
    'Claude Code hook entry. Events: pre-tool-use, session-start, user-prompt-submit, user-prompt-expansion',
    '(post-tool-use is accepted and does nothing, for settings an older fanout wrote).',
    'Installed hooks call the lighter bundle directly: node <dir>/hook.cjs <event>.',
  ].join('\n'),
  async run(argv) {
    const result = await runHook(argv, undefined, process.env);
    if (result.stdout) process.stdout.write(result.stdout);
    if (result.stderr) process.stderr.write(result.stderr);
    return result.exitCode;
  },
};
