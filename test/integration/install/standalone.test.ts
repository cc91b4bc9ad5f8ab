// A teammate who clones an installed repo has node and nothing else: the copied bundles must run with no
// node_modules anywhere above them. The build is copied to a temp dir first, so init also finds its bundles there.
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CONSTRAINTS_PROSE_MARKER } from '../../../src/install/index.js';
import { tempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { DIST, ROOT, runCli, runHookBundle, requireBuild } from './helpers.js';

beforeAll(requireBuild);

let repo: TempRepo | undefined;
let copy: string | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
  if (copy) rmSync(copy, { recursive: true, force: true });
  copy = undefined;
});

function noNodeModulesAbove(dir: string): void {
  for (let d = dir; ; d = dirname(d)) {
    expect(existsSync(join(d, 'node_modules')), `${d}/node_modules must not exist for this test`).toBe(false);
    if (dirname(d) === d) break;
  }
}

describe('the installed bundles run with node alone', () => {
  it('init from a copied build; the repo\'s hook and CLI answer with no node_modules in reach', () => {
    copy = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-copy-')));
    cpSync(DIST, join(copy, 'dist'), { recursive: true });
    noNodeModulesAbove(join(copy, 'dist'));
    repo = tempRepo({ 'README.md': '# standalone\n', 'plans/small.md': '---\ntitle: Two files\ntasks:\n  - id: a\n    files: [src/a.ts, src/b.ts]\n---\nSmall.\n' });
    const dir = repo.dir;
    noNodeModulesAbove(dir);
    const init = runCli(['init', '--dir', dir], { cwd: copy, cli: join(copy, 'dist', 'cli.mjs') });
    expect(init.code, init.stderr).toBe(0);
    rmSync(copy, { recursive: true, force: true });

    const hook = join(dir, '.claude/fanout/hook.cjs');
    const env = { CLAUDE_PROJECT_DIR: dir, HOME: '/home/nobody' };
    const call = (event: string, input: Record<string, unknown>) => runHookBundle(hook, event, { session_id: 's', cwd: dir, ...input }, { cwd: dir, env });

    const benign = call('pre-tool-use', { hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'git status && ls src' } });
    expect(benign, benign.stderr).toEqual({ code: 0, stdout: '', stderr: '' });
    const dangerous = call('pre-tool-use', { hook_event_name: 'PreToolUse', tool_name: 'Bash', tool_input: { command: 'rm -rf ~' } });
    expect(dangerous.code, dangerous.stderr).toBe(0);
    expect(JSON.parse(dangerous.stdout)).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } });
    const env_ = call('pre-tool-use', { hook_event_name: 'PreToolUse', tool_name: 'Write', tool_input: { file_path: join(dir, '.env'), content: 'X=1\n' } });
    expect(JSON.parse(env_.stdout)).toMatchObject({ hookSpecificOutput: { permissionDecision: 'deny' } });

    const start = call('session-start', { hook_event_name: 'SessionStart', source: 'startup' });
    expect(start.code, start.stderr).toBe(0);
    expect(JSON.parse(start.stdout).hookSpecificOutput.additionalContext).toContain(CONSTRAINTS_PROSE_MARKER);

    const gate = call('user-prompt-submit', { hook_event_name: 'UserPromptSubmit', prompt: '/orchestrate plans/small.md' });
    expect(gate.code, gate.stderr).toBe(0);
    expect(JSON.parse(gate.stdout)).toMatchObject({ decision: 'block', reason: expect.stringContaining('fanout complexity gate') });

    const write = call('pre-tool-use', { hook_event_name: 'PreToolUse', tool_name: 'Write', tool_input: { file_path: join(dir, 'src/a.ts'), content: 'x' } });
    expect(write, write.stderr).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readFileSync(join(dir, '.git/fanout/ledger.jsonl'), 'utf8')).toContain('"files":["src/a.ts"]');

    const cli = join(dir, '.claude/fanout/cli.mjs');
    const plan = runCli(['plan', 'plans/small.md', '--json'], { cwd: dir, cli });
    expect(plan.code, plan.stderr).toBe(0);
    expect(JSON.parse(plan.stdout)).toMatchObject({ decision: 'direct' });
    const doctor = runCli(['doctor'], { cwd: dir, cli });
    expect(doctor.code, doctor.stdout).toBe(0);
    const version = runCli(['--version'], { cwd: dir, cli });
    expect(version.stdout.trim()).toBe((JSON.parse(read('package.json')) as { version: string }).version);
  });

  it('the hook bundle and its chunks import none of the CLI-only packages', () => {
    const files = ['hook.cjs', ...readdirSync(join(DIST, 'hook-chunks')).map((f) => `hook-chunks/${f}`)];
    for (const file of files) {
      const source = readFileSync(join(DIST, file), 'utf8');
      for (const name of ['simple-git', 'execa', 'gray-matter']) expect(source, file).not.toMatch(new RegExp(`from\\s*["']${name}["']|import\\(\\s*["']${name}["']\\s*\\)`));
    }
  });
});

function read(rel: string): string {
  return readFileSync(join(ROOT, rel), 'utf8');
}
