// `fanout check -- '<command>'` / `fanout check --write <path>`: ask the guard, as the pre-tool-use hook would.
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { FanoutError, UsageError } from '../../util/errors.js';
import { parseFlags, type Command } from '../command.js';

const usage = `Usage: fanout check [--json] [--cwd DIR] -- '<command>'
       fanout check [--json] [--cwd DIR] --write <path> [--content <text>]
       fanout check [--json] [--cwd DIR] --edit <path> [--content <text>]

Asks the Phase 0 guard about a shell command (as the Bash tool would run it) or a file write
(as Write/Edit would do it), with the constraints of the repo at --cwd (default: here).

Options:
  --json            print {decision, ruleId, reason, findings, warnings, constraints}
  --cwd DIR         judge as if the command ran in DIR (default: the current directory)
  --write PATH      judge a Write of PATH instead of a command
  --edit PATH       judge an Edit of PATH instead of a command
  --content TEXT    the text written (checked against locked ports)

Exit: 0 allow, 2 deny (also: invalid constraints file, usage error), 3 ask.`;

const EXIT = { allow: 0, deny: 2, ask: 3 } as const;

export const command: Command = {
  usage,
  async run(argv) {
    const { values, positionals } = parseFlags('check', argv, {
      json: { type: 'boolean' },
      cwd: { type: 'string' },
      write: { type: 'string' },
      edit: { type: 'string' },
      content: { type: 'string' },
    });
    const file = values.write ?? values.edit;
    if (values.write !== undefined && values.edit !== undefined) throw new UsageError('check: give --write or --edit, not both');
    if (file === undefined && positionals.length === 0) throw new UsageError('check: missing the command to check', "run `fanout check -- 'rm -rf dist'` or `fanout check --write .env`");
    if (file !== undefined && positionals.length > 0) throw new UsageError('check: give a command or --write/--edit, not both');
    if (file === '') throw new UsageError('check: --write/--edit needs a path');
    const cwd = resolve(values.cwd ?? process.cwd());

    const { loadConstraints } = await import('../../constraints/read-constraints.js');
    const loaded = await loadConstraints(cwd);
    if ('error' in loaded) {
      throw new FanoutError('constraints-invalid', `the constraints file is invalid, so the guard denies every tool call until it is fixed:\n${loaded.error}`, {
        hint: `fix ${loaded.file} (or delete it to use the defaults); \`fanout doctor\` prints the same`,
        data: { exitCode: 2 },
      });
    }
    // The same judging as the hook's (src/hooks/judge-tool-call.ts), so that check and the hook answer alike.
    const { judgeToolCall } = await import('../../hooks/judge-tool-call.js');
    const { activePlan, readLedgerTail } = await import('../../hooks/ledger.js');
    const { sizePlanFile } = await import('../../plan/index.js');
    const { nodeFs } = await import('../../util/node-fs.js');
    const constraints = loaded.constraints;
    const context = { cwd, projectDir: loaded.projectDir, repoRoot: loaded.repoRoot, gitDir: loaded.gitDir, home: process.env['HOME'] || homedir() };
    const call =
      file === undefined
        ? { toolName: 'Bash', toolInput: { command: positionals.join(' ') } }
        : values.write !== undefined
          ? { toolName: 'Write', toolInput: { file_path: file, content: values.content ?? '' } }
          : { toolName: 'Edit', toolInput: { file_path: file, old_string: '', new_string: values.content ?? '' } };
    const verdict = await judgeToolCall(call, constraints, context, {
      sizePlan: (planPath, planCwd) => sizePlanFile(planPath, planCwd, constraints.gate, nodeFs),
      activePlanDecision: async () => activePlan(await readLedgerTail(nodeFs, loaded.commonDir), undefined)?.decision,
    });

    if (values.json) {
      const json = { decision: verdict.decision, ruleId: verdict.ruleId ?? null, reason: verdict.reason ?? null, findings: verdict.findings, warnings: verdict.warnings, constraints: loaded.file ?? 'defaults' };
      process.stdout.write(`${JSON.stringify(json, null, 2)}\n`);
    } else {
      const lines = [`Decision: ${verdict.decision}`];
      if (verdict.ruleId) lines.push(`Rule:     ${verdict.ruleId}`);
      if (verdict.reason) lines.push(`Reason:   ${verdict.reason}`);
      for (const warning of verdict.warnings) lines.push(`Warning:  [${warning.ruleId}] ${warning.message}`);
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return EXIT[verdict.decision];
  },
};
