// The plugin's PreToolUse command hook (dist/plugin/pre-tool-use.sh, run by bash in exec form): silent for a call the
// hooks module named in its marker, and the guard in node, with the input untouched, for every other call.
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

function input(id: string, command = 'echo "tool_use_id":"x"'): string {
  return JSON.stringify({ session_id: SESSION, hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command }, tool_use_id: id });
}

/** As Claude Code runs the plugin's hook: `<shell> <script>`, no `-c`; stdin a socket (bash reads it with read -N). */
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
  const result = spawnSync(shell, [SCRIPT], { input: stdin, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, node: existsSync(nodeLog) ? readFileSync(nodeLog, 'utf8') : undefined };
}

describe('pre-tool-use.sh', () => {
  it('says nothing and starts no node for a call the module named, however large its input', () => {
    expect(run('bash', input('toolu_01Abc'), { marker: 'toolu_other\ntoolu_01Abc\n' })).toEqual({ status: 0, stdout: '', stderr: '', node: undefined });
    // A last line without its newline still counts.
    expect(run('bash', input('toolu_01Abc'), { marker: 'toolu_01Abc' }).node).toBeUndefined();
    expect(run('bash', input('toolu_01Abc', `echo ${'x'.repeat(3_000_000)}`), { marker: 'toolu_01Abc\n' }).node).toBeUndefined();
  });

  it('runs node when the id shows up only inside the tool input, not as the input\'s own tool_use_id', () => {
    const stdin = input('toolu_real', 'echo \'"tool_use_id":"toolu_forged"}\'');
    expect(run('bash', stdin, { marker: 'toolu_forged\n' }).node?.replace(/\n$/, '')).toBe(`/opt/fanout plugin/dist/hook.cjs pre-tool-use\n${stdin}`);
  });
});

// sh: a shell without read -N (dash here, bash 3.2 on macOS) must still hand node the whole input.
describe.each(['bash', 'sh'])('pre-tool-use.sh under %s, falling back to node', (shell) => {
  it('runs the guard in node, with the input as it came, for any other call', () => {
    const stdin = input('toolu_02Def');
    const options = [{ marker: 'toolu_01Abc\n' }, {}, { marker: 'toolu_02Def\n', data: false }, { marker: '*\n' }, { marker: 'toolu_02De\n' }, { marker: '' }];
    // Without read -N even the call the module named goes to node: slower, never unjudged.
    if (shell === 'sh') options.push({ marker: 'toolu_02Def\n' });
    for (const option of options) {
      const result = run(shell, stdin, option);
      expect(result.status, JSON.stringify(option)).toBe(0);
      expect(result.stdout).toBe('{"decided":"by node"}\n');
      // The input byte for byte (the fake node logs its arguments, a newline, then its stdin).
      expect(result.node, JSON.stringify(option)).toBe(`/opt/fanout plugin/dist/hook.cjs pre-tool-use\n${stdin}`);
    }
  });

  it("passes node's exit status on, so a failing guard blocks (onFailure: block)", () => {
    expect(run(shell, input('toolu_03'), { marker: 'toolu_01\n', exit: 2 }).status).toBe(2);
    expect(run(shell, input('toolu_03'), { exit: 1 }).status).toBe(1);
  });
});
