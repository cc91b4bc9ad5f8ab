// What an agent is told: the plan's shared context, its tasks in order, and the one rule that matters
// most here: only its own files may change.
import type { PlanTask } from '../plan/index.js';

export interface PromptInput {
  title: string;
  context: string;
  runId: string;
  batchId: string;
  branch: string;
  tasks: readonly PlanTask[];
  files: readonly string[];
  validate: string | null;
  /** How many batches run in this run: tells the agent it is not alone. */
  batchCount: number;
  /** The batch's own ports, if it has a block. */
  ports?: { base: number; count: number } | null;
}

export function buildPrompt(input: PromptInput): string {
  const others = input.batchCount > 1 ? ` ${input.batchCount - 1} other agent${input.batchCount === 2 ? '' : 's'} work on other files of the same plan in their own worktrees at the same time.` : '';
  const tasks = input.tasks.map((task, i) => {
    const after = task.dependsOn.length > 0 ? ` (after ${task.dependsOn.join(', ')})` : '';
    const lines = [`${i + 1}. ${task.id}${after}: ${task.files.join(', ')}`];
    if (task.prompt) lines.push(...task.prompt.trim().split('\n').map((line) => `   ${line}`));
    return lines.join('\n');
  });
  const sections = [
    `You are a fanout agent working on "${input.title}" (run ${input.runId}, batch ${input.batchId}).`,
    `Your working directory is a git worktree of the repository on branch ${input.branch}, with the whole project checked out.${others}`,
  ];
  if (input.context.trim()) sections.push(`Shared context for every agent:\n${input.context.trim()}`);
  sections.push(`Your tasks, in this order:\n${tasks.join('\n')}`);
  sections.push(
    [
      'Rules:',
      `- Change only these files: ${input.files.join(', ')}. Every other file belongs to another agent or to the user; if one of them needs a change, say so in your final message instead of making it.`,
      '- Stay inside this worktree and use paths relative to it; never write to another checkout of the repository.',
      '- Do not switch branches, rebase, push or delete branches. You may commit on this branch; whatever you leave uncommitted is committed for you when you finish.',
      input.validate ? `- When you finish, \`${input.validate}\` runs in this worktree and then on the merged result; leave it passing.` : '- Leave the project in a working state: your changes are merged with the other agents\' changes.',
      ...(input.ports ? [`- Anything you start that listens (a dev server, a test server) must use your ports, ${input.ports.base}-${input.ports.base + input.ports.count - 1} ($PORT and $FANOUT_PORT_BASE are set): the other agents run at the same time.`] : []),
      '- End with a short summary of what you changed.',
    ].join('\n'),
  );
  return sections.join('\n\n');
}
