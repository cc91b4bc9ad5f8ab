// The plugin's files are generated from src/install (commands, hooks) or carry package.json's version: these tests
// fail when they drift. `npx vitest run test/unit/install/plugin-files.test.ts -u` rewrites the generated ones.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, FANOUT_VERSION, pluginHooksJson, renderCommands, TOOL_MATCHER } from '../../../src/install/index.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const json = (rel: string) => JSON.parse(readFileSync(join(ROOT, rel), 'utf8')) as Record<string, unknown>;

describe('generated plugin files are up to date', () => {
  it.each(renderCommands('plugin').map((c) => [`${c.name}.md`, c.content] as const))('commands/%s', async (file, content) => {
    await expect(content).toMatchFileSnapshot(join(ROOT, 'commands', file));
  });

  it('commands/ holds exactly the generated commands', () => {
    const files = readdirSync(join(ROOT, 'commands')).filter((f) => f.endsWith('.md')).sort();
    expect(files).toEqual(COMMAND_NAMES.map((n) => `${n}.md`).sort());
  });

  it('hooks/hooks.json', async () => {
    await expect(`${JSON.stringify(pluginHooksJson(), null, 2)}\n`).toMatchFileSnapshot(join(ROOT, 'hooks', 'hooks.json'));
  });
});

describe('manifests', () => {
  const pkg = json('package.json');

  it('plugin.json: name fanout, package.json version and description', () => {
    const plugin = json('.claude-plugin/plugin.json');
    expect(plugin['name']).toBe('fanout');
    expect(plugin['version']).toBe(pkg['version']);
    expect(FANOUT_VERSION).toBe(pkg['version']);
    expect(plugin['license']).toBe(pkg['license']);
    expect(typeof plugin['description']).toBe('string');
    expect(plugin['author']).toMatchObject({ name: expect.any(String) });
  });

  it('marketplace.json lists this repository root as the fanout plugin, same version', () => {
    const market = json('.claude-plugin/marketplace.json');
    expect(market['name']).toBe('fanout');
    expect(market['owner']).toMatchObject({ name: expect.any(String) });
    const plugins = market['plugins'] as Array<Record<string, unknown>>;
    expect(plugins).toHaveLength(1);
    expect(plugins[0]).toMatchObject({ name: 'fanout', source: './', version: pkg['version'] });
    expect((market['metadata'] as Record<string, unknown>)['version']).toBe(pkg['version']);
  });

  it('package.json ships what the plugin needs', () => {
    expect(pkg['files']).toEqual(expect.arrayContaining(['dist', 'hooks', 'commands', '.claude-plugin']));
  });
});

/** Claude Code's matcher rule (spec §3.1): '*', '' or none → all; only [A-Za-z0-9_|, -] → exact names; else an unanchored regex. */
function matches(matcher: string | undefined, tool: string): boolean {
  if (matcher === undefined || matcher === '' || matcher === '*') return true;
  if (/^[A-Za-z0-9_|, -]+$/.test(matcher)) return matcher.split(/[|,]/).map((s) => s.trim()).includes(tool);
  return new RegExp(matcher).test(tool);
}

describe('the tool matcher', () => {
  it.each(['Bash', 'Write', 'Edit', 'MultiEdit', 'NotebookEdit', 'Agent', 'Task', 'Skill', 'mcp__fs__write_file', 'mcp__github__create_or_update_file'])('runs the guard for %s', (tool) => {
    expect(matches(TOOL_MATCHER, tool)).toBe(true);
  });

  it.each(['Read', 'Glob', 'Grep', 'WebFetch', 'WebSearch', 'TodoWrite', 'BashOutput', 'ToolSearch', 'mcp__', 'XBash'])('skips %s', (tool) => {
    expect(matches(TOOL_MATCHER, tool)).toBe(false);
  });
});
