// `fanout check`: the guard's verdict for people and scripts (exit 0 allow, 2 deny, 3 ask).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { command } from '../../../src/cli/commands/check.js';
import { FanoutError, UsageError } from '../../../src/util/errors.js';
import { tempRepo, type TempRepo } from '../../helpers/temp-repo.js';

let repo: TempRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
  vi.restoreAllMocks();
});

async function check(argv: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const code = await command.run(argv);
  vi.restoreAllMocks();
  return { code, out };
}

describe('fanout check', () => {
  it('denies a destructive command: exit 2, decision, rule and reason', async () => {
    repo = tempRepo();
    const { code, out } = await check(['--cwd', repo.dir, '--', 'rm -rf ~']);
    expect(code).toBe(2);
    expect(out).toMatch(/^Decision: deny\nRule:     rm-outside-repo\nReason:   /);
  });

  it('allows ordinary work with exit 0', async () => {
    repo = tempRepo();
    const { code, out } = await check(['--cwd', repo.dir, '--', 'git status && npm test']);
    expect(code).toBe(0);
    expect(out).toBe('Decision: allow\n');
  });

  it('asks about judgment calls with exit 3; words after -- are joined', async () => {
    repo = tempRepo();
    const { code, out } = await check(['--cwd', repo.dir, '--', 'rm', '-rf', 'src']);
    expect(code).toBe(3);
    expect(out).toContain('Rule:     rm-repo-top-level');
  });

  it('prints JSON with --json', async () => {
    repo = tempRepo();
    const { code, out } = await check(['--json', '--cwd', repo.dir, '--', 'git push --force']);
    expect(code).toBe(2);
    const json = JSON.parse(out) as { decision: string; ruleId: string; reason: string; findings: unknown[]; constraints: string };
    expect(json).toMatchObject({ decision: 'deny', ruleId: 'git-push-force', constraints: 'defaults' });
    expect(json.findings.length).toBeGreaterThan(0);
  });

  it('judges a Write with --write, and its content against locked ports', async () => {
    repo = tempRepo({ '.claude/constraints.md': '---\nports: { "5432": postgres }\n---\n' });
    expect((await check(['--cwd', repo.dir, '--write', '.env'])).code).toBe(2);
    expect((await check(['--cwd', repo.dir, '--write', 'src/a.ts'])).code).toBe(0);
    const port = await check(['--cwd', repo.dir, '--write', 'src/server.ts', '--content', 'app.listen(5432)']);
    expect(port.code).toBe(3);
    expect(port.out).toContain('port-locked');
    expect((await check(['--cwd', repo.dir, '--edit', 'package-lock.json'])).code).toBe(3);
  });

  it('uses the constraints of the repo at --cwd', async () => {
    repo = tempRepo({ '.claude/constraints.md': '---\nlocked:\n  - { path: "docs/**", level: block, reason: frozen }\n---\n' });
    const { code, out } = await check(['--cwd', repo.dir, '--', 'echo x > docs/a.md']);
    expect(code).toBe(2);
    expect(out).toContain('frozen');
  });

  it('an invalid constraints file is an error with exit code 2', async () => {
    repo = tempRepo({ '.claude/constraints.md': '---\nlocked: 3\n---\n' });
    const error = await command.run(['--cwd', repo.dir, '--', 'ls']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(FanoutError);
    expect((error as FanoutError).data?.['exitCode']).toBe(2);
    expect((error as FanoutError).message).toContain('constraints.md');
  });

  it.each([[[]], [['--write', 'a', '--edit', 'b']], [['--write', 'a', '--', 'ls']], [['--nope', '--', 'ls']]])('usage errors: %j', async (argv) => {
    await expect(command.run(argv)).rejects.toBeInstanceOf(UsageError);
  });

  const cli = join(import.meta.dirname, '../../../dist/cli.mjs');
  it('the built CLI exits 2/3/0 and prints no stack for bad constraints', () => {
    expect(existsSync(cli), 'run npm run build first').toBe(true);
    repo = tempRepo();
    const run = (...args: string[]) => spawnSync(process.execPath, [cli, 'check', '--cwd', (repo as TempRepo).dir, ...args], { encoding: 'utf8' });
    expect(run('--', 'rm -rf ~').status).toBe(2);
    expect(run('--', 'rm -rf src').status).toBe(3);
    expect(run('--', 'ls -la').status).toBe(0);
    repo.write({ '.claude/constraints.md': '---\nnope: 1\n---\n' });
    const bad = run('--', 'ls');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("unknown field 'nope'");
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    expect(execFileSync(process.execPath, [cli, 'check', '--help'], { encoding: 'utf8' })).toContain('Exit: 0 allow, 2 deny');
  });
});
