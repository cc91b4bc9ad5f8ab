// The plugin as Claude Code's own validator sees it: `claude plugin validate --strict` with the pinned devDependency
// CLI, offline, in a temp HOME and CLAUDE_CONFIG_DIR (spec §6.6, §8.2). The install itself, from a git URL and a
// local path, is test/e2e/plugin-install.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { COMMAND_NAMES, PLUGIN_DIR } from '../../../src/install/index.js';
import { ROOT } from './helpers.js';

const CLAUDE = join(ROOT, 'node_modules', '.bin', 'claude');
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function temp(prefix: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  dirs.push(dir);
  return dir;
}

function claude(args: string[], cwd: string, home: string) {
  const env = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    CLAUDE_CONFIG_DIR: join(home, '.claude'),
    DISABLE_TELEMETRY: '1',
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_AUTOUPDATER: '1',
    // No API is needed for these subcommands; a dead address makes sure nothing is reached.
    ANTHROPIC_BASE_URL: 'http://127.0.0.1:9',
    ANTHROPIC_API_KEY: 'sk-ant-fake',
  };
  const result = spawnSync(CLAUDE, args, { cwd, env, encoding: 'utf8', timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

interface ValidateJson {
  success: boolean;
  strict: boolean;
  manifest: { type: string; errors: unknown[]; warnings: unknown[] };
  provides: { hooks: Array<{ event: string; command: string; args?: string[]; matcher?: string }>; commands: string[]; modules: Array<{ path: string }> };
  contents: Array<{ type: string; gatingHooks: Array<{ module: string; pattern: string; hasCatch: boolean }> }>;
}

describe('claude plugin validate --strict', { timeout: 120_000 }, () => {
  it.each([
    ['the repository root (marketplace manifest)', '.', 'marketplace'],
    ['the plugin directory users install', PLUGIN_DIR, 'plugin'],
    ['the root as a plugin (--plugin-dir during development)', '.claude-plugin/plugin.json', 'plugin'],
  ])('passes for %s, with every hook and command', (_name, target, type) => {
    const home = temp('fanout-validate-home-');
    const text = claude(['plugin', 'validate', '--strict', target], ROOT, home);
    expect(text.code, `${text.stdout}\n${text.stderr}`).toBe(0);
    expect(text.stdout).toContain('Validation passed');

    const json = claude(['plugin', 'validate', '--strict', '--json', target], ROOT, home);
    const result = JSON.parse(json.stdout) as ValidateJson;
    expect(result).toMatchObject({ success: true, strict: true, manifest: { type, errors: [], warnings: [] } });
    expect(result.provides.hooks.map((h) => h.event)).toEqual(['PreToolUse', 'SessionStart', 'UserPromptSubmit', 'UserPromptExpansion', 'SubagentStart', 'SubagentStop']);
    const [pre, ...others] = result.provides.hooks;
    expect(pre).toMatchObject({ command: 'bash', args: ['${CLAUDE_PLUGIN_ROOT}/dist/plugin/pre-tool-use.sh'] });
    for (const hook of others) expect(hook.command).toMatch(/^node "\$\{CLAUDE_PLUGIN_ROOT\}\/dist\/hook\.cjs" [a-z-]+$/);
    // The hooks module, with a .catch on the hook that gates tool calls (validate warns about a gate without one).
    expect(result.provides.modules).toEqual([{ path: 'dist/plugin/fanout-hooks.mjs' }]);
    // (The marketplace holds two plugins' hooks files: the root's and plugin/'s.)
    const gates = result.contents.flatMap((c) => c.gatingHooks);
    expect(gates.length).toBeGreaterThan(0);
    for (const gate of gates) expect(gate).toMatchObject({ module: '../dist/plugin/fanout-hooks.mjs', pattern: 'tool.call', hasCatch: true });
    expect([...result.provides.commands].sort()).toEqual(COMMAND_NAMES.map((n) => `fanout:${n}`).sort());
  });
});
