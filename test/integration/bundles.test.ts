// The shipped bundles run with plain node from a copy of dist/ alone: that is what the plugin and a
// per-repo install run, on machines with no node_modules.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempRepo, type TempRepo } from '../helpers/temp-repo.js';

const dist = join(import.meta.dirname, '../../dist');
let copy: string;
let repo: TempRepo;
let home: string;

function hasNodeModulesAbove(dir: string): boolean {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, 'node_modules'))) return true;
    if (d === parse(d).root) return false;
  }
}

function run(script: string, args: string[], input?: string, cwd = copy) {
  const result = spawnSync(process.execPath, [join(copy, script), ...args], { cwd, input, encoding: 'utf8', env: { ...process.env, HOME: home, XDG_CACHE_HOME: '' } });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'fanout-dist-'));
  cpSync(dist, copy, { recursive: true });
  repo = tempRepo();
  home = mkdtempSync(join(tmpdir(), 'fanout-home-'));
});

afterAll(() => {
  rmSync(copy, { recursive: true, force: true });
  repo.cleanup();
  rmSync(home, { recursive: true, force: true });
});

describe('the bundles, copied away from node_modules', () => {
  it('really are away from any node_modules', () => {
    expect(hasNodeModulesAbove(copy)).toBe(false);
  });

  it('cli.mjs prints usage and rejects an unknown command with exit 2', () => {
    const help = run('cli.mjs', ['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/Usage: fanout <command>/);
    const unknown = run('cli.mjs', ['frobnicate']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr.trim().split('\n')[0]).toMatch(/frobnicate/);
  });

  it('hook.cjs allows ordinary work silently and denies a destructive command', () => {
    const input = (command: string) => JSON.stringify({ session_id: 's', hook_event_name: 'PreToolUse', cwd: repo.dir, tool_name: 'Bash', tool_input: { command } });
    const ok = run('hook.cjs', ['pre-tool-use'], input('git status'), repo.dir);
    expect(ok).toMatchObject({ status: 0, stdout: '' });
    const bad = run('hook.cjs', ['pre-tool-use'], input('rm -rf ~/projects'), repo.dir);
    expect(bad.status).toBe(0);
    const out = JSON.parse(bad.stdout) as { hookSpecificOutput: { permissionDecision: string; permissionDecisionReason: string } };
    expect(out.hookSpecificOutput.permissionDecision).toBe('deny');
    expect(out.hookSpecificOutput.permissionDecisionReason).toMatch(/^\[fanout:[a-z-]+\]/);
  });

  it('hook.cjs parses a constraints file and a plan from its on-demand chunks', () => {
    repo.write({ '.claude/constraints.md': '---\nlocked:\n  - { path: "secrets/**", level: block, reason: vault-managed }\n---\nKeep secrets out.\n' });
    const input = JSON.stringify({ session_id: 's', hook_event_name: 'PreToolUse', cwd: repo.dir, tool_name: 'Write', tool_input: { file_path: join(repo.dir, 'secrets/key.txt'), content: 'x' } });
    const out = run('hook.cjs', ['pre-tool-use'], input, repo.dir);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('deny');
    expect(out.stdout).toContain('vault-managed');
    rmSync(join(repo.dir, '.claude'), { recursive: true, force: true });
  });

  it('hook.cjs sizes a plan named in a fanout orchestrate command (the lazily loaded plan code)', () => {
    repo.write({ 'small.md': '---\ntitle: Small\ntasks:\n  - id: one\n    files: [a.txt]\n---\n' });
    const input = JSON.stringify({ session_id: 's', hook_event_name: 'PreToolUse', cwd: repo.dir, tool_name: 'Bash', tool_input: { command: 'fanout orchestrate small.md' } });
    const out = run('hook.cjs', ['pre-tool-use'], input, repo.dir);
    expect(out.status).toBe(0);
    expect(out.stdout).toContain('[fanout:gate-small-plan]');
    expect(out.stdout).toContain('1 file');
  });

  it('hook.cjs keeps a V8 code cache per user, and a corrupt cache only costs speed', () => {
    const cacheDir = join(home, '.cache/fanout');
    rmSync(cacheDir, { recursive: true, force: true });
    const input = JSON.stringify({ session_id: 's', hook_event_name: 'PreToolUse', cwd: repo.dir, tool_name: 'Bash', tool_input: { command: 'git reset --hard' } });
    const first = run('hook.cjs', ['pre-tool-use'], input, repo.dir);
    expect(first.stdout).toContain('[fanout:git-reset-hard]');
    const caches = readdirSync(cacheDir);
    expect(caches).toEqual([expect.stringMatching(/^core-[0-9a-f]{16}-v\d+\.\d+\.\d+-\w+\.v8$/)]);
    const cache = join(cacheDir, caches[0] ?? '');
    writeFileSync(cache, 'not a V8 code cache');
    expect(run('hook.cjs', ['pre-tool-use'], input, repo.dir)).toEqual(first);
    // Rejected data is replaced by a real cache, which the next run reads.
    expect(readFileSync(cache).length).toBeGreaterThan(1000);
    expect(run('hook.cjs', ['pre-tool-use'], input, repo.dir)).toEqual(first);
  });

  it('the hook bundle carries none of the CLI-only libraries', () => {
    const files = ['hook.cjs', ...readdirSync(join(dist, 'hook-chunks')).map((name) => `hook-chunks/${name}`)];
    const text = files.map((file) => readFileSync(join(dist, file), 'utf8')).join('\n');
    // Strings each library carries in its own code.
    expect(text).not.toMatch(/simple-git|GitResponseError/);
    expect(text).not.toMatch(/execa|ExecaError/);
    expect(text).not.toMatch(/gray-matter|section-matter/);
  });
});
