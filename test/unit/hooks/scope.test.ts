// The scope hook of orchestrated agents: only the batch's files, only inside the agent's worktree.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkScope, readScope, type Scope } from '../../../src/hooks/scope.js';
import { nodeFs } from '../../../src/util/node-fs.js';

// Everything under /tmp on purpose: the temp-root exemption must not cover a repo that lives there.
const base = '/tmp/fanout-scope-unit';
const worktree = `${base}/repo.fanout/run-1/api`;
const scope: Scope = { root: worktree, files: ['src/api.ts', 'src/api.test.ts'], protect: [`${base}/repo`, `${base}/repo.fanout`] };
const context = { cwd: worktree, projectDir: worktree, repoRoot: worktree, gitDir: `${base}/repo/.git/worktrees/api`, home: '/home/dev' };

const write = (file_path: string) => checkScope('Write', { file_path, content: 'x' }, scope, context)?.ruleId;
const bash = (command: string) => checkScope('Bash', { command }, scope, context)?.ruleId;

describe('checkScope', () => {
  it.each([
    ['a batch file, relative', 'src/api.ts', undefined],
    ['a batch file, absolute', `${worktree}/src/api.test.ts`, undefined],
    ['another file of the worktree', 'src/web.ts', 'scope-outside-batch'],
    ['the main checkout by absolute path', `${base}/repo/src/api.ts`, 'scope-outside-worktree'],
    ["another batch's worktree", `${base}/repo.fanout/run-1/web/src/web.ts`, 'scope-outside-worktree'],
    ['scratch space under /tmp', '/tmp/notes.txt', undefined],
    ['a path outside everything', '/etc/hosts', 'scope-outside-worktree'],
  ])('Write to %s', (_name, path, expected) => expect(write(path)).toBe(expected));

  it.each([
    ['writing a batch file', 'echo x > src/api.ts', undefined],
    ['writing another file', "printf 'x' > src/web.ts", 'scope-outside-batch'],
    ['escaping to the main checkout', `cp src/api.ts ${base}/repo/src/api.ts`, 'scope-outside-worktree'],
    ['scratch files', 'echo x > /tmp/scratch.log', undefined],
    ['reading only', 'cat src/web.ts && git diff', undefined],
  ])('Bash %s', (_name, command, expected) => expect(bash(command)).toBe(expected));

  it('ignores read-only MCP tools and judges write-ish ones with the guard\'s reading of their paths', () => {
    expect(checkScope('mcp__fs__read_file', { path: 'src/web.ts' }, scope, context)).toBeUndefined();
    expect(checkScope('mcp__fs__write_file', { path: 'src/web.ts' }, scope, context)?.ruleId).toBe('scope-outside-batch');
    expect(checkScope('mcp__fs__copy_file', { source: 'src/api.ts', destination: 'src/web.ts' }, scope, context)?.ruleId).toBe('scope-outside-batch');
    expect(checkScope('mcp__fs__move_file', { source: 'src/web.ts', destination: 'src/api.ts' }, scope, context)?.ruleId).toBe('scope-outside-batch');
    expect(checkScope('mcp__fs__move_file', { source: 'src/api.test.ts', destination: 'src/api.ts' }, scope, context)).toBeUndefined();
  });

  it('reads ~ in a Write path as the home directory, as the guard does', () => {
    expect(write('~/notes.txt')).toBe('scope-outside-worktree');
  });
});

describe('readScope', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fanout-scope-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it('reads what the orchestrator writes and rejects anything else with what to do', async () => {
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(scope));
    expect(await readScope(nodeFs, good)).toEqual(scope);
    for (const [name, text] of [
      ['relative.json', JSON.stringify({ root: 'wt', files: [] })],
      ['protect.json', JSON.stringify({ root: '/wt', files: [], protect: ['relative'] })],
      ['broken.json', '{'],
    ] as const) {
      writeFileSync(join(dir, name), text);
      expect(await readScope(nodeFs, join(dir, name))).toMatchObject({ error: expect.stringMatching(/scope file|cannot read scope file/) });
    }
    expect(await readScope(nodeFs, join(dir, 'missing.json'))).toMatchObject({ error: expect.stringContaining('fanout resume') });
  });
});
