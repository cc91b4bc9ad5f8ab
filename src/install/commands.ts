// The slash commands, written once for both installs: the plugin's commands/*.md (/fanout:<name>, running
// dist/cli.mjs in the plugin root) and the per-repo .claude/commands/*.md (/<name>, running .claude/fanout/cli.mjs).
import type { InstallTarget } from './wiring.js';

/**
 * How the model calls fanout's CLI. Claude Code substitutes `${CLAUDE_PLUGIN_ROOT}` and the braced
 * `${CLAUDE_PROJECT_DIR}` in command bodies and front matter (checked on 2.1.328); the unbraced form is left
 * literal and the variable is not in the Bash tool's environment, so the braces matter.
 */
export const CLI_PATHS: Record<InstallTarget, string> = {
  plugin: '${CLAUDE_PLUGIN_ROOT}/dist/cli.mjs',
  repo: '${CLAUDE_PROJECT_DIR}/.claude/fanout/cli.mjs',
};

export interface CommandFile {
  /** File name without .md: the command's name. */
  name: string;
  content: string;
}

interface CommandContext {
  /** The CLI as the model must type it, e.g. node "/abs/dist/cli.mjs". */
  cli: string;
  /** How the user invokes another fanout command: /fanout:plan or /plan. */
  slash: (name: string) => string;
}

interface CommandTemplate {
  name: string;
  description: string;
  argumentHint: string;
  body: (c: CommandContext) => string;
}

const RUNNING_THE_CLI = (c: CommandContext) => `fanout's CLI for this command is \`${c.cli}\`.
Call it with the Bash tool exactly in that form, one command per call, with no \`cd\`, pipe, \`&&\` or subshell
around it: the command's permission rule covers that form and nothing else.`;

const TEMPLATES: CommandTemplate[] = [
  {
    name: 'orchestrate',
    description: 'Size a plan with the complexity gate; fan it out to parallel agents in git worktrees, or say why not and do it the recommended way',
    argumentHint: '<plan file | task description> [--force]',
    body: (c) => `# Orchestrate

Input: $ARGUMENTS

${RUNNING_THE_CLI(c)}

First decide what the input is:
- empty: ask the user for a plan file or a task description, and stop;
- its first word is an existing \`.md\` file: a **plan file**, go to A;
- anything else: a **task description**, go to B.

## A. A plan file

1. Run \`${c.cli} plan <plan file> --json\`. If it exits with 1 the plan is invalid: show its
   \`file:line: field: message\` lines, offer to fix the plan (format: canonical front matter with \`title\`,
   \`validate\`, \`tasks\` of \`id\`, \`files\`, \`depends_on\`, \`prompt\`), and stop.
2. Show the gate's answer in a few lines: \`decision\`, \`reason\`, the number of files and independent
   components, and for a parallel plan each batch (id, tasks, files).
3. Act on the decision:
   - **parallel**: run \`${c.cli} orchestrate <plan file> --json\` (add \`--force\` only if the input had it).
     Give the Bash call \`timeout: 600000\`; for a long run use \`run_in_background: true\` and check it with
     \`${c.cli} status\` until the run has finished. Progress goes to stderr; the final report is the JSON on
     stdout (also saved as \`report.json\` in the run's directory, \`<git dir>/fanout/runs/<run-id>/\`). Exit 0 means
     merged; 3 means the complexity gate refused the plan; 1 means failed, conflicting or refused for another reason, and the output says why. Summarise for the user: the status,
     per batch what was merged or kept and why, what validation said, any conflicts, the branch that holds the
     result, and the next step (\`${c.cli} resume <run-id>\` for failed batches, ${c.slash('orchestrate-cleanup')}
     for worktrees or branches left behind).
   - **direct**: tell the user the gate's reason (parallel agents cost more than they save here), then do the
     work yourself in this session, following the plan's tasks in order. Start no agents.
   - **sequential**: tell the user the reason, then work through the tasks yourself in the order the
     \`recommendation\` gives (you are the one agent). Start no parallel agents.
   If the input had \`--force\` and the decision is not parallel, the user insists: say once that the gate advises
   against it, then run \`${c.cli} orchestrate <plan file> --force --json\` as for a parallel plan.

## B. A task description

Work in this session, in this order, and tell the user which step you are on.

1. **Phase 0: constraints.** Run \`${c.cli} doctor --constraints\` to see the active rules. If the task would change
   a \`block\` file, cross the project boundary, or hit a stop trigger (a new dependency, a migration, \`sudo\`,
   a push…), say so now and ask the user before going on. If the constraints file is invalid, show the error
   and stop: a human fixes it.
2. **Scouts.** Split the codebase areas the task touches into independent domains (e.g. API, web client, CLI,
   database). Launch one read-only scout subagent per domain with the Agent tool, all in one message so they run
   in parallel (no \`isolation\`; a domain that depends on another's findings waits for it). Each scout reports: the
   files to change and why, the interfaces and conventions to follow, the tests that cover them, and the risks.
   Scouts never edit files.
3. **One context bundle.** Merge the scout reports into one text: the goal, the constraints that apply, each
   domain's findings, the interfaces the tasks agree on, the conventions, and how to validate (the test command).
4. **A canonical plan.** Write \`.fanout/plans/<slug>.md\` (\`<slug>\`: the task in a few kebab-case words). Front
   matter: \`title\`, \`validate\` (the test command, if there is one), and \`tasks\`, each with \`id\`
   (kebab-case), \`files\` (repo-relative paths it creates or changes), \`depends_on\` (ids that must be done
   first) and a self-contained \`prompt\`. Give every file to one task; tasks that share a file or need another's
   result are linked by \`depends_on\`. The body below the front matter is the context bundle: every agent gets it.
   Check it with \`${c.cli} plan .fanout/plans/<slug>.md\` and fix what it reports until it is valid.
5. **Approval.** Show the plan (tasks, files, dependencies) and the gate's decision, and ask the user to approve
   it. Stop here until they answer.
6. **Run it.** Once approved, continue with A step 3 for \`.fanout/plans/<slug>.md\`.
`,
  },
  {
    name: 'scout',
    description: 'Investigate a topic with parallel read-only subagents and report files, interfaces, tests and risks',
    argumentHint: '<topic>',
    body: (c) => `# Scout

Topic: $ARGUMENTS

If the topic is empty, ask the user what to investigate and stop.

Find out what a change on this topic would involve, without changing anything:

1. Split the topic into the independent areas of the codebase it touches (look at the layout first).
2. Launch one read-only scout subagent per area with the Agent tool, all in one message so they run in parallel
   (no \`isolation\`). Each looks for: the files involved and their role, entry points, the interfaces and
   conventions to follow, the tests that cover them, and what could go wrong.
3. Merge their findings into one report: a short summary, then per area the files (repo-relative paths) with what
   each would need, the shared interfaces, the tests, and the risks. Say which areas are independent of each other:
   that decides whether the work can run in parallel.

Do not edit files. Where the constraints matter (locked files, stop triggers), check them with
\`${c.cli} doctor --constraints\` (one Bash call in exactly that form: the
command's permission rule covers it).
To turn the findings into a plan, the user can run ${c.slash('plan')} next.
`,
  },
  {
    name: 'plan',
    description: 'Write a canonical fanout plan for a task under .fanout/plans/ and size it with the complexity gate',
    argumentHint: '<task description>',
    body: (c) => `# Plan

Task: $ARGUMENTS

If the task is empty, ask the user what to plan and stop.

${RUNNING_THE_CLI(c)}

1. **Phase 0.** Run \`${c.cli} doctor --constraints\`. If the task would change a \`block\` file, cross the
   project boundary or hit a stop trigger, say so and ask the user before going on.
2. **Scouts.** For each independent area the task touches, launch a read-only scout subagent with the Agent tool,
   all in one message so they run in parallel. Each reports the files to change, the interfaces and conventions,
   the tests, the risks. Scouts never edit files.
3. **Context bundle.** Merge the reports into one text: goal, constraints that apply, findings per area, agreed
   interfaces, conventions, how to validate.
4. **Write the plan** to \`.fanout/plans/<slug>.md\` (\`<slug>\`: the task in a few kebab-case words), in the
   canonical form:

   \`\`\`markdown
   ---
   title: <what the plan achieves>
   validate: <test command, if the repo has one>
   tasks:
     - id: <kebab-case id>
       files: [<repo-relative paths this task creates or changes>]
       depends_on: [<ids that must be done first>]
       prompt: <self-contained instructions for this task>
   ---
   <the context bundle: every agent gets it>
   \`\`\`

   Give every file to one task; tasks that share a file or need another's result are linked by \`depends_on\`.
   (A plan in the human template, with a "File Changes" table, converts with
   \`${c.cli} plan <file> --write-canonical .fanout/plans/<slug>.md\`.)
5. **Size it.** Run \`${c.cli} plan .fanout/plans/<slug>.md\`; fix what it reports until the plan is valid.
6. Show the plan and the gate's decision (direct, sequential or parallel, and why). Do not start the work: for a
   parallel plan the next step is ${c.slash('orchestrate')} .fanout/plans/<slug>.md; otherwise say how to build it
   (directly here, or one agent through the tasks in order).
`,
  },
  {
    name: 'orchestrate-status',
    description: 'Show the active and past fanout orchestrator runs and what to do next',
    argumentHint: '[run-id]',
    body: (c) => `# Orchestrator status

${RUNNING_THE_CLI(c)}

Run \`${c.cli} status --json\` and summarise it for the user: for each run (newest last), its status, target
branch, batches and where its report is. If the user named a run ($ARGUMENTS), focus on that one and read its
report. Name the next step where there is one: \`${c.cli} resume <run-id>\` to re-run failed batches, ${c.slash('orchestrate-cleanup')} for worktrees and branches left behind. Change nothing.
`,
  },
  {
    name: 'orchestrate-cleanup',
    description: 'Remove the worktrees and merged branches fanout runs left behind; unmerged work is kept',
    argumentHint: '[run-id]',
    body: (c) => `# Orchestrator cleanup

${RUNNING_THE_CLI(c)}

1. Run \`${c.cli} status\` and tell the user which runs have worktrees or branches left.
2. Run \`${c.cli} cleanup --json\`, or \`${c.cli} cleanup --run <run-id> --json\` if the user named a run
   ($ARGUMENTS). fanout removes worktrees without uncommitted changes and branches whose work is merged, and
   keeps everything else.
3. Report what was removed and what was kept, and why (a kept branch holds work that is not merged yet: say how to
   look at it, e.g. \`git log main..<branch>\`). Never delete a kept branch or worktree yourself.
`,
  },
  {
    name: 'constraints',
    description: "Show the Phase 0 constraints in force (locked files, stop triggers, boundary, ports, gate) and where they come from",
    argumentHint: '',
    body: (c) => `# Constraints

${RUNNING_THE_CLI(c)}

Run \`${c.cli} doctor --constraints\` and show the user the rules in force, grouped: locked files (\`block\`:
never changed, \`ask\`: a human says yes first, \`warn\`: allowed and reported), stop triggers, the project
boundary and temp roots, locked ports, and the complexity gate's thresholds. Say where they come from: the
constraints file (its path) or fanout's built-in defaults when the repo has none.

If the command reports the file as invalid, show its \`file:line: field: message\` lines and how to fix each: until
it is fixed, every tool call is denied. To change the rules, the user edits \`.claude/constraints.md\` (YAML front
matter for the rules, prose below for people and agents); offer to draft the change.
`,
  },
];

function frontMatter(template: CommandTemplate, allowedTools: string): string {
  const lines = ['---', `description: ${yamlString(template.description)}`];
  if (template.argumentHint !== '') lines.push(`argument-hint: ${yamlString(template.argumentHint)}`);
  lines.push(`allowed-tools: ${allowedTools}`, '---');
  return lines.join('\n');
}

/** Double-quoted YAML scalar: descriptions hold ':' and hints hold '<', '|' and '['. */
function yamlString(text: string): string {
  return JSON.stringify(text);
}

export function renderCommands(target: InstallTarget): CommandFile[] {
  const path = CLI_PATHS[target];
  const context: CommandContext = {
    cli: `node "${path}"`,
    slash: (name) => (target === 'plugin' ? `\`/fanout:${name}\`` : `\`/${name}\``),
  };
  // The permission rule grants exactly `node "<cli path>" …` and nothing else.
  const allowedTools = `Bash(node "${path}":*)`;
  return TEMPLATES.map((template) => ({
    name: template.name,
    content: `${frontMatter(template, allowedTools)}\n${template.body(context)}`,
  }));
}

export const COMMAND_NAMES: readonly string[] = TEMPLATES.map((t) => t.name);

/** Name, description and argument hint of each command, for listings (the plugin's README). */
export const COMMAND_SUMMARIES: ReadonlyArray<Pick<CommandTemplate, 'name' | 'description' | 'argumentHint'>> = TEMPLATES.map(({ name, description, argumentHint }) => ({ name, description, argumentHint }));
