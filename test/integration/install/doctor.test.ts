// `fanout doctor` on healthy and broken installs, run as the installed CLI would be.
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorCheck } from '../../../src/install/index.js';
import { tempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { runCli, runHookBundle, requireBuild } from './helpers.js';

beforeAll(requireBuild);

let repo: TempRepo | undefined;
const extraDirs: string[] = [];
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
  for (const dir of extraDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function installed(files: Record<string, string> = { 'README.md': '# x\n' }): TempRepo {
  repo = tempRepo(files);
  const init = runCli(['init'], { cwd: repo.dir });
  if (init.code !== 0) throw new Error(init.stderr);
  return repo;
}

function doctor(dir: string, env: Record<string, string | undefined> = {}): { code: number | null; checks: DoctorCheck[]; text: string } {
  const json = runCli(['doctor', '--json'], { cwd: dir, env });
  const text = runCli(['doctor'], { cwd: dir, env });
  expect(text.code).toBe(json.code);
  return { code: json.code, checks: JSON.parse(json.stdout) as DoctorCheck[], text: text.stdout };
}

const byId = (checks: DoctorCheck[], id: string) => checks.find((c) => c.id === id);
const problems = (checks: DoctorCheck[]) => checks.filter((c) => c.level === 'problem').map((c) => c.id);

describe('fanout doctor', () => {
  it('a fresh per-repo install is healthy: every check ok, exit 0', () => {
    const { dir } = installed();
    const result = doctor(dir);
    expect(result.code, result.text).toBe(0);

    expect(result.checks.map((c) => [c.id, c.level])).toEqual([
      ['node', 'ok'],
      ['git', 'ok'],
      ['wiring', 'ok'],
      ['bundle', 'ok'],
      ['constraints', 'ok'],
      ['dry-run', 'ok'],
    ]);
    expect(byId(result.checks, 'dry-run')?.summary).toMatch(/`git status` allowed, `rm -rf ~` denied \(\[fanout:[a-z-]+\]\)/);
    expect(result.text).toMatch(/No problems\.$/m);
  });

  it('reports an invalid constraints file with the same line-accurate error the hook gives, and how to fix it', () => {
    const { dir } = installed();
    writeFileSync(join(dir, '.claude/constraints.md'), '---\nlocked:\n  - path: .env\n    level: nope\n    reason: secrets\n---\n');
    const result = doctor(dir);
    expect(result.code).toBe(1);
    const check = byId(result.checks, 'constraints');
    expect(check?.level).toBe('problem');
    expect(check?.detail).toMatch(/constraints\.md:4: locked\[0\]\.level: expected one of "block", "ask", "warn"/);
    expect(check?.fix).toMatch(/delete the file to use the built-in defaults/);
    const hook = runHookBundle(join(dir, '.claude/fanout/hook.cjs'), 'pre-tool-use', { cwd: dir, tool_name: 'Bash', tool_input: { command: 'ls' } }, { cwd: dir });
    const reason = (JSON.parse(hook.stdout) as { hookSpecificOutput: { permissionDecisionReason: string } }).hookSpecificOutput.permissionDecisionReason;
    expect(reason).toContain(check?.detail ?? 'missing');
    // The dry run sees the same thing: the benign call is denied because of the file.
    expect(byId(result.checks, 'dry-run')).toMatchObject({ level: 'problem', fix: expect.stringMatching(/constraints/) });
    expect(result.text).toContain('locked[0].level');
  });

  it('reports a missing hook chunk (a partial copy) as an incomplete bundle', () => {
    const { dir } = installed();
    const chunks = readdirSync(join(dir, '.claude/fanout/hook-chunks'));
    rmSync(join(dir, '.claude/fanout/hook-chunks', chunks[0] ?? 'none'));
    const result = doctor(dir);
    expect(result.code).toBe(1);
    expect(byId(result.checks, 'bundle')).toMatchObject({ level: 'problem', summary: expect.stringContaining(`missing hook-chunks/${chunks[0]}`), fix: expect.stringMatching(/fanout init/) });
  });

  it('reports a bundle from another version, and one that differs from this CLI\'s build', () => {
    const { dir } = installed();
    const recordPath = join(dir, '.claude/fanout/install.json');
    const record = JSON.parse(readFileSync(recordPath, 'utf8')) as { fanout: string };
    writeFileSync(recordPath, JSON.stringify({ ...record, fanout: '0.0.1' }));
    expect(byId(doctor(dir).checks, 'bundle')).toMatchObject({ level: 'problem', summary: expect.stringContaining('installed by fanout 0.0.1') });
    writeFileSync(recordPath, JSON.stringify(record));
    writeFileSync(join(dir, '.claude/fanout/cli.mjs'), `${readFileSync(join(dir, '.claude/fanout/cli.mjs'), 'utf8')}\n// edited\n`);
    expect(byId(doctor(dir).checks, 'bundle')).toMatchObject({ level: 'problem', summary: expect.stringContaining('differs from the build') });
  });

  it('reports a repo without fanout wiring, with both ways to install', () => {
    repo = tempRepo();
    const result = doctor(repo.dir);
    expect(result.code).toBe(1);
    expect(byId(result.checks, 'wiring')).toMatchObject({ level: 'problem', fix: expect.stringMatching(/fanout init.*claude plugin install fanout@fanout/) });
  });

  it('reports edited fanout hook entries as outdated', () => {
    const { dir } = installed();
    const path = join(dir, '.claude/settings.json');
    writeFileSync(path, readFileSync(path, 'utf8').replace('"timeout": 10', '"timeout": 600'));
    const result = doctor(dir);
    expect(result.code).toBe(1);
    expect(byId(result.checks, 'wiring')).toMatchObject({ level: 'problem', summary: expect.stringContaining('outdated or edited fanout entries on PreToolUse') });
  });

  it('reports an install from before the subagent hooks (no SubagentStart/SubagentStop): the parallel-writers gate needs them', () => {
    const { dir } = installed();
    const path = join(dir, '.claude/settings.json');
    const settings = JSON.parse(readFileSync(path, 'utf8')) as { hooks: Record<string, unknown> };
    delete settings.hooks['SubagentStart'];
    delete settings.hooks['SubagentStop'];
    writeFileSync(path, JSON.stringify(settings, null, 2));
    const result = doctor(dir);
    expect(result.code).toBe(1);
    expect(byId(result.checks, 'wiring')).toMatchObject({ level: 'problem', summary: expect.stringContaining('no fanout hook on SubagentStart, SubagentStop'), fix: expect.stringMatching(/fanout init/) });
    expect(runCli(['init'], { cwd: dir }).code).toBe(0);
    expect(byId(doctor(dir).checks, 'wiring')).toMatchObject({ level: 'ok', summary: expect.stringContaining('SubagentStart, SubagentStop') });
  });

  it('reports a settings file Claude Code cannot parse, with line and column', () => {
    const { dir } = installed();
    writeFileSync(join(dir, '.claude/settings.json'), '{\n  "hooks": {},\n}\n');
    const result = doctor(dir);
    expect(result.code).toBe(1);
    expect(byId(result.checks, 'wiring')?.summary).toMatch(/^\.claude\/settings\.json:3:1: not valid JSON.*ignores a settings file it cannot parse/);
  });

  it('accepts the plugin as wiring, and warns when fanout is wired both ways', () => {
    repo = tempRepo({ '.claude/settings.json': '{"enabledPlugins": {"fanout@fanout": true}}\n' });
    const config = mkdtempSync(join(tmpdir(), 'fanout-doctor-config-'));
    extraDirs.push(config);
    const plugin = doctor(repo.dir, { CLAUDE_CONFIG_DIR: config });
    expect(byId(plugin.checks, 'wiring')).toMatchObject({ level: 'ok', summary: expect.stringContaining('plugin: fanout@fanout in .claude/settings.json') });
    expect(byId(plugin.checks, 'dry-run')?.level).toBe('ok');
    // Which way the guard judges: no session has used the hooks module yet, so the command hook does.
    expect(byId(plugin.checks, 'guard-path')).toMatchObject({ level: 'ok', summary: expect.stringMatching(/no session here has used fanout's in-process hooks module yet.*PreToolUse command hook judges every call/) });
    // A session where the module judged calls leaves its marker in the plugin's data dir.
    mkdirSync(join(config, 'plugins/data/fanout-fanout/judged'), { recursive: true });
    writeFileSync(join(config, 'plugins/data/fanout-fanout/judged/5f61b454-fcd5-443e-8f2e-4cc565fd0e5f'), 'toolu_01\n');
    const seen = doctor(repo.dir, { CLAUDE_CONFIG_DIR: config });
    expect(byId(seen.checks, 'guard-path')?.summary).toMatch(/^plugin guard: in-process, fanout's hooks module judged tool calls in session 5f61b454-fcd5-443e-8f2e-4cc565fd0e5f, the last less than a minute ago/);
    expect(runCli(['init'], { cwd: repo.dir }).code).toBe(0);
    const both = doctor(repo.dir);
    expect(both.code).toBe(0);
    expect(byId(both.checks, 'wiring')).toMatchObject({ level: 'warn', summary: expect.stringContaining('wired twice') });
  });

  it('warns about a git older than 2.38: orchestrate refuses, the rest works', () => {
    const { dir } = installed();
    const bin = join(tmpdir(), `fanout-fake-git-${process.pid}`);
    extraDirs.push(bin);
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'git'), '#!/bin/sh\necho "git version 2.30.1"\n');
    chmodSync(join(bin, 'git'), 0o755);
    const result = doctor(dir, { PATH: `${bin}:${process.env['PATH'] ?? ''}` });
    expect(result.code).toBe(0);
    expect(byId(result.checks, 'git')).toMatchObject({ level: 'warn', summary: expect.stringMatching(/2\.30\.1.*merge-tree --write-tree.*orchestrate` refuses.*guard, the gate and the commands still work.*one agent/), fix: expect.stringContaining('2.38') });
  });

  it('fails the dry run when the installed hook lets `rm -rf ~` through or crashes', () => {
    const { dir } = installed();
    const hook = join(dir, '.claude/fanout/hook.cjs');
    writeFileSync(hook, 'process.stdin.resume(); process.stdin.on("end", () => {});\n');
    const allowing = doctor(dir);
    expect(allowing.code).toBe(1);
    expect(byId(allowing.checks, 'dry-run')?.summary).toContain('`rm -rf ~` was allowed');
    writeFileSync(hook, 'throw new Error("boom")\n');
    const crashing = doctor(dir);
    expect(byId(crashing.checks, 'dry-run')?.summary).toMatch(/`git status` was not answered \(exit 1: .*boom/);
    expect(problems(crashing.checks)).toContain('bundle');
  });

  it('--constraints prints the rules in force and their source; exit 1 with the errors when invalid', () => {
    const { dir } = installed();
    const ok = runCli(['doctor', '--constraints'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`Source: ${join(dir, '.claude/constraints.md')}`);
    expect(ok.stdout).toContain('block  .env: holds secrets');
    rmSync(join(dir, '.claude/constraints.md'));
    expect(runCli(['doctor', '--constraints'], { cwd: dir }).stdout).toMatch(/^Source: built-in defaults/);
    writeFileSync(join(dir, '.claude/constraints.md'), '---\nbogus: 1\n---\n');
    const bad = runCli(['doctor', '--constraints'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/constraints\.md:2: bogus: unknown field 'bogus'/);
  });
});
