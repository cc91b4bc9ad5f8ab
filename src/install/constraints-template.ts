// The .claude/constraints.md that init writes when a repo has none: the built-in defaults spelled out, with
// comments on each rule, so that editing starts from what is already enforced.
import { DEFAULT_GATE, DEFAULT_LOCKED, DEFAULT_STOP_TRIGGERS } from '../constraints/defaults.js';
import { BUILTIN_TRIGGERS } from '../constraints/triggers.js';

/** A line of the prose that the SessionStart hook loads into every session (tests look for it). */
export const CONSTRAINTS_PROSE_MARKER = 'Stay inside the repository: temporary files go under /tmp, never into the home directory or a sibling checkout.';

const PROSE = `# Constraints for agents in this repository

This file is loaded into every Claude Code session by fanout's SessionStart hook, and the rules in the front
matter above are enforced before every tool call by its PreToolUse hook. People edit it; agents read it.
\`fanout doctor\` checks it; an invalid file blocks every tool call until it is fixed.

- Secrets stay out of reach: agents never edit \`.env\` files; change \`.env.example\` instead.
- Lockfiles change through the package manager, never by hand; a new dependency needs a human's yes.
- ${CONSTRAINTS_PROSE_MARKER}
- Ask first before anything that publishes or is hard to undo: pushing, schema migrations, \`sudo\`.
- Plan work that touches more than a couple of files before starting it; only large plans with independent
  parts fan out to parallel agents (/orchestrate).

Add this project's own conventions below: how to run the tests, what not to touch and why, who owns what.
`;

/** YAML scalar: plain when unambiguous, else double-quoted (JSON strings are valid YAML). */
function scalar(text: string): string {
  const plain = /^[A-Za-z0-9._/][\w .,;()'/-]*$/.test(text) && !/^(true|false|null|yes|no|on|off|~|[-+.\d][\d.e+-]*)$/i.test(text) && !text.endsWith(' ');
  return plain ? text : JSON.stringify(text);
}

function flowList(items: readonly string[]): string {
  return `[${items.map(scalar).join(', ')}]`;
}

export function renderConstraintsTemplate(): string {
  const lines: string[] = [
    '---',
    '# fanout Phase 0 constraints. These are the built-in defaults written out: change them to fit this repo.',
    'version: 1',
    '',
    '# Files agents may not change freely. level: block (denied), ask (a human says yes first), warn (allowed,',
    "# reported to the user). path: a repo-relative glob; a pattern without '/' matches the file name anywhere.",
    'locked:',
  ];
  for (const lock of DEFAULT_LOCKED) {
    lines.push(`  - path: ${scalar(lock.path)}`, `    level: ${lock.level}`, `    reason: ${scalar(lock.reason)}`);
    if (lock.except) lines.push(`    except: ${flowList(lock.except)}`);
  }
  lines.push(
    '',
    `# Operations that need a human's yes, matched against the parsed command. Built-in ids: ${BUILTIN_TRIGGERS.join(', ')}.`,
    '# Custom ones name a command prefix or a file glob, e.g.',
    '#   - { id: prod-db, command: "psql * prod", reason: the production database }',
    '#   - { id: migrations, write: "db/migrations/**", reason: schema changes need review }',
    'stop_triggers:',
  );
  for (const trigger of DEFAULT_STOP_TRIGGERS) {
    lines.push(`  - id: ${trigger.id}`);
    if (trigger.reason !== undefined) lines.push(`    reason: ${scalar(trigger.reason)}`);
  }
  lines.push(
    '',
    '# Writes and deletions outside this directory are denied (relative to the repo root, or absolute).',
    'boundary: .',
    '# Where anything goes besides /tmp, /var/tmp and $TMPDIR, e.g. [/scratch].',
    'temp_roots: []',
    '# Locked ports: port → the service that owns it; binding one to anything else is asked about. e.g. { "5432": postgres }',
    'ports: {}',
    '',
    '# The complexity gate: at most direct_max files → build directly; at most sequential_max → one agent;',
    '# more, in 2+ independent parts → parallel agents (at most max_agents). subagent_worktree: what to do when a',
    '# subagent asks for its own worktree outside a parallel plan (allow | ask | deny). parallel_writers: what to do',
    '# when a second subagent (or the main session) writes in this checkout while a background subagent is writing',
    '# here, outside a parallel plan (allow | ask | deny; rule id parallel-writers).',
    'gate:',
    `  direct_max: ${DEFAULT_GATE.directMax}`,
    `  sequential_max: ${DEFAULT_GATE.sequentialMax}`,
    `  max_agents: ${DEFAULT_GATE.maxAgents}`,
    `  subagent_worktree: ${DEFAULT_GATE.subagentWorktree}`,
    `  parallel_writers: ${DEFAULT_GATE.parallelWriters}`,
    '---',
  );
  return `${lines.join('\n')}\n${PROSE}`;
}
