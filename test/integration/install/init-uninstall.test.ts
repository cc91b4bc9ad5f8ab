// `fanout init` / `fanout uninstall` as processes on real temp repos.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { fanoutWiring, renderCommands, renderConstraintsTemplate, wiringStatus } from '../../../src/install/index.js';
import { tempRepo, type TempRepo } from '../../helpers/temp-repo.js';
import { contentOnly, DIST, runCli, snapshotTree, requireBuild } from './helpers.js';

beforeAll(requireBuild);

let repo: TempRepo | undefined;
afterEach(() => {
  repo?.cleanup();
  repo = undefined;
});

const settingsPath = (dir: string) => join(dir, '.claude/settings.json');
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;

/** Rich settings in a 4-space style, with permissions, env, a statusLine and hooks of the user's own. */
const RICH_VALUE = {
  $schema: 'https://json.schemastore.org/claude-code-settings.json',
  model: 'opus',
  permissions: { allow: ['Bash(npm test:*)', 'Read(**)'], deny: ['Bash(curl:*)'], defaultMode: 'acceptEdits' },
  env: { NODE_OPTIONS: '--max-old-space-size=4096' },
  hooks: {
    PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: '/usr/local/bin/audit-bash', timeout: 5 }] }],
    Stop: [{ hooks: [{ type: 'command', command: 'say done' }] }],
  },
  statusLine: { type: 'command', command: 'echo hi' },
};
const RICH = `${JSON.stringify(RICH_VALUE, null, 4)}\n`;
/** The same settings formatted by hand (inline arrays): uninstall gives them back JSON-equal. */
const RICH_HAND = `{
  "$schema": "https://json.schemastore.org/claude-code-settings.json", "model": "opus",
  "permissions": { "allow": ["Bash(npm test:*)", "Read(**)"], "deny": ["Bash(curl:*)"], "defaultMode": "acceptEdits" },
  "env": { "NODE_OPTIONS": "--max-old-space-size=4096" },
  "hooks": {
    "PreToolUse": [ { "matcher": "Bash", "hooks": [ { "type": "command", "command": "/usr/local/bin/audit-bash", "timeout": 5 } ] } ],
    "Stop": [ { "hooks": [ { "type": "command", "command": "say done" } ] } ]
  },
  "statusLine": { "type": "command", "command": "echo hi" }
}
`;

describe('fanout init on a fresh repo', () => {
  it('writes the bundles, commands, constraints template and hook entries, and says so per file', () => {
    repo = tempRepo();
    const result = runCli(['init'], { cwd: repo.dir });
    expect(result.code, result.stderr).toBe(0);
    const dir = repo.dir;

    const built = readdirSync(DIST, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    expect(built.length).toBeGreaterThanOrEqual(3);
    for (const file of built) {
      const rel = relative(DIST, join(file.parentPath, file.name)).split(sep).join('/');
      // What only the plugin runs (the hooks module) stays out of a per-repo install.
      if (rel.startsWith('plugin/')) {
        expect(existsSync(join(dir, '.claude/fanout', rel)), rel).toBe(false);
        continue;
      }
      expect(readFileSync(join(dir, '.claude/fanout', rel)).equals(readFileSync(join(DIST, rel))), rel).toBe(true);
      expect(result.stdout).toMatch(new RegExp(`created\\s+\\.claude/fanout/${rel.replace(/\./g, '\\.')}\\n`));
    }
    for (const { name, content } of renderCommands('repo')) {
      expect(readFileSync(join(dir, `.claude/commands/${name}.md`), 'utf8')).toBe(content);
      expect(result.stdout).toMatch(new RegExp(`created\\s+\\.claude/commands/${name}\\.md`));
    }
    expect(readFileSync(join(dir, '.claude/constraints.md'), 'utf8')).toBe(renderConstraintsTemplate());
    const settings = readJson(settingsPath(dir));
    expect(Object.keys(settings)).toEqual(['hooks']);
    expect(wiringStatus(settings, fanoutWiring('repo')).current).toEqual(['PreToolUse', 'SessionStart', 'UserPromptSubmit', 'UserPromptExpansion', 'SubagentStart', 'SubagentStop']);
    expect(result.stdout).toMatch(/created\s+\.claude\/settings\.json/);
    expect(result.stdout).toMatch(/created\s+\.claude\/fanout\/install\.json/);
    const record = readJson(join(dir, '.claude/fanout/install.json'));
    expect(record).toMatchObject({ fanout: expect.any(String), settings: { createdFile: true, createdHooksKey: true }, constraints: { created: true } });
  });

  it('installs into --dir from anywhere', () => {
    repo = tempRepo();
    const result = runCli(['init', '--dir', repo.dir], { cwd: '/' });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(repo.dir, '.claude/fanout/hook.cjs'))).toBe(true);
  });

  it('run twice: the second run changes no byte and no mtime, and says nothing changed', () => {
    repo = tempRepo();
    expect(runCli(['init'], { cwd: repo.dir }).code).toBe(0);
    const before = snapshotTree(repo.dir);
    const second = runCli(['init'], { cwd: repo.dir });
    expect(second.code, second.stderr).toBe(0);
    expect(snapshotTree(repo.dir)).toEqual(before);
    expect(second.stdout).toContain('Already installed: nothing changed.');
    expect(second.stdout).not.toMatch(/^\s+(created|updated|removed)\s/m);
  });

  it('uninstall --all after init leaves the tree exactly as before', () => {
    repo = tempRepo({ 'README.md': '# x\n', 'src/a.ts': 'export {};\n' });
    const before = snapshotTree(repo.dir);
    expect(runCli(['init'], { cwd: repo.dir }).code).toBe(0);
    const result = runCli(['uninstall', '--all'], { cwd: repo.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(snapshotTree(repo.dir)).toEqual(before);
    expect(result.stdout).toMatch(/removed\s+\.claude\/settings\.json/);
    expect(result.stdout).toMatch(/removed\s+\.claude\/constraints\.md/);
  });

  it('uninstall without --all keeps the constraints file and says how to remove it', () => {
    repo = tempRepo();
    expect(runCli(['init'], { cwd: repo.dir }).code).toBe(0);
    const result = runCli(['uninstall'], { cwd: repo.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(readdirSync(join(repo.dir, '.claude'))).toEqual(['constraints.md']);
    expect(result.stdout).toMatch(/kept\s+\.claude\/constraints\.md\s+\(.*--all/);
  });
});

describe('fanout init with existing settings and files', () => {
  it('keeps rich settings exactly (style too), and uninstall restores them byte for byte', () => {
    repo = tempRepo({ 'README.md': '# x\n', '.claude/settings.json': RICH });
    const result = runCli(['init'], { cwd: repo.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/updated\s+\.claude\/settings\.json/);
    const text = readFileSync(settingsPath(repo.dir), 'utf8');
    expect(text).toMatch(/^ {4}"model": "opus",$/m);
    const settings = readJson(settingsPath(repo.dir));
    const original = JSON.parse(RICH) as Record<string, unknown>;
    expect(Object.keys(settings)).toEqual(Object.keys(original));
    for (const key of ['$schema', 'model', 'permissions', 'env', 'statusLine']) expect(settings[key]).toEqual(original[key]);
    const hooks = settings['hooks'] as Record<string, unknown[]>;
    expect(hooks['PreToolUse']?.[0]).toEqual((original['hooks'] as Record<string, unknown[]>)['PreToolUse']?.[0]);
    expect(hooks['Stop']).toEqual((original['hooks'] as Record<string, unknown[]>)['Stop']);

    expect(runCli(['init'], { cwd: repo.dir }).stdout).toContain('nothing changed');
    const un = runCli(['uninstall'], { cwd: repo.dir });
    expect(un.code, un.stderr).toBe(0);
    expect(readFileSync(settingsPath(repo.dir), 'utf8')).toBe(RICH);
  });

  it('hand-formatted settings come back JSON-equal after init and uninstall', () => {
    repo = tempRepo({ '.claude/settings.json': RICH_HAND });
    expect(runCli(['init'], { cwd: repo.dir }).code).toBe(0);
    expect(readJson(settingsPath(repo.dir))['permissions']).toEqual(RICH_VALUE.permissions);
    expect(runCli(['uninstall', '--all'], { cwd: repo.dir }).code).toBe(0);
    expect(readJson(settingsPath(repo.dir))).toEqual(JSON.parse(RICH_HAND));
    expect(readdirSync(join(repo.dir, '.claude'))).toEqual(['settings.json']);
  });

  it('keeps the user\'s own command and constraints file; --force replaces the command', () => {
    const mine = '---\ndescription: my own plan command\n---\nPlan it my way: $ARGUMENTS\n';
    const constraints = '---\nlocked: []\n---\nOur rules.\n';
    repo = tempRepo({ '.claude/commands/plan.md': mine, '.claude/constraints.md': constraints });
    const result = runCli(['init'], { cwd: repo.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(join(repo.dir, '.claude/commands/plan.md'), 'utf8')).toBe(mine);
    expect(result.stdout).toMatch(/kept\s+\.claude\/commands\/plan\.md\s+\(a command of yours.*--force/);
    expect(readFileSync(join(repo.dir, '.claude/constraints.md'), 'utf8')).toBe(constraints);
    expect(result.stdout).toMatch(/kept\s+\.claude\/constraints\.md/);

    // Uninstall leaves both alone: neither was written by init.
    expect(runCli(['uninstall', '--all'], { cwd: repo.dir }).code).toBe(0);
    expect(readFileSync(join(repo.dir, '.claude/commands/plan.md'), 'utf8')).toBe(mine);
    expect(readFileSync(join(repo.dir, '.claude/constraints.md'), 'utf8')).toBe(constraints);

    const forced = runCli(['init', '--force'], { cwd: repo.dir });
    expect(forced.code, forced.stderr).toBe(0);
    expect(readFileSync(join(repo.dir, '.claude/commands/plan.md'), 'utf8')).toBe(renderCommands('repo').find((c) => c.name === 'plan')?.content);
    expect(forced.stdout).toMatch(/updated\s+\.claude\/commands\/plan\.md\s+\(replaced a file fanout did not write/);
  });

  it('uninstall keeps a command edited since init, and says so', () => {
    repo = tempRepo();
    expect(runCli(['init'], { cwd: repo.dir }).code).toBe(0);
    const path = join(repo.dir, '.claude/commands/orchestrate.md');
    writeFileSync(path, `${readFileSync(path, 'utf8')}\nOur extra rule.\n`);
    const result = runCli(['uninstall'], { cwd: repo.dir });
    expect(result.code).toBe(0);
    expect(existsSync(path)).toBe(true);
    expect(result.stdout).toMatch(/kept\s+\.claude\/commands\/orchestrate\.md\s+\(edited since fanout init/);
    expect(existsSync(join(repo.dir, '.claude/commands/plan.md'))).toBe(false);
  });

  it('upgrades an older install: replaces its hook entries in place, removes stale chunks, updates its commands', () => {
    repo = tempRepo();
    expect(runCli(['init'], { cwd: repo.dir }).code).toBe(0);
    const dir = repo.dir;
    // Make it look like an older version's install.
    const settings = readJson(settingsPath(dir)) as { hooks: Record<string, Array<{ matcher?: string; hooks: Array<Record<string, unknown>> }>> };
    const pre = settings.hooks['PreToolUse']?.[0];
    if (pre) {
      pre.matcher = '*';
      if (pre.hooks[0]) pre.hooks[0]['timeout'] = 30;
    }
    settings.hooks['PreToolUse']?.unshift({ matcher: 'Bash', hooks: [{ type: 'command', command: 'mine' }] });
    writeFileSync(settingsPath(dir), JSON.stringify(settings, null, 2));
    writeFileSync(join(dir, '.claude/fanout/hook-chunks/chunk-OLD123.mjs'), 'export {};\n');
    const record = readJson(join(dir, '.claude/fanout/install.json')) as { commands: Record<string, string>; bundle: string[] };
    const oldCommand = 'old version of the command\n';
    writeFileSync(join(dir, '.claude/commands/scout.md'), oldCommand);
    record.commands['.claude/commands/scout.md'] = createHash('sha256').update(oldCommand).digest('hex');
    record.bundle.push('.claude/fanout/hook-chunks/chunk-OLD123.mjs');
    writeFileSync(join(dir, '.claude/fanout/install.json'), JSON.stringify(record, null, 2));

    const result = runCli(['init'], { cwd: dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/removed\s+\.claude\/fanout\/hook-chunks\/chunk-OLD123\.mjs/);
    expect(result.stdout).toMatch(/updated\s+\.claude\/commands\/scout\.md/);
    const after = readJson(settingsPath(dir));
    const status = wiringStatus(after, fanoutWiring('repo'));
    expect(status.outdated).toEqual([]);
    expect(status.missing).toEqual([]);
    const preGroups = (after['hooks'] as Record<string, unknown[]>)['PreToolUse'];
    expect(preGroups).toEqual([{ matcher: 'Bash', hooks: [{ type: 'command', command: 'mine' }] }, fanoutWiring('repo')[0]?.group]);
  });
});

describe('fanout init refuses settings it cannot read, and touches nothing', () => {
  it.each([
    ['a trailing comma', '{\n  "model": "opus",\n}\n', /\.claude\/settings\.json:3:1: not valid JSON/],
    ['a missing comma', '{\n  "a": 1\n  "b": 2\n}\n', /\.claude\/settings\.json:3:3: not valid JSON/],
    ['a JSON array', '[1, 2]\n', /\.claude\/settings\.json: the settings file holds an array, not a JSON object/],
    ['hooks as a list', '{"hooks": []}\n', /\.claude\/settings\.json: hooks: "hooks" is an array/],
    ['an empty file', '', /\.claude\/settings\.json:1:1: not valid JSON: the file is empty/],
  ])('%s: exit 1, file:line:col and a hint on stderr, nothing written', (_name, content, message) => {
    repo = tempRepo({ 'README.md': '# x\n', '.claude/settings.json': content });
    const before = snapshotTree(repo.dir);
    for (const command of [['init'], ['uninstall']]) {
      const result = runCli(command, { cwd: repo.dir });
      expect(result.code, `${command[0]}: ${result.stdout}`).toBe(1);
      expect(result.stderr).toMatch(message);
      expect(result.stderr).toMatch(/left untouched/);
      expect(result.stderr).toMatch(/\n {2}hint: \S/);
      expect(result.stderr).not.toMatch(/at .*\.mjs:\d+/);
      expect(snapshotTree(repo.dir)).toEqual(before);
    }
  });
});

describe('usage errors', () => {
  it('exits 2 on an unknown flag or a stray argument', () => {
    repo = tempRepo();
    expect(runCli(['init', '--nope'], { cwd: repo.dir }).code).toBe(2);
    expect(runCli(['init', 'somewhere'], { cwd: repo.dir }).code).toBe(2);
    expect(runCli(['uninstall', '--force'], { cwd: repo.dir }).code).toBe(2);
    expect(contentOnly(snapshotTree(repo.dir))).not.toHaveProperty('.claude/');
  });

  it('outside a git repository, init without --dir refuses and writes nothing; --dir installs there anyway', () => {
    const dir = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-norepo-')));
    try {
      // A stray .git/fanout/cache (what the hook leaves when run outside a repo) does not make it a repo.
      mkdirSync(join(dir, '.git', 'fanout', 'cache'), { recursive: true });
      const refused = runCli(['init'], { cwd: dir });
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('is not inside a git repository');
      expect(refused.stderr).toContain('--dir');
      expect(existsSync(join(dir, '.claude'))).toBe(false);
      const forced = runCli(['init', '--dir', dir], { cwd: '/' });
      expect(forced.code, forced.stderr).toBe(0);
      expect(existsSync(settingsPath(dir))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("refuses to install into Claude Code's user config dir (HOME/.claude or CLAUDE_CONFIG_DIR), even with --dir", () => {
    const home = realpathSync(mkdtempSync(join(tmpdir(), 'fanout-home-')));
    try {
      execFileSync('git', ['init', '-q', home]);
      for (const env of [{ HOME: home }, { HOME: '/nonexistent', CLAUDE_CONFIG_DIR: join(home, '.claude') }]) {
        for (const args of [['init'], ['init', '--dir', home]]) {
          const result = runCli(args, { cwd: home, env });
          expect(result.code, JSON.stringify({ args, env })).toBe(1);
          expect(result.stderr).toContain("user config dir");
          expect(existsSync(join(home, '.claude'))).toBe(false);
        }
      }
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('init --dir on a missing directory is a clear error', () => {
    const result = runCli(['init', '--dir', '/nonexistent/fanout-test'], { cwd: '/' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('is not a directory');
  });
});
