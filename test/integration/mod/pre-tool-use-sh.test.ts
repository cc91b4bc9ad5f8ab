// The plugin's PreToolUse command hook (dist/plugin/pre-tool-use.sh, sourced by the hook's shell): silent for a call
// the hooks module named in its marker, and the guard in node, with the input untouched, for every other call.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SCRIPT = join(import.meta.dirname, '..', '..', '..', 'dist', 'plugin', 'pre-tool-use.sh');
const SESSION = '0d5c1f9e-1111-4222-8333-444455556666';
let dir: string;
let fakeNode: string;
let nodeLog: string;

beforeAll(() => {
  if (!existsSync(SCRIPT)) throw new Error(`${SCRIPT} is missing: run \`npm run build\` (npm test does) before these tests`);
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-plugin-sh-')));
  fakeNode = join(dir, 'bin');
  nodeLog = join(dir, 'node.log');
  mkdirSync(fakeNode);
  // Stands in for node: records its arguments and stdin, answers like a deny, exits with FAKE_NODE_EXIT.
  writeFileSync(join(fakeNode, 'node'), `#!/bin/sh\nprintf '%s\\n' "$*" > "${nodeLog}"\ncat >> "${nodeLog}"\necho '{"decided":"by node"}'\nexit "\${FAKE_NODE_EXIT:-0}"\n`);
  chmodSync(join(fakeNode, 'node'), 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const shells = ['bash', 'sh', 'zsh'].filter((shell) => spawnSync(shell, ['-c', 'true']).status === 0);

function input(id: string): string {
  return JSON.stringify({ session_id: SESSION, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'echo "tool_use_id":"x"' }, tool_use_id: id });
}

function run(shell: string, stdin: string, options: { marker?: string; data?: boolean; exit?: number } = {}) {
  const data = join(dir, `data-${shell}`);
  rmSync(data, { recursive: true, force: true });
  rmSync(nodeLog, { force: true });
  if (options.marker !== undefined) {
    mkdirSync(join(data, 'judged'), { recursive: true });
    writeFileSync(join(data, 'judged', SESSION), options.marker);
  }
  // HOME: bash reads ~/.bashrc when its stdin is a socket, as node's pipes are; a developer's rc file is not under test.
  const env: Record<string, string> = { HOME: dir, PATH: `${fakeNode}:/usr/bin:/bin`, CLAUDE_PLUGIN_ROOT: '/opt/fanout plugin', CLAUDE_CODE_SESSION_ID: SESSION, FAKE_NODE_EXIT: String(options.exit ?? 0) };
  if (options.data !== false) env['CLAUDE_PLUGIN_DATA'] = data;
  // As Claude Code runs the hook entry: `<shell> -c '<command>'`, the command sourcing the script.
  const result = spawnSync(shell, ['-c', `. "${SCRIPT}"`], { input: stdin, env, encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, node: existsSync(nodeLog) ? readFileSync(nodeLog, 'utf8') : undefined };
}

describe.each(shells)('pre-tool-use.sh under %s', (shell) => {
  it('says nothing and starts no node for a call the module named', () => {
    expect(run(shell, input('toolu_01Abc'), { marker: 'toolu_other\ntoolu_01Abc\n' })).toEqual({ status: 0, stdout: '', stderr: '', node: undefined });
    // A last line without its newline still counts.
    expect(run(shell, input('toolu_01Abc'), { marker: 'toolu_01Abc' }).node).toBeUndefined();
  });

  it('runs the guard in node, with the input as it came, for any other call', () => {
    const stdin = input('toolu_02Def');
    for (const options of [{ marker: 'toolu_01Abc\n' }, {}, { marker: 'toolu_02Def\n', data: false }, { marker: '*\n' }, { marker: 'toolu_02De\n' }, { marker: '' }]) {
      const result = run(shell, stdin, options);
      expect(result.status, JSON.stringify(options)).toBe(0);
      expect(result.stdout).toBe('{"decided":"by node"}\n');
      // The JSON as it came (the marker path re-sends it with a final newline, which JSON ignores).
      expect(result.node?.replace(/\n$/, ''), JSON.stringify(options)).toBe(`/opt/fanout plugin/dist/hook.cjs pre-tool-use\n${stdin}`);
    }
  });

  it("passes node's exit status on, so a failing guard blocks (onFailure: block)", () => {
    expect(run(shell, input('toolu_03'), { marker: 'toolu_01\n', exit: 2 }).status).toBe(2);
    expect(run(shell, input('toolu_03'), { exit: 1 }).status).toBe(1);
  });
});
